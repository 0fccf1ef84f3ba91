/**
 * Putting split data back together before anything reasons about it: IPv4 and IPv6 fragment reassembly (conntrack
 * sees reassembled datagrams, through nf_defrag), with bounded buffers and timeouts; later, TCP streams and SIP-over-TCP
 * framing.
 *
 * <p>Must not touch: NAT or conntrack decisions, matching, files or the console.
 */
package dev.natrecon.reassembly;
