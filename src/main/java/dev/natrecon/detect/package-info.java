/**
 * Detectors: one class per detector, registered explicitly in {@link dev.natrecon.detect.Detectors}, each owning one or
 * more rules with a stable dotted id ({@code nat.private_source_leak}, {@code keepalive.gap_exceeds_timeout}…), a
 * severity, a documented rule with its thresholds, and the fix to suggest. Detectors consume the replay's stream (each
 * frame as a {@link dev.natrecon.correlate.Crossing}, whose direction, inside-ness and the entry's timeout in force they take as
 * decided instead of working them out, the model's conntrack and expectation events; an event-level inside test goes through the case's
 * {@link dev.natrecon.correlate.Inside}; a WAN frame's ARP as the router's claim to an address,
 * {@link dev.natrecon.detect.ArpWatch}) and what the replay learnt at its end
 * ({@link dev.natrecon.detect.DetectionContext}), and emit {@link dev.natrecon.detect.Finding}s with frame-level
 * evidence and Wireshark display filters. Each detector declares the kinds of frame it reads
 * ({@link dev.natrecon.detect.Detector#interest}, {@link dev.natrecon.detect.PacketKinds}: SIP messages, RTP, frames
 * without a counterpart, leaks, link-control messages, or every frame) and {@link dev.natrecon.detect.Detection} calls
 * it for those only: most frames of a large capture are RTP of established flows, which most detectors never see.
 *
 * <p>Owns: findings, their ordering, the rules' documentation ({@code natrecon explain}). Must not touch: the model's
 * state (detectors only read events), files or the console, the engine (which drives the detectors), reports (which
 * render the findings). State kept per live binding or flow, never per packet: memory grows with active connections,
 * not with capture length. Findings are kept per rule up to {@link dev.natrecon.detect.Detection#MAX_FINDINGS_PER_RULE}
 * and their instances listed up to {@link dev.natrecon.detect.Detection#MAX_INSTANCES_PER_GROUP} per finding, the rest
 * counted (a finding's count includes them). A detector reports one {@link dev.natrecon.detect.Finding} per instance, with its cause
 * ({@link dev.natrecon.detect.Causes}: the external address of a port clash, the internal host of a leak, the binding of
 * a keepalive gap...); the instances of one rule, severity and cause are one finding for a person
 * ({@link dev.natrecon.detect.FindingGroup}), ordered by severity then time, their instances together.
 *
 * <p>One capture of one side runs the same detectors ({@link dev.natrecon.detect.Detectors#oneSide}) plus the one
 * that reads what the far side reports of the mapping (Via received/rport, STUN), the one that lists, per message,
 * the private Via, Contact and SDP addresses a party behind the NAT sent outside, and the two that read a SIP ALG's
 * traces in one side's SIP text (answers from outside naming the phone's own private address on the LAN side; a party
 * behind a NAT sending its external address on the WAN side), each saying what one capture cannot tell apart;
 * {@link dev.natrecon.detect.OneSide} keeps only the findings one side can support. The answered calls one capture
 * holds no media of are one finding per rule ({@link dev.natrecon.detect.MedialessCalls}), not one per call.
 */
package dev.natrecon.detect;
