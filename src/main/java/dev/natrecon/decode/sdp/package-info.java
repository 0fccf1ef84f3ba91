/**
 * SDP bodies (RFC 4566) carried by SIP messages: origin, session and media connection addresses, media ports, counts,
 * protocols and formats, {@code a=rtcp} (RFC 3605) and direction attributes, each as a
 * {@link dev.natrecon.decode.sip.Span} of the SIP payload so that what a router's SIP helper rewrote can be shown
 * before and after. Finds the SDP part of multipart bodies. Line scan by natrecon, field grammar by jain-sip-ri for
 * every line outside the {@link dev.natrecon.decode.sdp.PlainSdp plain} subset, where both are known to agree
 * ({@code PlainSdpTest}). Stateless; malformed input becomes a named {@link dev.natrecon.decode.sdp.SdpAnomaly}, never an exception.
 *
 * <p>Must not touch: flows, time, the model, which media the router expects (that is {@code alg.sip}), matching SDP
 * to RTP (that is {@code correlate}), files or the console. Depends on {@code decode.sip} for messages and spans;
 * {@code decode.sip} must not depend on this package.
 */
package dev.natrecon.decode.sdp;
