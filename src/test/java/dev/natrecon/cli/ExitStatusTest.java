package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Exit statuses through {@link Main#execute}: bad input is 2 with one line naming the file, an internal error (an
 * unexpected RuntimeException or an Error) is 70 with one "internal error" line, and no stack trace reaches the user.
 */
class ExitStatusTest {
    @TempDir
    Path tmp;

    /** A command that throws what it is given, added to the real command line. */
    @CommandLine.Command(name = "throw")
    static final class Thrower implements Callable<Integer> {
        final Throwable what;

        Thrower(Throwable what) {
            this.what = what;
        }

        @Override
        public Integer call() throws Exception {
            if (what instanceof Exception e) throw e;
            throw (Error) what;
        }
    }

    static MainTest.Run run(Throwable thrown) {
        CommandLine cl = new CommandLine(new Main());
        cl.addSubcommand("throw", new Thrower(thrown));
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.execute(cl, new PrintWriter(out), new PrintWriter(err), "throw");
        return new MainTest.Run(code, out.toString(), err.toString());
    }

    static void assertOneLineNoTrace(MainTest.Run r) {
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("\tat ") || r.err().contains("Exception in thread"), r.err());
    }

    @Test
    void internalErrorsExitSeventyWithOneLine() {
        MainTest.Run npe = run(new NullPointerException("Cannot invoke \"x.y()\" because \"z\" is null"));
        assertEquals(Main.INTERNAL, npe.code());
        assertEquals(70, npe.code(), "sysexits EX_SOFTWARE, distinct from 1 (findings) and 2 (input)");
        assertTrue(npe.err().startsWith("natrecon: internal error: java.lang.NullPointerException: Cannot invoke"), npe.err());
        assertTrue(npe.err().contains("please report this; rerun with NATRECON_DEBUG=1 for the stack trace"), npe.err());
        assertOneLineNoTrace(npe);

        MainTest.Run oom = run(new OutOfMemoryError("Java heap space"));
        assertEquals(Main.INTERNAL, oom.code());
        assertTrue(oom.err().startsWith("natrecon: internal error: out of memory (Java heap space, in a heap of "), oom.err());
        assertTrue(oom.err().contains(" MiB); to finish it, rerun with a larger heap (NATRECON_JAVA_OPTS=-Xmx2g"), oom.err());
        assertOneLineNoTrace(oom);

        MainTest.Run soe = run(new StackOverflowError());
        assertEquals(Main.INTERNAL, soe.code());
        assertTrue(soe.err().contains("internal error: stack overflow"), soe.err());
        assertOneLineNoTrace(soe);

        MainTest.Run state = run(new IllegalStateException());
        assertEquals(Main.INTERNAL, state.code());
        assertTrue(state.err().contains("internal error: java.lang.IllegalStateException ("), state.err());
    }

    @Test
    void inputErrorsExitTwoWithOneLineNamingTheFile() {
        MainTest.Run io = run(new NoSuchFileException("/cases/x/lan.pcap: no such file"));
        assertEquals(Main.USAGE, io.code());
        assertEquals("natrecon: error: /cases/x/lan.pcap: no such file", io.err().strip());
        MainTest.Run bare = run(new java.nio.file.AccessDeniedException("/cases/locked"));
        assertEquals(2, bare.code());
        assertEquals("natrecon: error: /cases/locked: permission denied", bare.err().strip(), "what happened, not only the name");
        MainTest.Run parser = run(new IllegalArgumentException("router.nft line 3: not an IP address: 203"));
        assertEquals(2, parser.code());
        assertEquals("natrecon: error: router.nft line 3: not an IP address: 203", parser.err().strip());
        MainTest.Run unchecked = run(new java.io.UncheckedIOException(new IOException("x.pcap: truncated at frame 4")));
        assertEquals(2, unchecked.code());
        assertTrue(unchecked.err().contains("x.pcap: truncated at frame 4"), unchecked.err());
        MainTest.Run escapes = run(new IOException("evil\u001b[2J.pcap: line one\nline two"));
        assertEquals(2, escapes.code());
        assertOneLineNoTrace(escapes);
        assertFalse(escapes.err().contains("\u001b"), "a control character from the input never reaches the terminal");
        assertTrue(escapes.err().contains("evil\\e[2J.pcap"), escapes.err());
    }

    @Test
    void realCommandsKeepTheirStatuses() throws IOException {
        Path junk = tmp.resolve("junk.pcap");
        Files.writeString(junk, "no capture");
        MainTest.Run bad = MainTest.run("inspect", junk.toString());
        assertEquals(2, bad.code());
        assertOneLineNoTrace(bad);
        assertEquals(2, MainTest.run("analyze", "--fail-on", "sometimes", "--router", junk.toString()).code());
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        MainTest.Run batchIntoAFile = MainTest.run("batch", in.toString(), "-o", junk.toString());
        assertEquals(2, batchIntoAFile.code());
        assertEquals("natrecon: error: " + junk + ": exists and is not a folder", batchIntoAFile.err().strip());
        assertEquals("no capture", Files.readString(junk));
        MainTest.Run help = MainTest.run("--help");
        assertTrue(help.out().contains("70") && help.out().contains("internal error"), help.out());
    }
}
