/**
 * Putting split data back together before anything reasons about it: IPv4 and IPv6 fragment reassembly (conntrack
 * sees reassembled datagrams, through nf_defrag), with bounded buffers and timeouts; SIP over TCP framing
 * ({@link dev.natrecon.reassembly.SipStreamFramer}: one direction of a connection, messages delimited by the empty line
 * and Content-Length, CRLF keep-alives, retransmissions ignored, gaps and oversized messages reported and resynced at
 * the next start line, bounded buffering). A UDP datagram needs no framing: {@code decode.sip} splits one that carries
 * several messages.
 *
 * <p>Must not touch: NAT or conntrack decisions, matching, parsing the messages it frames (callers parse lazily,
 * through {@code decode.sip}), files or the console.
 */
package dev.natrecon.reassembly;
