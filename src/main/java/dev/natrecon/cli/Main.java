package dev.natrecon.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point: {@code natrecon <command>}. Exit statuses: {@value #OK} success; {@value #FINDINGS} a finding reached
 * {@code --fail-on}; {@value #USAGE} a usage error or unreadable input (one line naming the file); {@value #CASES_FAILED}
 * a batch had failed cases; {@value #INCONCLUSIVE} the verdict is inconclusive (the captures cannot show what the
 * router did) and no finding reached {@code --fail-on}; {@value #INTERNAL} an internal error (a bug in natrecon or out of memory: one line
 * "natrecon: internal error: ...", the stack trace only with {@code NATRECON_DEBUG} set).
 */
@Command(name = "natrecon", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Reconstructs what a Linux NAT router (conntrack, NAT, SIP helper) did to SIP and RTP, "
                + "from captures taken on its LAN and WAN sides.",
        exitCodeListHeading = "Exit status:%n",
        exitCodeList = {"0:success", "1:a finding reached --fail-on (analyze, batch); compare found a difference",
            "2:usage error, or unreadable or bad input (one line naming the file)",
            "3:batch: some cases failed or an input archive was damaged (summary.csv says which)",
            "4:inconclusive: the captures cannot show what the router did (the reason is printed; analyze, batch) "
                    + "and no finding reached --fail-on",
            "70:internal error in natrecon (please report it; NATRECON_DEBUG=1 shows the stack trace)"})
public final class Main implements Runnable {
    /**
     * The subcommands, in the order {@code natrecon --help} lists them. Not in the {@code @Command} annotation:
     * picocli builds the model of every command it is given by reflection (about 40 ms of CPU for the seven that a
     * run of one command does not need, README, Performance), so {@link #commandLine(String...)} adds only the one
     * the command line names.
     */
    static final List<Class<?>> SUBCOMMANDS = List.of(InspectCommand.class, AnalyzeCommand.class, EventsCommand.class,
            SnapshotCommand.class, CompareCommand.class, ExplainCommand.class, BatchCommand.class, BenchCommand.class,
            CommandLine.HelpCommand.class);

    /** Success. */
    public static final int OK = 0;
    /** A finding reached {@code --fail-on}. */
    public static final int FINDINGS = 1;
    /** A usage error or unreadable input (picocli's {@code ExitCode.USAGE}). */
    public static final int USAGE = 2;
    /** A batch ran but some of its cases failed or an input was damaged. */
    public static final int CASES_FAILED = 3;
    /**
     * The verdict is inconclusive (captures that do not overlap, too few matched packets, interface roles guessed from
     * a handful of packets, no SIP or RTP) and no finding reached {@code --fail-on}: not 0, so a script never takes
     * an unjudged run for a clean one.
     */
    public static final int INCONCLUSIVE = 4;
    /** natrecon's own failure, not the input's: sysexits.h {@code EX_SOFTWARE}, so scripts never take it for 1 or 2. */
    public static final int INTERNAL = 70;
    /** The environment variable that adds the Java stack trace to an error's one line. */
    static final String DEBUG_ENV = "NATRECON_DEBUG";

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
        return execute(commandLine(args), out, err, args);
    }

    /**
     * The command line for {@code args}: when the first argument names a subcommand (other than {@code help}), only
     * that subcommand is added; otherwise (no argument, an option, {@code help}, a misspelt command) all of them, in
     * {@link #SUBCOMMANDS}' order, so the top-level help, the help command and picocli's errors see the whole tree.
     */
    static CommandLine commandLine(String... args) {
        CommandLine cl = new CommandLine(new Main());
        String first = args.length == 0 ? "" : args[0];
        for (Class<?> c : SUBCOMMANDS) {
            if (c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(first)) {
                return cl.addSubcommand(c);
            }
        }
        for (Class<?> c : SUBCOMMANDS) cl.addSubcommand(c);
        return cl;
    }

    /** {@link #execute(PrintWriter, PrintWriter, String...)} on a given command line (tests add commands that fail). */
    static int execute(CommandLine cl, PrintWriter out, PrintWriter err, String... args) {
        // Capture text reaches the terminal only through this filter: control characters are shown as escapes.
        PrintWriter safeErr = new TerminalWriter.Out(err);
        cl.setOut(new TerminalWriter.Out(out));
        cl.setErr(safeErr);
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> failure(ex, commandLine.getErr()));
        cl.setParameterExceptionHandler((ex, arguments) -> usage(ex, ex.getCommandLine().getErr()));
        versionEverywhere(cl);
        int code;
        try {
            code = cl.execute(args);
        } catch (Throwable t) {
            // picocli hands only Exceptions to the handler; an Error (out of memory, stack overflow) ends up here
            code = failure(t, safeErr);
        }
        cl.getOut().flush();
        cl.getErr().flush();
        out.flush();
        err.flush();
        return code;
    }

    /**
     * One line on {@code err} for a command that threw, and its exit status: {@link #USAGE} for bad input (an
     * IOException such as CaptureException or NoSuchFileException, an IllegalArgumentException with a message from a
     * parser, a picocli ParameterException), {@link #INTERNAL} for anything else. A stack trace only with
     * {@value #DEBUG_ENV} set: a stack trace helps nobody at a support desk.
     */
    static int failure(Throwable ex, PrintWriter err) {
        Throwable t = ex;
        while (t instanceof CommandLine.ExecutionException && t.getCause() != null) t = t.getCause();
        if (t instanceof java.io.UncheckedIOException && t.getCause() != null) t = t.getCause();
        boolean input = t instanceof java.io.IOException || t instanceof CommandLine.ParameterException
                || t instanceof IllegalArgumentException && t.getMessage() != null;
        if (input) {
            err.println("natrecon: error: " + TerminalWriter.oneLine(inputMessage(t)));
        } else {
            String what = t instanceof OutOfMemoryError ? "out of memory (" + TerminalWriter.oneLine(String.valueOf(t.getMessage())) + ")"
                    : t instanceof StackOverflowError ? "stack overflow"
                    : t.getClass().getName() + (t.getMessage() == null ? "" : ": " + TerminalWriter.oneLine(t.getMessage()));
            err.println("natrecon: internal error: " + what + " (please report this; rerun with " + DEBUG_ENV
                    + "=1 for the stack trace)");
        }
        if (System.getenv(DEBUG_ENV) != null) t.printStackTrace(err);
        err.flush();
        return input ? USAGE : INTERNAL;
    }

    /**
     * A usage error (picocli could not parse the command line, or a command rejected an option's value): one line
     * naming the problem and where the help is, {@code see 'natrecon analyze --help'}, not the whole help.
     */
    static int usage(CommandLine.ParameterException ex, PrintWriter err) {
        CommandLine where = ex.getCommandLine();
        String name = where == null ? "natrecon" : where.getCommandSpec().qualifiedName();
        String msg = ex.getMessage() == null ? "bad command line" : ex.getMessage().replaceFirst("^Error: ", "");
        if (ex instanceof CommandLine.UnmatchedArgumentException u) {
            // picocli's guesses for a misspelt option only: its guess for an unknown command is often unrelated
            List<String> options = u.getSuggestions().stream().filter(x -> x.startsWith("-")).toList();
            if (!options.isEmpty()) msg += " (did you mean " + String.join(" or ", options) + "?)";
        }
        err.println("natrecon: error: " + TerminalWriter.oneLine(msg) + "; see '" + name + " --help'");
        if (System.getenv(DEBUG_ENV) != null) ex.printStackTrace(err);
        err.flush();
        return USAGE;
    }

    /** {@code -V}/{@code --version} on every subcommand: picocli does not pass the version provider down. */
    private static void versionEverywhere(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            if (sub.getCommandSpec().versionProvider() == null) sub.getCommandSpec().versionProvider(new Version());
            versionEverywhere(sub);
        }
    }

    /** What bad input says: its message, with what happened when the file system gave only the file's name. */
    private static String inputMessage(Throwable t) {
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof java.nio.file.FileSystemException f && f.getReason() == null && f.getOtherFile() == null
                && f.getFile() != null && msg.equals(f.getFile()) && !msg.contains(": ")) {
            // the JDK's own exceptions name only the file; natrecon's put what happened after ": " themselves
            String what = t instanceof java.nio.file.NoSuchFileException ? "no such file or folder"
                    : t instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : t instanceof java.nio.file.NotDirectoryException ? "not a folder"
                    : t instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : t.getClass().getSimpleName();
            msg += ": " + what;
        }
        return msg;
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
