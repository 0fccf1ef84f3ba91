/**
 * The netfilter side of natrecon.
 * <ul>
 *   <li>Reading what a real kernel reports about its connection-tracking and expectation tables
 *       ({@code conntrack -E}, {@code -L}, {@code -L expect}, {@code /proc/net/nf_conntrack[_expect]}):
 *       {@link dev.natrecon.conntrack.ConntrackText}, so natrecon's reconstruction can be compared with a router's
 *       own logs.</li>
 *   <li>Reading the router's rules: {@link dev.natrecon.conntrack.NatRuleset#parse} takes {@code nft list ruleset} or
 *       {@code iptables-save} text (no file I/O here) and gives {@link dev.natrecon.conntrack.NatRule}s
 *       (masquerade, SNAT, DNAT, redirect, accept; matches on interfaces, addresses, protocol and ports; port ranges;
 *       {@code random}, {@code fully-random}, {@code persistent}) and helper assignments ({@code ct helper set},
 *       {@code -j CT --helper}). What it cannot model in a NAT chain is refused with the line; what lies outside NAT
 *       is listed as a warning.</li>
 *   <li>The deterministic conntrack/NAT model, {@link dev.natrecon.conntrack.ConntrackModel} (the façade the other
 *       packages use), split along the kernel's own files, each part citing the file it mirrors:
 *       {@code ConntrackTable} and {@code ConntrackCore} (nf_conntrack_core.c: the table, timers fired in deadline
 *       order before the packet that passes them, the table limit nf_conntrack_max with early drop of one
 *       non-ASSURED entry, or {@link dev.natrecon.conntrack.Verdict#DROPPED} with the kernel's rate-limited "table
 *       full" warning; delete, counters; the packet path nf_conntrack_in → init_conntrack → confirm, with routing as
 *       the captures showed it: no entry for a first packet that was dropped, refresh by dropped packets of an
 *       entry, null binding for a packet that leaves through an interface no rule names, kill of a masqueraded
 *       entry whose packet leaves through another interface; masquerade on an interface without address takes
 *       another device's, inet_select_addr's fallback; NAT rules loaded late, {@code ConntrackModel#onNatRulesLoaded};
 *       an operator's {@code conntrack -D}/{@code -F}, {@link dev.natrecon.conntrack.ConntrackCommand}); the trackers {@code UdpTracker}, {@code TcpTracker}
 *       (tcp_conntracks, flag index, timeouts) with {@code TcpWindowTracker} (tcp_in_window when the packets carry
 *       sequence numbers: invalid and ignored segments, be_liberal, the un-ACKed-data, retransmission and
 *       zero-window caps), {@code IcmpTracker} (ICMP/ICMPv6 errors matched to the entry they quote as
 *       {@link dev.natrecon.conntrack.Verdict#RELATED}, untracked and invalid types) and {@code GenericTracker}
 *       ({@link dev.natrecon.conntrack.OneSideUdp}: the UDP tracker's rules alone, for the table one capture of one
 *       side shows, {@code engine.OneSideTable});
 *       {@code ExpectationTable} (nf_conntrack_expect.c: {@link dev.natrecon.conntrack.Expectation}s with their
 *       policies, eviction, timers and the expected connection's NAT); {@code ConntrackHelpers}
 *       (nf_conntrack_helper.c: running an entry's {@link dev.natrecon.conntrack.Helper} through
 *       {@link dev.natrecon.conntrack.HelperContext}, its drops, and the timeout policy the helper supplies itself,
 *       e.g. the SIP helper's sip_timeout, {@code alg.sip.LinuxSipHelper}); {@code MasqueradeEvents}
 *       (nf_nat_masquerade.c: link and address events flushing masqueraded entries; also as inferred from the
 *       captures, {@link dev.natrecon.conntrack.Inferred}: applied at the window's start, the events carrying the
 *       window and the frames it rests on, as does {@link dev.natrecon.conntrack.ConntrackModel#killInferred} for an
 *       entry a later packet's NAT proves gone). Its input
 *       {@link dev.natrecon.conntrack.Arrival}, the router's {@link dev.natrecon.conntrack.Interfaces} and rules
 *       ({@link dev.natrecon.conntrack.NatRuleset}: {@code nft list ruleset} and {@code iptables-save}),
 *       {@link dev.natrecon.conntrack.NatTranslator} (DNAT, SNAT/masquerade, null binding; port and address choice as
 *       nf_nat_core.c:get_unique_tuple, the observed value where the kernel chooses at random),
 *       {@link dev.natrecon.conntrack.ConntrackStats} (the counters of {@code conntrack -S} for one CPU, count and
 *       peak), {@link dev.natrecon.conntrack.TableCounts} (the live table by protocol and UNREPLIED/ASSURED, kept by
 *       the table: what tablesize.csv samples), each entry's timeout in force and the setting it came from
 *       ({@link dev.natrecon.conntrack.ConntrackEntry#timeoutInForce()}, set by every refresh; the only place a
 *       timeout in force is decided), {@link dev.natrecon.conntrack.Timeouts} (profiles {@code linux-6}, {@code linux-4}, {@code openwrt},
 *       {@code routeros} with the source of every value, sysctl dumps, the SIP helper's module parameters,
 *       {@code name=value}), events in the past tense ({@link dev.natrecon.conntrack.ConntrackEvent}, including
 *       {@link dev.natrecon.conntrack.ConntrackEvent.Diverged} where the captures contradict the Linux prediction,
 *       kinds in {@link dev.natrecon.conntrack.Divergence}; {@link dev.natrecon.conntrack.ExpectationEvent}) and their
 *       {@code conntrack -E -o timestamp,extended} rendering ({@link dev.natrecon.conntrack.EventFormat}; divergences
 *       as comment lines); {@link dev.natrecon.conntrack.KernelComparison} (the reconstruction against a kernel's own
 *       log; a kill no packet made and re-created identically by the next packet, which no capture can show, is
 *       classified apart by {@code UnobservableKill}, never counted as reproduced; so is its mirror, a flush the model
 *       inferred under a rule it assumed for lack of a ruleset and re-created identically while the kernel kept one
 *       entry, by {@code AssumedRuleKill}, with the expectations removed with it, and in the listings by
 *       {@code AssumedRuleListing}; an entry made on an uplink no capture shows, whose NAT address the model writes as
 *       0.0.0.0, is compared with the kernel's address in its place by {@code UnknownNat}: matched once a WAN copy
 *       revealed it ({@link dev.natrecon.conntrack.ConntrackModel#revealNat}, the uplink's later entries getting the
 *       revealed address: {@link dev.natrecon.conntrack.ConntrackModel#revealUplinkAddress}), else not observable;
 *       its formatted lines carry the comment {@code UnknownNat.COMMENT} and the outputs write the marker
 *       {@code UnknownNat.MARKER}, "unknown", where they show its address).</li>
 * </ul>
 * Not modelled: the parts of TCP tracking beyond tcp_in_window (re-synchronising on a SYN/ACK that answers an ignored
 * SYN, RFC 5961 challenge ACKs, RST sequence checks in CLOSE, the simultaneous-open flag) and window tracking of
 * helped entries behind NAT (the helper's sequence adjustment is unknown to the model: those are tracked by flags);
 * the kernel's own GRE, SCTP, DCCP and UDP-Lite trackers (those protocols get the generic one); the garbage
 * collector's early drop while the table is at 95 % after a "table full" (gc_worker); which bucket the kernel's
 * early_drop really hits (random hash seed: the model evicts the non-ASSURED entry nearest its deadline); races
 * between CPUs (insert_failed, clash_resolve, search_restart stay 0); router-generated ICMP errors attached with
 * nf_ct_attach are looked up like any other error, except that one about a packet the router could not forward is
 * attached to that packet's entry as RELATED_REPLY (no helper) and delivers its cached events; the quoted ICMP header of an error about an ICMP packet
 * ({@link dev.natrecon.conntrack.Verdict#UNTRACKED}); in NAT: the address hash over an SNAT/DNAT address range
 * (find_best_ips_proto: the model takes the observed address), secondary addresses and promote_secondaries, the
 * masquerade work queue's limit of 16 pending flushes, clash resolution at confirm (a flow that finds no free port is
 * dropped), jumps to user chains, NAT maps and concatenations, filter rules (their effect comes from the captures as
 * {@link dev.natrecon.conntrack.Arrival.Egress#DROPPED}).
 *
 * <p>Must not touch: files or streams (callers hand in lines, packets and model time), the wall clock, SIP text
 * (only through a helper), correlation, the engine, detectors, reports.
 */
package dev.natrecon.conntrack;
