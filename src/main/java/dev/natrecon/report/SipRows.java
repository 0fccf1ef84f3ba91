package dev.natrecon.report;

import dev.natrecon.alg.sip.AlgFinding;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows of {@code sip.csv} as the replay classifies the messages: each verdict is rendered at once into one compact
 * CSV line (its parsed copies are let go right after), in the order the messages reached the router. A provisional
 * verdict (SDP ports the router moved, judged against the bindings only after the last packet) keeps its cells until
 * {@link #judged} completes them.
 */
final class SipRows {
    private final List<String> lines = new ArrayList<>();
    /** Cells of the provisional rows by row index. */
    private final Map<Integer, List<String>> waiting = new HashMap<>();

    /** The next message's verdict; provisional when its ports wait for the bindings. */
    void add(MessageVerdict v) {
        List<String> cells = SipCsv.row(v);
        if (v.unjudgedPorts() == null) {
            lines.add(SipCsv.line(cells));
        } else {
            waiting.put(lines.size(), cells);
            lines.add(null);
        }
    }

    /** The judgement of the provisional row {@code index}. */
    void judged(int index, SipRewriteClassifier.JudgedPorts j) {
        List<String> cells = waiting.remove(index);
        if (cells == null) throw new IllegalStateException("sip.csv row " + index + " was not waiting for its ports");
        cells.set(SipCsv.CLASS_COLUMN, j.algClass().label());
        cells.set(SipCsv.FINDINGS_COLUMN, AlgFinding.render(j.findings()));
        lines.set(index, SipCsv.line(cells));
    }

    /** Writes {@code sip.csv}; every provisional row must have been judged. */
    void write(Path file) throws IOException {
        if (!waiting.isEmpty()) throw new IllegalStateException(waiting.size() + " sip.csv rows were never judged");
        SipCsv.writeLines(file, lines);
    }
}
