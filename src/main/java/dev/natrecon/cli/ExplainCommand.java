package dev.natrecon.cli;

import dev.natrecon.detect.Detectors;
import dev.natrecon.detect.Rule;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code natrecon explain [ID]}: a detector rule's documentation, or the list of rules. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Print what a finding id means: its rule, thresholds, severity and fix. Without an id, list every id.")
final class ExplainCommand implements Callable<Integer> {
    @Parameters(arity = "0..1", paramLabel = "ID", description = "a finding id, e.g. nat.private_source_leak")
    String id;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        if (id == null) {
            for (Rule r : Detectors.rules()) {
                out.printf(Locale.ROOT, "%-36s %-7s %s%n", r.id(), r.severity().label(), r.title());
            }
            out.flush();
            return Main.OK;
        }
        Rule r = Detectors.rule(id);
        if (r == null) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "no finding id '" + id + "' (natrecon explain lists them)");
        }
        out.printf(Locale.ROOT, "%s (%s)%n%s%n%nRule%n  %s%n", r.id(), r.severity().label(), r.title(), r.rule());
        if (!r.thresholds().isEmpty()) {
            out.println();
            out.println("Thresholds");
            for (String t : r.thresholds()) out.println("  " + t);
        }
        out.printf(Locale.ROOT, "%nOne finding per%n  %s: its instances are counted in it and listed in findings.csv "
                + "(one row each)%n", dev.natrecon.detect.Causes.of(r.id()));
        out.printf(Locale.ROOT, "%nFix%n  %s%n", r.fix());
        if (!r.references().isEmpty()) out.printf(Locale.ROOT, "%nReferences%n  %s%n", String.join("; ", r.references()));
        out.flush();
        return Main.OK;
    }
}
