package dev.natrecon.detect;

import dev.natrecon.correlate.Side;
import java.util.ArrayList;
import java.util.List;

/**
 * The rows of {@code calls.csv} ({@link CallRecord}), one per call as {@link MediaDetector} judges it, at most
 * {@link #MAX_RECORDS} (the rest are counted). Each row is a few hundred bytes: 50,000 calls stay within a few MB.
 */
final class CallTable {
    /** Calls listed; past this many a case is a load test, and the rest are counted ({@link #notListed}). */
    static final int MAX_RECORDS = 50_000;

    private final List<CallRecord> records = new ArrayList<>();
    private long notListed;
    private final MediaStops stops = new MediaStops();
    /** End reasons and codecs (a few values); From and To apart, so that thousands of phones do not fill it. */
    private final Names names = new Names(), parties = new Names();
    /** [side][to the phone 0, to the remote 1]: the leg of a call without media in that direction. */
    private static final CallRecord.Leg[][] NO_MEDIA = new CallRecord.Leg[2][2];

    static {
        for (Side side : Side.values()) {
            for (int to = 0; to < 2; to++) {
                NO_MEDIA[side.ordinal()][to] = new CallRecord.Leg(side, to == 0, true, 0, -1, -1, -1, -1, -1, -1, null,
                        -1, List.of());
            }
        }
    }

    /** Adds the row of call {@code c}, judged at {@code end}; looks for a direction that stopped mid-call. */
    void add(MediaDetector.Call c, long end, long[] sideEnd, java.util.function.Function<Long, Finding.Builder> base) {
        if (c.answer >= 0) stops.check(c, end, sideEnd, base);
        if (records.size() >= MAX_RECORDS) {
            notListed++;
            return;
        }
        List<CallRecord.Leg> legs = new ArrayList<>(4);
        for (Side side : Side.values()) {
            for (int to = 0; to < 2; to++) {
                MediaDetector.Stream st = c.streams[side.ordinal()][to];
                if (st.packets == 0 && st.sourceCount == 0) {
                    legs.add(NO_MEDIA[side.ordinal()][to]); // one shared row for every call without that media
                    continue;
                }
                List<String> sources = new ArrayList<>(st.sourceCount);
                for (int i = 0; i < st.sourceCount; i++) {
                    sources.add(dev.natrecon.decode.Addresses.endpoint(st.sourceHi[i], st.sourceLo[i], st.sourcePort[i]));
                }
                legs.add(new CallRecord.Leg(side, to == 0, true, st.packets, st.packets == 0 ? -1 : st.first,
                        st.packets == 0 ? -1 : st.last, -1, -1, -1, -1, null, -1, sources));
            }
        }
        CallRecord r = c.facts.record(c.callId, c.phoneIsCaller, c.inviteNanos, c.answer, c.end, c.evicted, legs);
        // the texts many calls share (end reasons, codecs, a trunk's From and To) kept once
        records.add(new CallRecord(r.callId(), parties.intern(r.from()), parties.intern(r.to()), r.phoneIsCaller(),
                r.startNanos(), r.answerNanos(), r.endNanos(), names.intern(r.endReason()), names.intern(r.codecs()),
                names.intern(r.codec()), r.legs(), r.ptimeMs()));
    }

    /**
     * The findings of the media stops, completed with what the run learnt at its end (the router model's bindings);
     * the legs of a side without a capture marked as not captured, the others filled with their RTP streams'
     * statistics and scored ({@link CallQuality}); and the jitter findings of the scored legs.
     */
    List<Finding> finish(DetectionContext context, List<dev.natrecon.media.StreamSummary> streams) {
        CallQuality quality = new CallQuality(streams);
        List<Finding> out = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            CallRecord r = records.get(i);
            List<CallRecord.Leg> legs = new ArrayList<>(4);
            for (CallRecord.Leg l : r.legs()) {
                boolean captured = context == null
                        || (l.side() == Side.LAN ? context.lanSpan() : context.wanSpan()) != null;
                legs.add(captured ? quality.fill(r, l) : new CallRecord.Leg(l.side(), l.toPhone(), false, 0, -1, -1,
                        -1, -1, -1, -1, null, -1, List.of()));
            }
            records.set(i, r.withLegs(legs));
            out.addAll(Jitter.findings(records.get(i)));
        }
        out.addAll(stops.findings(context == null ? List.of() : context.bindings()));
        return out;
    }

    List<CallRecord> records() {
        return java.util.Collections.unmodifiableList(records);
    }

    /** Calls judged but not listed (past {@link #MAX_RECORDS}). */
    long notListed() {
        return notListed;
    }
}
