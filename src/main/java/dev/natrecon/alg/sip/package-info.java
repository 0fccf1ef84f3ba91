/**
 * The Linux SIP helper (nf_conntrack_sip + nf_nat_sip) as the router model's {@link dev.natrecon.conntrack.Helper}:
 * its own reading of SIP and SDP text ({@code KernelSipText}, the kernel's parser with its quirks, not a SIP parser),
 * the messages it acts on, the expectations it creates, refreshes and removes, its drops with the lines the kernel
 * logs, and the rewrite it makes behind NAT; and the analysis of what a router really rewrote, message by message,
 * against that prediction.
 *
 * <p>Must not touch: the conntrack table's internals (only {@link dev.natrecon.conntrack.HelperContext}), files,
 * detectors, reports or the console.
 */
package dev.natrecon.alg.sip;
