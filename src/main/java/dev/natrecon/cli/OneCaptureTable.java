package dev.natrecon.cli;

import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.correlate.Inside;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.OneSideTable;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * {@code events} and {@code snapshot} with one capture of one side: the entries as far as the capture shows them
 * ({@link OneSideTable}), each line in the kernel's format followed by a {@code # guessed: ...} comment naming the
 * fields the capture does not show (or {@code # shown by: ...} naming what the far side reported of them), under a
 * header that says which side it is and what one capture cannot show.
 */
final class OneCaptureTable {
    private OneCaptureTable() {
    }

    /** Replays {@code in} (one capture) into a {@link OneSideTable}; the result and the table. */
    static OneSideTable replay(AnalysisInputs in, PrintWriter out) throws IOException {
        OneSideTable table = new OneSideTable(in.model().timeouts(), Inside.of(in.model().inside()),
                in.model().sipProtocols().contains(17) ? in.model().sipHelper()
                        : dev.natrecon.engine.ModelSettings.SipHelper.OFF, in.model().sipPorts());
        RunResult r = Analysis.run(in, List.of(table));
        String vantage = r.verdict().vantage() == null ? "" : r.verdict().vantage();
        out.println("# one capture: " + TerminalWriter.oneLine(vantage)
                + "; UDP entries from this side's packets alone, states and timeouts as nf_conntrack_proto_udp.c sets "
                + "them (" + in.model().timeouts().profileName() + " timeouts); '# guessed:' after a line names the "
                + "fields the capture does not show, '# shown by:' the ones the far side reported");
        out.println("# one capture cannot show: " + table.cannotShow());
        if (table.flowsNotFollowed() > 0) {
            out.println("# " + table.flowsNotFollowed() + " packets of flows past the first "
                    + OneSideTable.MAX_FLOWS + " not listed");
        }
        return table;
    }

    /** One row as {@code conntrack -E} prints it, with its guessed fields. */
    static String event(OneSideTable.Row r) {
        return EventFormat.timestamp(r.nanos()) + "\t" + EventFormat.body(r.tag(), r.entry()) + guessed(r);
    }

    /** One entry as {@code conntrack -L -o extended} lists it, with its guessed fields. */
    static String listing(OneSideTable.Row r) {
        return EventFormat.listing(r.entry(), 1) + guessed(r);
    }

    private static String guessed(OneSideTable.Row r) {
        return r.note().isEmpty() ? "" : "\t# " + r.note();
    }
}
