package dev.natrecon.reassembly;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.capture.AnomalyCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Fuzz targets for the SIP-over-TCP framer. {@link #splitPoints}: one byte stream cut into segments at fuzz-chosen
 * points must give the same messages and keep-alives as the stream in one piece (the framer's documented promise),
 * under a small buffer cap so overflow and resync are reached too (the items are compared only when no message
 * overflowed: what the framer recovers after an oversized message depends on where the cap was reached). {@link #sequenceNumbers}: segments with
 * fuzz-chosen TCP sequence numbers (retransmissions, overlaps, gaps, wrap-around) must only ever yield items and
 * anomalies.
 */
class SipStreamFramerFuzzTest {
    /** The smallest cap the framer accepts is 64; 256 makes overflow reachable from a few hundred fuzz bytes. */
    private static final int SMALL_CAP = 256;
    private static final int MAX_SEGMENTS = 32;

    @FuzzTest(maxDuration = "30s")
    void splitPoints(FuzzedDataProvider fuzz) {
        int cap = fuzz.consumeBoolean() ? SMALL_CAP : SipStreamFramer.DEFAULT_MAX_BUFFER;
        int[] cuts = new int[fuzz.consumeInt(0, MAX_SEGMENTS)];
        for (int i = 0; i < cuts.length; i++) cuts[i] = fuzz.consumeInt(); // any int: taken modulo the stream length in ends()
        byte[] stream = fuzz.consumeRemainingAsBytes();
        FuzzContract.run(() -> {
            AnomalyCounts wholeCounts = new AnomalyCounts(), splitCounts = new AnomalyCounts();
            List<String> whole = items(new SipStreamFramer(cap), stream, new int[0], wholeCounts);
            List<String> split = items(new SipStreamFramer(cap), stream, cuts, splitCounts);
            // After an oversized message what follows depends on what was buffered when the cap was reached: with its
            // header end in the buffer the framer trusts its Content-Length and skips exactly that, without it the
            // framer resyncs at the next start line (documented on SipStreamFramer; campaign input crash-ac289e5c...).
            boolean comparable = !overflowed(wholeCounts) && !overflowed(splitCounts);
            if (comparable && !whole.equals(split)) {
                throw new AssertionError("segment boundaries changed the items of a " + stream.length
                        + "-byte stream (cap " + cap + "): whole " + whole + ", split at " + Arrays.toString(ends(cuts, stream))
                        + " " + split + "; stream " + java.util.HexFormat.of().formatHex(stream, 0, Math.min(stream.length, 600)));
            }
        });
    }

    @FuzzTest(maxDuration = "30s")
    void sequenceNumbers(FuzzedDataProvider fuzz) {
        FuzzContract.run(() -> {
            SipStreamFramer framer = new SipStreamFramer(fuzz.consumeBoolean() ? SMALL_CAP : SipStreamFramer.DEFAULT_MAX_BUFFER);
            AnomalyCounts counts = new AnomalyCounts();
            long seq = fuzz.consumeLong();
            for (int i = 1; i <= MAX_SEGMENTS && fuzz.remainingBytes() > 0; i++) {
                seq += fuzz.consumeBoolean() ? 0 : fuzz.consumeInt(-2000, 2000);
                byte[] segment = fuzz.consumeBytes(fuzz.consumeInt(0, 1500));
                int off = segment.length == 0 ? 0 : fuzz.consumeInt(0, segment.length - 1);
                check(framer.offer(seq, segment, off, segment.length - off, i, counts), framer);
                seq += segment.length - off;
            }
            check(framer.finish(counts), framer);
        });
    }

    /** The items of {@code stream} fed in pieces ending at {@code cuts} (see {@link #ends}), then finished. */
    private static List<String> items(SipStreamFramer framer, byte[] stream, int[] cuts, AnomalyCounts counts) {
        int[] ends = ends(cuts, stream);
        List<String> out = new ArrayList<>();
        int from = 0;
        long frame = 0;
        for (int end : ends) {
            out.addAll(describe(framer.offer(stream, from, end - from, ++frame, counts), framer));
            from = end;
        }
        out.addAll(describe(framer.offer(stream, from, stream.length - from, ++frame, counts), framer));
        out.addAll(describe(framer.finish(counts), framer));
        return out;
    }

    private static boolean overflowed(AnomalyCounts counts) {
        return counts.count(SipStreamAnomaly.SIP_STREAM_OVERFLOW.id()) > 0;
    }

    /** Segment ends: the cuts taken modulo the stream's length plus one, in order. */
    private static int[] ends(int[] cuts, byte[] stream) {
        int[] ends = new int[cuts.length];
        for (int i = 0; i < cuts.length; i++) ends[i] = Math.floorMod(cuts[i], stream.length + 1);
        Arrays.sort(ends);
        return ends;
    }

    private static List<String> describe(List<SipStreamItem> items, SipStreamFramer framer) {
        check(items, framer);
        List<String> out = new ArrayList<>();
        for (SipStreamItem item : items) {
            String text = new String(item.bytes(), 0, Math.min(24, item.length()), StandardCharsets.ISO_8859_1);
            out.add(item.kind() + " " + item.length() + " bytes #" + Integer.toHexString(Arrays.hashCode(item.bytes()))
                    + " '" + text.replace("\r", "\\r").replace("\n", "\\n") + "'");
        }
        return out;
    }

    private static void check(List<SipStreamItem> items, SipStreamFramer framer) {
        if (framer.buffered() < 0) throw new AssertionError("negative buffer fill " + framer.buffered());
        for (SipStreamItem item : items) {
            if (item.length() != item.bytes().length) {
                throw new AssertionError("item length " + item.length() + " but " + item.bytes().length + " bytes");
            }
            if (item.kind() == SipStreamItem.Kind.MESSAGE) item.parse(); // the SIP parser has its own target
        }
    }
}
