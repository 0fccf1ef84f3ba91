package dev.natrecon.engine;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.ClockCorrection;
import dev.natrecon.capture.MergedFrameSource;
import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Inside;
import dev.natrecon.correlate.Side;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * One capture of one side of the NAT ({@link AnalysisInputs#singleCapture()}): the vantage point is decided (or given),
 * then the capture is replayed alone as that side. The other side's capture span is empty, so no packet is ever
 * "missing on the other side" (its outcome is {@code outside_other_capture}); the detectors run on the one side, and
 * what needs the other side is left out of the findings ({@link dev.natrecon.detect.OneSide}) and named in the report.
 */
final class SingleCapture {
    /**
     * The other side's span: empty (it starts after every packet and ends before any), so nothing is matched against
     * it and no detector takes its end for the captures' end.
     */
    private static final long[] NO_SPAN = {Long.MAX_VALUE, Long.MIN_VALUE};

    private SingleCapture() {
    }

    static RunResult run(AnalysisInputs in, List<AnalysisSink> sinks) throws IOException {
        Inside inside = Inside.of(in.model().inside());
        VantagePoint vp = VantagePoint.of(in.lan(), in.vantage(), inside);
        List<String> decisions = new ArrayList<>();
        decisions.add(vp.reason());
        decisions.add("clock offset: none (one capture)");
        // behind the router, the far side's received= names the router's WAN address: the model masquerades to it
        List<String> external = vp.side() == Side.LAN ? vp.external() : List.of();
        if (!external.isEmpty()) {
            decisions.add("router WAN address(es) as the far side saw them (Via received=): " + String.join(", ", external)
                    + "; the model's NAT ports are its own choice where the far side did not report them");
        }
        Side side = vp.side();
        long[] own = {vp.firstNanos(), Long.MAX_VALUE}; // its end is known when the replay reaches it
        long[] lanSpan = side == Side.LAN ? own : NO_SPAN.clone();
        long[] wanSpan = side == Side.WAN ? own : NO_SPAN.clone();
        List<Analysis.StatsCounter> counters = List.of(new Analysis.StatsCounter(in.lan()));
        List<MergedFrameSource.Input> inputs = new ArrayList<>();
        inputs.add(new MergedFrameSource.Input(DecodeAheadStream.openForReplay(in.lan()), ClockCorrection.NONE));
        SipHelperDecision helper = SipHelperDecision.unknowable("whether the router rewrites SIP needs "
                + "both sides, and this is one side's capture");
        Replay replay;
        try {
            replay = new Replay(new Replay.Plan(in, inputs, counters, new ArrayList<>(),
                    List.of(side.label()), decisions,
                    ClockEstimate.none("none: one capture").withExternalAddresses(external), lanSpan, wanSpan,
                    new TreeMap<>(), new TreeMap<>(), helper, null, new ArrayList<>(), null, side), sinks);
        } catch (IOException | RuntimeException e) {
            inputs.get(0).reader().close();
            throw e;
        }
        return replay.run();
    }
}
