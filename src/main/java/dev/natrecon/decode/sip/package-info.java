/**
 * SIP message parsing for the few packets that are SIP: start line, headers (compact forms, folded values, several
 * values per line or per header), the structured fields the Linux SIP helper reads and rewrites, the body's position
 * and multipart bodies. Positions and fields through natrecon's own byte scan and grammar, so every field is a
 * {@link dev.natrecon.decode.sip.Span} of the original payload that can be compared before and after a router; the
 * full grammar through jain-sip-ri, which reads (and is cross-checked against) every start line and header value
 * except those in the {@link dev.natrecon.decode.sip.PlainSip plain} subset, where both are known to agree; for a
 * header nothing cross-checks, jain-sip's verdict is remembered by value (a bounded table), so a value that comes back
 * in every message is read once. One parse
 * per message copy serves every consumer: the parser keeps its last results by their bytes, and takes a parse made
 * elsewhere ({@link dev.natrecon.decode.sip.SipParser#known}); a message keeps one derived reading (its SDP).
 * Entry points: {@link dev.natrecon.decode.sip.SipParser#parse} for one message,
 * {@link dev.natrecon.decode.sip.SipParser#parseDatagram} for a UDP payload. Stateless; malformed input becomes a
 * named {@link dev.natrecon.decode.sip.SipAnomaly} (a {@link dev.natrecon.decode.sip.SipParse.Rejected} result or an
 * issue on a message), keep-alives and non-SIP payloads are classified, nothing throws. Credentials
 * ({@code Authorization}, {@code Proxy-Authorization}, folded or not) leave this package redacted in every header value,
 * field and issue text unless a caller asks for them ({@link dev.natrecon.decode.sip.Credentials}); bytes and offsets
 * are never changed.
 *
 * <p>Must not touch: flows, time, the model, TCP stream reassembly (that is {@code reassembly}), SDP (that is
 * {@code decode.sdp}, which depends on this package, not the other way round), files or the console. Parsing is
 * lazy: nothing here runs per packet unless a caller asks for a SIP payload to be parsed. jain-sip classes stay
 * inside this package and {@code decode.sdp}.
 */
package dev.natrecon.decode.sip;
