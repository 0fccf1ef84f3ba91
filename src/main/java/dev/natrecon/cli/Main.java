package dev.natrecon.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code natrecon <command>}. */
@Command(name = "natrecon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Reconstructs what a Linux NAT router (conntrack, NAT, SIP helper) did to SIP and RTP, "
                + "from captures taken on its LAN and WAN sides.",
        subcommands = {InspectCommand.class, AnalyzeCommand.class, EventsCommand.class, SnapshotCommand.class,
                CompareCommand.class, ExplainCommand.class, BatchCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit codes: 0 success, 1 a finding reached {@code analyze --fail-on}, 2 usage error or unreadable input (picocli's USAGE), 3 a batch's case failed. */
    public static final int OK = 0;
    public static final int FINDINGS = 1;
    public static final int USAGE = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required (inspect, analyze, events, snapshot, compare, explain, batch, bench)");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line in-process with the given output streams; returns the exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new Main());
        // Capture text reaches the terminal only through this filter: control characters are shown as escapes.
        cl.setOut(new TerminalWriter.Out(out));
        cl.setErr(new TerminalWriter.Out(err));
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            // Bad input is one line naming the file (and frame); a stack trace helps nobody at a support desk.
            String msg = ex.getMessage() == null ? ex.getClass().getSimpleName() : ex.getMessage();
            commandLine.getErr().println("natrecon: error: " + msg.replace('\n', ' '));
            commandLine.getErr().flush();
            if (System.getenv("NATRECON_DEBUG") != null) ex.printStackTrace(commandLine.getErr());
            return USAGE;
        });
        int code = cl.execute(args);
        cl.getOut().flush();
        cl.getErr().flush();
        out.flush();
        err.flush();
        return code;
    }

    /** Version from the jar manifest, or "dev" when run from classes. */
    public static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"natrecon " + (v == null ? "dev" : v)};
        }
    }
}
