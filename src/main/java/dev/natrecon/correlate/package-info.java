/**
 * Cross-capture correlation: NAT-invariant match keys (SIP by Call-ID, CSeq, start line and Via branch; RTP by SSRC,
 * sequence and timestamp; everything else by a payload digest), the clock offset between the two capture points
 * estimated from matched packets, the streaming matcher that gives every packet its outcome (translated, unchanged,
 * no counterpart, outside the other capture's span, inside source leaked on the WAN), and the NAT bindings observed,
 * one per lifetime: the router model's end of an entry (read from its events, never changing it) or another
 * translation on the WAN starts the next lifetime of the same endpoints. Past a bound of lifetimes held, ended ones are
 * retired (packed in memory, no longer looked up, still listed in order), so memory follows the live flows.
 *
 * <p><b>How a frame crossed the router, decided once.</b> {@link dev.natrecon.correlate.CrossingClassifier} fills one
 * reused {@link dev.natrecon.correlate.Crossing} per resolved frame: the arriving or leaving copy, the direction (out,
 * in, local, routed back, dropped), ingress and egress, inside-ness ({@link dev.natrecon.correlate.Inside}, from the
 * case's {@code --inside}, else the private ranges), and, once the model has taken it, the model's verdict, its entry
 * after the packet (for a leaving copy the entry its arriving copy was tracked under) with the timeout in force the
 * model set and the setting it came from, and the SIP payloads before, predicted and observed. The bindings, the model's feed, the detectors,
 * the sinks, the ladder and the rewrite analysis read it; no other class decides direction or asks the fixed private
 * ranges ({@code ArchitectureTest} holds this on the compiled classes). The model's verdict and entry are carried as
 * read-only answers: nothing here changes the model.
 *
 * <p><b>One record per flow.</b> The crossing also carries the frame's {@link dev.natrecon.correlate.FlowRecord}
 * ({@link dev.natrecon.correlate.FlowRecords}, direct-mapped by the decoder's flow number and the side): the per-flow
 * answers the replay's consumers found before (the router model's tuple and entry, the binding, the media endpoint,
 * the RTP hop ledger) side by side in one object, each a cache in front of its owner's own index, valid only for that
 * owner and while what it depends on is unchanged (the owner's index version, the SSRC, the counterpart's tuple).
 *
 * <p>Must not touch: model state (conntrack, helper), files or the console; time is the packets' time only.
 */
package dev.natrecon.correlate;
