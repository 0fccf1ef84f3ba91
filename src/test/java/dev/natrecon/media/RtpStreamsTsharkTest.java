package dev.natrecon.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.RunResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * natrecon's RTP streams agree with Debian's tshark ({@code tshark -q -z rtp,streams}) on the public corpus and on
 * the lab samples: for every stream tshark lists, natrecon lists the same SSRC and 5-tuple on that side with the same
 * packets and lost, and max delta, mean jitter and max jitter within 1 % (or tshark's printed precision, 0.001 ms,
 * plus one rounding step). Captures whose RTP no SDP announces are compared with tshark's RTP heuristic on
 * ({@code -o rtp.heuristic_rtp:TRUE}), the rest with it off (tshark then lists the SDP-announced streams). Needs
 * tshark (apt-get install tshark): tagged {@code system}; tshark missing is a failure, not a skip.
 */
@Tag("system")
class RtpStreamsTsharkTest {
    static final Path CORPUS = Path.of("/work/shared/captures/public");

    /** The comparison of one capture: rows compared, and what disagreed. */
    record Outcome(int compared, List<String> problems) {
    }

    @Test
    void publicCorpusStreamsAgreeWithTshark() throws Exception {
        assertTrue(Files.isExecutable(Path.of(TsharkStreams.TSHARK)), "tshark is installed (apt-get install tshark)");
        List<Path> files;
        try (Stream<Path> s = Files.walk(CORPUS)) {
            files = s.filter(p -> p.toString().matches(".*\\.pcap(ng)?$")).sorted().toList();
        }
        assertTrue(files.size() >= 30, "the corpus: " + files.size());
        int compared = 0;
        List<String> problems = new ArrayList<>();
        int relayRows = 0;
        for (Path f : files) {
            RunResult r = Analysis.run(AnalysisInputs.single(f, null), List.of());
            Outcome o = compare(f, r.streams(), null);
            compared += o.compared();
            if (f.endsWith("relay_leg_a.pcap")) relayRows = o.compared();
            problems.addAll(o.problems());
        }
        System.out.println("compared " + compared + " streams");
        problems.forEach(System.out::println);
        assertEquals(List.of(), problems);
        assertTrue(compared >= 20, "enough streams compared: " + compared);
        // the relay leg with loss (no SDP: tshark's heuristic finds it): its loss is natrecon's too
        assertTrue(relayRows >= 1, "relay_leg_a.pcap's stream was compared");
    }

    @Test
    void labSamplesAgreeWithTsharkOnBothSides() throws Exception {
        List<Path> dirs;
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            dirs = s.filter(d -> Files.isRegularFile(d.resolve("lan.pcap")) && Files.isRegularFile(d.resolve("wan.pcap")))
                    .sorted().toList();
        }
        assertTrue(dirs.size() >= 10, "the lab samples: " + dirs);
        int compared = 0;
        List<String> problems = new ArrayList<>();
        for (Path d : dirs) {
            RunResult r = Analysis.run(AnalysisInputs.pair(d.resolve("lan.pcap"), d.resolve("wan.pcap")), List.of());
            for (String side : List.of("lan", "wan")) {
                Outcome o = compare(d.resolve(side + ".pcap"), r.streams(), side);
                compared += o.compared();
                problems.addAll(o.problems());
            }
        }
        System.out.println("compared " + compared + " lab streams");
        problems.forEach(System.out::println);
        assertEquals(List.of(), problems);
        assertTrue(compared >= 10, "enough streams compared: " + compared);
    }

    /** Compares tshark's table for {@code capture} with natrecon's streams of {@code side} (null: the only side). */
    static Outcome compare(Path capture, List<StreamSummary> streams, String side) throws Exception {
        Map<String, StreamSummary> ours = new HashMap<>();
        for (StreamSummary s : streams) {
            if (side != null && !s.side().equals(side)) continue;
            ours.put(String.format(java.util.Locale.ROOT, "%s>%s#%08x", s.src(), s.dst(), s.ssrc()), s);
        }
        List<TsharkStreams.Row> rows = TsharkStreams.run(capture, false);
        if (rows.isEmpty()) rows = TsharkStreams.run(capture, true);
        List<String> problems = new ArrayList<>();
        for (TsharkStreams.Row t : rows) {
            StreamSummary s = ours.get(t.key());
            String where = capture.getFileName() + " " + t.key();
            if (s == null) {
                problems.add(where + ": tshark lists it (" + t.packets() + " packets), natrecon does not");
                continue;
            }
            if (s.packets() != t.packets()) {
                // Wireshark's SDP handling hands a port to T.38 (UDPTL) at the offer of image/t38, even when the offer
                // is refused (488) and the audio goes on: those frames are RTP that tshark does not count as RTP.
                long t38 = TsharkStreams.count(capture, "t38 && " + TsharkStreams.filter(t));
                if (t38 > 0 && s.packets() == t.packets() + t38) {
                    System.out.println(where + ": tshark decodes " + t38 + " of its RTP frames as T.38 after a refused "
                            + "T.38 offer; packets agree with that, the timing is not comparable");
                    continue;
                }
                problems.add(where + ": packets " + s.packets() + " vs tshark " + t.packets());
            }
            if (s.lost() != t.lost()) problems.add(where + ": lost " + s.lost() + " vs tshark " + t.lost());
            close(problems, where, "max delta", s.maxDeltaMs(), t.maxDelta());
            close(problems, where, "mean jitter", s.meanJitterMs(), t.meanJitter());
            close(problems, where, "max jitter", s.maxJitterMs(), t.maxJitter());
        }
        return new Outcome(rows.size(), problems);
    }

    /** Within 1 %, or 0.0015 ms (tshark prints 3 decimals); NaN (not measured) is tshark's 0. */
    private static void close(List<String> problems, String where, String what, double ours, double theirs) {
        double v = Double.isNaN(ours) ? 0 : ours;
        if (Math.abs(v - theirs) <= Math.max(0.0015, Math.abs(theirs) * 0.01)) return;
        problems.add(String.format(java.util.Locale.ROOT, "%s: %s %.3f vs tshark %.3f", where, what, v, theirs));
    }
}
