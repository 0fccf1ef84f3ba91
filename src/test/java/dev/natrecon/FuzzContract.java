package dev.natrecon;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The contract every fuzz target asserts (issue 13): bad input ends in an {@link IOException} (a
 * {@code CaptureException} and the like) or an {@link IllegalArgumentException} that carries a message, or in a
 * named anomaly counted by the code under test. Any other throwable (NullPointerException, an index out of bounds,
 * ClassCastException, NegativeArraySizeException, StackOverflowError, OutOfMemoryError) escapes {@link #run} and is
 * a finding for Jazzer; so is an expected exception without a message, which would reach the user as a bare class
 * name.
 */
public final class FuzzContract {
    static {
        // Jazzer's agent, once a fuzz test installed it, logs every class it instruments ("INFO: Instrumented ...") to
        // whatever System.err is at that moment; tests that capture System.err to prove a parser prints nothing
        // (SipCorpusTest, SdpBodyTest) would see those lines. Pin its log to the streams of the test run.
        com.code_intelligence.jazzer.utils.Log.fixOutErr(System.out, System.err);
    }

    private FuzzContract() {
    }

    /** A fuzz target's body. */
    @FunctionalInterface
    public interface Body {
        void run() throws IOException;
    }

    /** Runs {@code body}; returns normally for accepted input and for bad input rejected as the contract allows. */
    public static void run(Body body) {
        try {
            body.run();
        } catch (IOException | IllegalArgumentException e) {
            requireMessage(e);
        } catch (UncheckedIOException e) {
            requireMessage(e.getCause());
        }
    }

    private static void requireMessage(Throwable e) {
        if (e.getMessage() == null || e.getMessage().isBlank()) {
            throw new AssertionError("bad input rejected without a message: " + e.getClass().getName(), e);
        }
    }
}
