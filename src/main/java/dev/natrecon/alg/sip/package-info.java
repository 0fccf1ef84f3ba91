/**
 * The SIP ALG side of natrecon.
 *
 * <p>The Linux SIP helper (nf_conntrack_sip + nf_nat_sip) as the router model's {@link dev.natrecon.conntrack.Helper}
 * ({@link dev.natrecon.alg.sip.LinuxSipHelper}): its own reading of SIP and SDP text ({@code KernelSipText}, the
 * kernel's parser with its quirks, not a SIP parser), the messages it acts on, the expectations it creates, refreshes
 * and removes, its drops with the lines the kernel logs, and the rewrite it makes behind NAT.
 *
 * <p>The rewrite analysis: {@link dev.natrecon.alg.sip.SipMessageCollector} gathers the SIP messages of one capture
 * point from decoded packets (UDP datagrams, TCP streams through the framer), {@link dev.natrecon.alg.sip.SipPairing}
 * pairs the LAN and WAN copies of each message, {@link dev.natrecon.alg.sip.SipRewriteDiff} diffs the two copies field
 * by field (SIP headers and SDP, Content-Length, parseability, and an optional predicted output),
 * {@link dev.natrecon.alg.sip.SipRewriteClassifier} classifies each pair and each case as no ALG, Linux-like, another
 * consistent ALG or a broken ALG, with findings under stable dotted ids ({@link dev.natrecon.alg.sip.AlgFindingType});
 * {@link dev.natrecon.alg.sip.SipRewriteAnalysis} runs the three for one case. A caller that classifies each message as
 * it comes (the replay) learns the context as it goes ({@link dev.natrecon.alg.sip.SipRewriteClassifier#learn}), builds
 * the case verdict with a {@link dev.natrecon.alg.sip.CaseTally} instead of keeping the message verdicts, and judges
 * moved SDP ports once the bindings are known ({@link dev.natrecon.alg.sip.BindingLookup#later()},
 * {@link dev.natrecon.alg.sip.SipRewriteClassifier#judgePorts}).
 * Everything here is deterministic and works on bytes and packets handed in: no files, no console, no wall clock.
 *
 * <p>Must not touch: the conntrack table's internals (only {@link dev.natrecon.conntrack.HelperContext}),
 * cross-capture packet matching ({@code correlate}), the engine, detectors, reports, files or the console.
 */
package dev.natrecon.alg.sip;
