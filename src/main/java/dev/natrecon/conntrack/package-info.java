/**
 * The netfilter side: for now, reading what a real kernel reports about its connection-tracking and expectation tables
 * ({@code conntrack -E}, {@code -L}, {@code -L expect}, {@code /proc/net/nf_conntrack[_expect]}), so natrecon's
 * reconstruction can be compared with a router's own logs; later, the deterministic conntrack/NAT model itself.
 *
 * <p>Must not touch: files or streams (callers hand in lines), the wall clock, SIP text, detectors, reports.
 */
package dev.natrecon.conntrack;
