/**
 * The benchmark's own material: synthetic capture generation (a LAN and a WAN pcap of many concurrent SIP/G.711 calls
 * through a simulated NAT with a SIP ALG, streamed to disk so memory stays flat: {@link
 * dev.natrecon.bench.SyntheticNatCaptures} the scene, call slots, RTP and the router's forwarding, with the SIP text in
 * {@code SyntheticSipMessages} and {@code SyntheticSip} (the simulated ALG), frame bytes in {@code SyntheticFrames}
 * and the time-ordered writer {@code TimeOrderedPcapOut}) and throughput and memory measurement of the read, decode and analyze paths, driven by {@code natrecon bench}.
 * {@code bench --whole} runs {@code analyze} as a child process as a user would ({@link dev.natrecon.bench.WholeProcess},
 * measured from {@code /proc} by {@link dev.natrecon.bench.ChildRun}) beside {@code tshark} and {@code zcat}.
 *
 * <p>Must not touch: per-packet analysis logic (capture parsing, decode, reassembly, correlation, the engine's replay,
 * report rendering) — it only calls their public entry points and times them; the console belongs to {@code cli}.
 */
package dev.natrecon.bench;
