package dev.natrecon.cli;

import dev.natrecon.conntrack.ConntrackEvent;
import dev.natrecon.conntrack.EventFormat;
import dev.natrecon.correlate.Crossing;
import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon events}: the reconstructed conntrack events, line for line as {@code conntrack -E} prints them. */
@Command(name = "events", mixinStandardHelpOptions = true,
        description = "Replay the captures through the router model and print its conntrack events in the format of "
                + "'conntrack -E -o timestamp,extended' ([NEW]/[UPDATE]/[DESTROY]), to diff with a router's own log. "
                + "Times are on the LAN capture's clock; a DESTROY is printed at the entry's deadline (the kernel's "
                + "comes later, when its garbage collector finds the entry).")
final class EventsCommand implements Callable<Integer> {
    @CommandLine.Mixin
    CaseOptions options;

    @picocli.CommandLine.Option(names = "--expect",
            description = "print the expectation events instead, as 'conntrack -E expect -o timestamp' does")
    boolean expect;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        AnalysisInputs in = options.inputs(spec.commandLine()).withKernelEvents(null);
        if (in.singleCapture() && !expect) {
            for (dev.natrecon.engine.OneSideTable.Row r : OneCaptureTable.replay(in, out).rows()) {
                out.println(OneCaptureTable.event(r));
            }
            out.flush();
            return Main.OK;
        }
        if (in.singleCapture()) oneCaptureNote(spec.commandLine().getErr());
        Analysis.run(in, List.of(new AnalysisSink() {
            @Override
            public void packet(Crossing c) {
            }

            @Override
            public void conntrack(ConntrackEvent e) {
                if (expect) return;
                String inferred = EventFormat.inferredComment(e);
                if (inferred != null) out.println(inferred);
                out.println(EventFormat.line(e));
            }

            @Override
            public void expectation(dev.natrecon.conntrack.ExpectationEvent e) {
                if (expect) out.println(EventFormat.expectLine(e));
            }

            @Override
            public void finish(RunResult r) {
                // Times are on the LAN side's clock: after a swap, on the clock of the capture given as --wan.
                if (SnapshotCommand.swapped(in, r)) {
                    for (String note : r.verdict().notes()) out.println("# note: " + TerminalWriter.oneLine(note));
                }
            }
        }));
        out.flush();
        return Main.OK;
    }

    /**
     * One capture of one side, expectations ({@code --expect}): they need the SIP helper's view of both sides; the
     * model's are guesses, said once on stderr.
     */
    static void oneCaptureNote(PrintWriter err) {
        err.println("note: one capture of one side: expectations need the SIP helper's view of both sides; every "
                + "field below is the model's guess from this side's packets alone; 'natrecon analyze FILE' reports "
                + "what the capture proves");
        err.flush();
    }
}
