/**
 * The netfilter side of natrecon.
 * <ul>
 *   <li>Reading what a real kernel reports about its connection-tracking and expectation tables
 *       ({@code conntrack -E}, {@code -L}, {@code -L expect}, {@code /proc/net/nf_conntrack[_expect]}):
 *       {@link dev.natrecon.conntrack.ConntrackText}, so natrecon's reconstruction can be compared with a router's
 *       own logs.</li>
 *   <li>The deterministic conntrack/NAT model: {@link dev.natrecon.conntrack.ConntrackModel} (table, timers fired in
 *       deadline order before the packet that passes them, UDP/TCP/ICMP/generic trackers, TCP window tracking when
 *       the packets carry sequence numbers (tcp_in_window: invalid and ignored segments, be_liberal, the un-ACKed-data,
 *       retransmission and zero-window caps), masquerade/SNAT port choice; the SIP helper's timeout policy, sip_timeout on packets with data; ICMP/ICMPv6 errors matched to the
 *       entry they quote as {@link dev.natrecon.conntrack.Verdict#RELATED}; the table limit nf_conntrack_max with
 *       early drop of one non-ASSURED entry, or {@link dev.natrecon.conntrack.Verdict#DROPPED} with the kernel's
 *       rate-limited "table full" warning), its input {@link dev.natrecon.conntrack.Arrival},
 *       {@link dev.natrecon.conntrack.ConntrackStats} (the counters of {@code conntrack -S} for one CPU, count and
 *       peak), {@link dev.natrecon.conntrack.Timeouts} (profiles {@code linux-6}, {@code linux-4}, {@code openwrt},
 *       {@code routeros} with the source of every value, sysctl dumps, the SIP helper's module parameters,
 *       {@code name=value}), events in the past tense ({@link dev.natrecon.conntrack.ConntrackEvent}) and their
 *       {@code conntrack -E -o timestamp,extended} rendering ({@link dev.natrecon.conntrack.EventFormat}).</li>
 * </ul>
 * Not modelled yet: expectations and the helper's parsing (drops, rewrites), DNAT, link/address events (masquerade
 * flush), the parts of TCP tracking beyond tcp_in_window (re-synchronising on a SYN/ACK that answers an ignored SYN,
 * RFC 5961 challenge ACKs, RST sequence checks in CLOSE, the simultaneous-open flag) and window tracking of helped
 * entries behind NAT (the helper's sequence adjustment is unknown to the model: those are tracked by flags), the garbage
 * collector's early drop while the table is at 95 % after a "table full" (gc_worker), which bucket the kernel's
 * early_drop really hits (random hash seed: the model evicts the non-ASSURED entry nearest its deadline), races
 * between CPUs (insert_failed, clash_resolve, search_restart stay 0), router-generated ICMP errors attached with
 * nf_ct_attach (treated like any other error: looked up), the quoted ICMP header of an error about an ICMP packet
 * (the decoder gives no type or id: {@link dev.natrecon.conntrack.Verdict#UNTRACKED}).
 *
 * <p>Must not touch: files or streams (callers hand in lines, packets and model time), the wall clock, SIP text
 * (only through a helper), correlation, the engine, detectors, reports.
 */
package dev.natrecon.conntrack;
