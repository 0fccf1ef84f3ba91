package dev.natrecon.detect;

/**
 * One packet on a UDP binding that carries SIP, with the gap the binding's conntrack entry went without a refresh
 * before it: a row of {@code keepalive.csv}, and a point of the chart of gaps against the timeout.
 *
 * @param binding        the binding's id in mappings.csv ({@code Binding.id}), 0 when the captures show none
 * @param internal       the phone's endpoint as the LAN shows it
 * @param external       the endpoint the router gave it on the WAN (empty when the packet never reached the WAN)
 * @param remote         the far end
 * @param direction      "out" (LAN to WAN) or "in"
 * @param mechanism      what the packet is: "REGISTER", "REGISTER retransmission", "OPTIONS", "NOTIFY", "crlf"
 *                       (RFC 5626 "\r\n\r\n"), "ping-4" (another 4-byte payload), "stun" (binding request),
 *                       "response 200 REGISTER", "other"
 * @param gapStartNanos  the binding's previous packet (either direction) that refreshed its entry; equal to
 *                       {@code nanos} for the first packet
 * @param nanos          this packet (corrected time)
 * @param gapSeconds     seconds between the two
 * @param timeoutSeconds the entry's timeout in force after the previous packet (udp_timeout, udp_timeout_stream or
 *                       the SIP helper's sip_timeout, as the model ran them); -1 for the first packet
 * @param timeoutKind    "unreplied", "stream", "sip helper", or "none" for the first packet
 * @param exceeded       whether the gap was longer than that timeout (the entry expired before this packet)
 * @param lanFrame       the LAN frame (0: none)
 * @param wanFrame       the WAN frame (0: none)
 * @param note           what the captures show about the binding at this packet ("external port changed 5060 ->
 *                       1024", "no LAN counterpart", "entry expired in the model at …"), empty when nothing
 */
public record KeepaliveRow(int binding, String internal, String external, String remote, String direction,
                           String mechanism, long gapStartNanos, long nanos, double gapSeconds, long timeoutSeconds,
                           String timeoutKind, boolean exceeded, long lanFrame, long wanFrame, String note) {
}
