/**
 * The netfilter side of natrecon.
 * <ul>
 *   <li>Reading what a real kernel reports about its connection-tracking and expectation tables
 *       ({@code conntrack -E}, {@code -L}, {@code -L expect}, {@code /proc/net/nf_conntrack[_expect]}):
 *       {@link dev.natrecon.conntrack.ConntrackText}, so natrecon's reconstruction can be compared with a router's
 *       own logs.</li>
 *   <li>The deterministic conntrack/NAT model: {@link dev.natrecon.conntrack.ConntrackModel} (table, timers fired in
 *       deadline order before the packet that passes them, UDP/TCP/ICMP/generic trackers, masquerade/SNAT port
 *       choice), {@link dev.natrecon.conntrack.Timeouts} (profiles {@code linux-6}, {@code linux-4}, sysctl dumps,
 *       {@code name=value}), events in the past tense ({@link dev.natrecon.conntrack.ConntrackEvent}) and their
 *       {@code conntrack -E -o timestamp,extended} rendering ({@link dev.natrecon.conntrack.EventFormat}).</li>
 * </ul>
 * Not modelled yet: table limit and early drop, counters like {@code conntrack -S}, expectations and the helper's own
 * timeouts (SIP 3600 s), DNAT, link/address events (masquerade flush), ICMP errors as RELATED, TCP window tracking.
 *
 * <p>Must not touch: files or streams (callers hand in lines, packets and model time), the wall clock, SIP text
 * (only through a helper), correlation, the engine, detectors, reports.
 */
package dev.natrecon.conntrack;
