/**
 * Cross-capture correlation: NAT-invariant match keys (SIP by Call-ID, CSeq, start line and Via branch; RTP by SSRC,
 * sequence and timestamp; everything else by a payload digest), the clock offset between the two capture points
 * estimated from matched packets, the streaming matcher that gives every packet its outcome (translated, unchanged,
 * no counterpart, outside the other capture's span, private source leaked on the WAN), and the NAT bindings observed.
 *
 * <p>Must not touch: model state (conntrack, helper), files or the console; time is the packets' time only.
 */
package dev.natrecon.correlate;
