/**
 * Stateless dissection of one frame: link layers (Ethernet with 802.1Q/QinQ and PPPoE, Linux SLL/SLL2, raw IP, BSD
 * null/loopback, PPP), IPv4 with options, IPv6 with extension headers, UDP, TCP, ICMP/ICMPv6 with the tuple quoted in
 * ICMP errors, GRE and IP-in-IP tunnels, and the link-control messages (PPPoE discovery, LCP, IPCP, DHCP) that tell
 * the model when the uplink went up or down, and ARP (who answers for an address). Results are primitive fields on a reused {@link dev.natrecon.decode.Packet};
 * malformed input becomes a named {@link dev.natrecon.decode.DecodeAnomaly}, never an exception.
 *
 * <p>Must not touch: flows, time, the model, fragment reassembly (that is {@code reassembly}), files or the console.
 */
package dev.natrecon.decode;
