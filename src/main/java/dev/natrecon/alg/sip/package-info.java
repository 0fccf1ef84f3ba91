/**
 * The SIP ALG side of natrecon.
 *
 * <p>The Linux SIP helper (nf_conntrack_sip + nf_nat_sip) as the router model's {@link dev.natrecon.conntrack.Helper}
 * ({@link dev.natrecon.alg.sip.LinuxSipHelper}): its own reading of SIP and SDP text ({@code KernelSipText}, the
 * kernel's parser with its quirks, not a SIP parser), the messages it acts on, the expectations it creates, refreshes
 * and removes, its drops with the lines the kernel logs, and the rewrite it makes behind NAT
 * ({@code LinuxSipNat}, nf_nat_sip.c; one packet as both see it is a {@code SipHelperPacket}).
 *
 * <p>The rewrite analysis, fed one message pair at a time by the replay (its LAN and WAN copies as the matcher paired
 * them, {@link dev.natrecon.alg.sip.SipMessagePair}, with the model helper's prediction when a helper handled it):
 * {@link dev.natrecon.alg.sip.SipRewriteDiff} diffs the copies field by field (SIP headers and SDP, Content-Length,
 * parseability, and the predicted output), {@link dev.natrecon.alg.sip.SipRewriteClassifier} classifies each pair and
 * each case as no ALG, Linux-like, another consistent ALG or a broken ALG, with findings under stable dotted ids
 * ({@link dev.natrecon.alg.sip.AlgFindingType}). What Linux would have written is never restated there: it is the
 * model's prediction, or for a message no model helper handled, {@link dev.natrecon.alg.sip.LinuxSipPrediction} (the
 * same {@link dev.natrecon.alg.sip.LinuxSipHelper} run on the pair's own translation); where the model's prediction
 * differs in addresses only and that helper, run on the pair's own translation, writes the router's output, the
 * model's entry held another NAT (its history was wrong): the verdict says so
 * ({@link dev.natrecon.alg.sip.MessageVerdict#modelContradicted()}) instead of a finding. The classifier learns the
 * phones' and router's addresses as the messages come ({@link dev.natrecon.alg.sip.SipRewriteClassifier#learn}), the
 * case verdict is built with a {@link dev.natrecon.alg.sip.CaseTally} instead of keeping the message verdicts, and
 * moved SDP ports are judged once the bindings are known ({@link dev.natrecon.alg.sip.BindingLookup#later()},
 * {@link dev.natrecon.alg.sip.SipRewriteClassifier#judgePorts}).
 * Everything here is deterministic and works on bytes and packets handed in: no files, no console, no wall clock.
 *
 * <p>Must not touch: the conntrack table's internals (only {@link dev.natrecon.conntrack.HelperContext}),
 * cross-capture packet matching ({@code correlate}), the engine, detectors, reports, files or the console.
 */
package dev.natrecon.alg.sip;
