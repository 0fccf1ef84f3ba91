/**
 * The replay: {@link dev.natrecon.engine.Analysis} opens the captures, surveys each one (counts, dispositions, time
 * span, interfaces, a sample of match keys, the SIP messages; a two-capture case's two files at the same time, the
 * WAN's on a thread of its own, joined before the replay; a compressed capture's decompressed start is kept for the
 * replay, within a share of the heap, so it is not decompressed twice) and estimates the clock offset and, under
 * {@code --sip-helper auto}, decides the SIP helper from what the router changed in the SIP text of the messages seen on
 * both sides ({@link dev.natrecon.engine.SipHelperDecision}, per transport and port) before any entry exists (pass 1);
 * a router capture's interfaces get their roles there too, and a Linux cooked v1 {@code tcpdump -i any}, which records
 * no interface, its sides per link-layer address from the received and sent copies of each forwarded packet, paired by
 * content ({@code CookedCopyPairing}, {@code CookedSides});
 * {@link dev.natrecon.engine.Replay}
 * then replays one merged time-ordered stream through decode, reassembly and the cross-capture matcher (pass 2: per
 * frame decode, match, resolve; after the last, drain; a long capture is read, decoded and keyed ahead on a thread of
 * its own, {@code DecodeAheadStream}, bounded batches merged by {@code DecodedMerge}, with the same frames, anomalies
 * and errors as inline; what the merge reads of most frames is each frame's {@code FrameRecord}, a few longs the
 * decoding wrote into its batch's primitive array, not the decoded objects and bytes the other core wrote (those are
 * handed over only for the frames the replay reads more of: kept payloads, link events, TCP and ICMP error details,
 * a router capture's interfaces), stepped through one batch at a time; when a
 * capture is decoded ahead, the merge, the filling of each frame's {@code Seen} and the matcher run as a second stage
 * on a thread of their own, {@code MatchStage}, handing the replay's thread, in bounded batches, the frames as they
 * enter the matcher and as they resolve, in the order the inline loop makes those calls, and taking the records back
 * for reuse with the empty batches; the stage's thread also parses each kept payload as SIP for the detectors,
 * {@code Seen#parseSip}; everything from classification on stays on the one replay thread but the SIP messages'
 * consumers, the rewrite classification and the sinks' SIP calls, which run in the replay's order on a thread of
 * their own beside the stage, {@code SipStage} (handed over a group of messages at a time), and read the stage's parse of each copy (carried by
 * {@link dev.natrecon.engine.SipPacket}, handed to {@code SipParser.known}) instead of parsing it again, joined before the model ages to the end; so the results
 * are byte-identical either way), hands everything to the sinks through one
 * {@link dev.natrecon.engine.SinkFanOut} (which deals with their I/O errors in one place, and at the end lets a sink
 * that {@linkplain dev.natrecon.engine.AnalysisSink#finishesAlongside() finishes alongside} the others write its files
 * on a thread of its own), runs the
 * {@link dev.natrecon.engine.KernelComparisons} as a step after the run and returns a
 * {@link dev.natrecon.engine.RunResult}. Nothing here renders: the sinks ({@code report}) implement
 * {@link dev.natrecon.engine.AnalysisSink} and sit above this package; the rewrite analysis
 * ({@link dev.natrecon.engine.SipRewrites}) hands each classified message to them ({@code sip.csv} is theirs) and counts
 * the rewrites the model predicted from an entry with another NAT as a divergence of the model
 * ({@link dev.natrecon.engine.ModelSummary#divergences()}), never as a finding.
 *
 * <p>Each decoded UDP frame of a side also goes to {@link dev.natrecon.media.MediaStreams} where it is decoded, in its
 * capture's order ({@link dev.natrecon.engine.MediaTap}: one accumulator per capture input, on the input's decoding
 * thread when it has one, so the statistics cost the replay's thread nothing; joined after the last frame in the
 * order the streams' first packets have in the merged stream): the RTP/RTCP statistics per stream and side, which the
 * result carries as {@link dev.natrecon.engine.RunResult#streams()}.
 *
 * <p><b>The router model in the stream.</b> The replay classifies each resolved frame once
 * ({@link dev.natrecon.correlate.CrossingClassifier} into the reused {@link dev.natrecon.correlate.Crossing}: the
 * arriving or leaving copy, direction, ingress and egress, inside-ness); {@link dev.natrecon.engine.ConntrackReplay}
 * feeds the arriving copies to {@link dev.natrecon.conntrack.ConntrackModel} with what became of them according to the
 * other capture (the copy's tuple, or none), puts the model's verdict on the crossing, and lends the detectors a
 * read-only view of the model's table; the model's events go to the sinks as they happen. Before each arriving packet,
 * {@code RouterHistory} applies what the captures prove the router went through before it (a WAN copy contradicting
 * the live entry's NAT, a renumbered WAN, a packet the router answered with ICMP no route or port unreachable, a
 * packet routed back while its masqueraded entry lived, a carrier loss, a packet answered with no WAN copy on either
 * side while the WAN was silent: an uplink no capture shows, and the WAN's route back at the first packet of an entry
 * masqueraded there that is lost, or at the WAN copy that reveals such an entry's NAT), each inferred event carrying its window and
 * evidence frames; the case settings' link changes, when given, win ({@code WanCarrier}: the settings' carrier loss,
 * no flush, with the sysctl dump's ignore_routes_with_linkdown). {@code RouterAnswers} keeps the router's own
 * ICMP answers, the WAN capture's silences and the LAN frames from outside that follow one, as frames enter the
 * matcher, before the packets they concern resolve.
 * {@code OtherPath} routes, as the kernel would, the packets that took an uplink no capture shows (a backup the case
 * settings name, or the one {@code RouterHistory} infers, its address unknown: LAN packets with no WAN copy and no ICMP answer once the WAN's connected route is gone, their replies
 * seen on the LAN only, the masquerade oif-changed kill when the WAN returns); {@code OperatorFlush} applies an
 * operator's {@code conntrack -D}/{@code -F} the settings give, within the precision of the time written.
 * One capture of one side ({@link dev.natrecon.engine.AnalysisInputs#singleCapture()}) is replayed alone as the side
 * {@link dev.natrecon.engine.VantagePoint} decides from its traffic (or {@code --side} gives), against an empty span
 * for the other side, so no packet is ever missing there ({@code SingleCapture}); {@link dev.natrecon.engine.LoneCapture}
 * tells such a capture from a router capture with several interfaces. {@link dev.natrecon.engine.OneSideTable} is the
 * conntrack table such a capture shows ({@code events}/{@code snapshot}): UDP entries driven by its own packets, the
 * fields one side cannot see marked as guessed or as the far side reported them.
 * {@link dev.natrecon.engine.CaseSettings} reads a case's settings file
 * (a value that does not read is an error naming the file, the key's line and what was expected);
 * {@link dev.natrecon.engine.KernelCheck} compares the reconstruction with the router's own {@code conntrack -E} log.
 * The resource bounds a case reached (the captures', the bindings', the findings') are gathered as
 * {@link dev.natrecon.engine.LimitNotice}s in the result, for every sink to name.
 *
 * <p><b>The verdict and the inputs.</b> Before the replay, {@link dev.natrecon.engine.InputChecks} refuses two
 * captures that make no sense as a router's sides (the same file or bytes, a capture of the {@code any}
 * pseudo-interface or of loopback as a side) in one line naming the file, and swaps sides given the wrong way round
 * (with a note). When the replay ends, {@link dev.natrecon.engine.RunVerdict} decides the run's one verdict (findings,
 * clean, or inconclusive with its reasons and figures: captures that do not overlap, too few matched packets, roles
 * guessed from a handful of packets, no SIP or RTP, described from {@link dev.natrecon.engine.ServicePorts}); every
 * output reads it from the result, none decides it again.
 *
 * <p><b>Time across two capture points.</b> The LAN capture's clock is the reference. WAN timestamps are mapped onto it
 * by the {@link dev.natrecon.capture.ClockCorrection} estimated from packets seen on both sides (or given). Each file's
 * own time is clamped so that it never goes backwards (counted as {@code capture.time_went_backwards}); outputs show
 * both the capture time as written and the corrected time. Nothing here reads the wall clock except to time the run.
 *
 * <p>Must not touch: format-specific parsing (capture, decode), detector logic, rendering (report), the console.
 */
package dev.natrecon.engine;
