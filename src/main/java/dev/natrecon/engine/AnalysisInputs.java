package dev.natrecon.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * What to analyse: either a LAN and a WAN capture, or one capture taken on the router with the interfaces that face
 * each side (null to assign them automatically).
 *
 * @param wanOffsetSeconds how far the WAN clock is ahead of the LAN clock, or null to estimate it
 * @param matchWindowSeconds longest corrected-time distance between a packet and its counterpart
 * @param model             how to set up the router model
 * @param kernelEvents      the router's own {@code conntrack -E -o timestamp,extended} log to compare with, or null
 * @param kernelTables      the router's {@code conntrack -L} listings to compare with, each at its instant
 * @param kernelExpectations the router's own {@code conntrack -E expect -o timestamp} log to compare with, or null
 * @param redact            SIP credentials redacted in every text taken from the captures (true unless
 *                          {@code --no-redact})
 * @param vantage           for one capture of one side ({@link #singleCapture()}, the file in {@code lan}): the side
 *                          it was taken on as given ({@code --side}: "lan" or "wan"), or null to decide it from the
 *                          traffic ({@link VantagePoint})
 */
public record AnalysisInputs(Path lan, Path wan, Path router, String lanInterface, String wanInterface,
                             Double wanOffsetSeconds, double matchWindowSeconds, ModelSettings model,
                             Path kernelEvents, List<KernelTable> kernelTables, Path kernelExpectations, String name,
                             boolean redact, String vantage) {
    /**
     * A {@code conntrack -L -o extended} listing and the instant it was taken on the capture timeline, or null when
     * that is not known (the replay then finds the instant the listing fits best).
     */
    public record KernelTable(Path file, Long atNanos) {
    }

    public static final double DEFAULT_MATCH_WINDOW_SECONDS = 1.0;

    public AnalysisInputs(Path lan, Path wan, Path router, String lanInterface, String wanInterface,
                          Double wanOffsetSeconds, double matchWindowSeconds) {
        this(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds, ModelSettings.defaults(),
                null, List.of(), null, null, true, null);
    }

    public AnalysisInputs withModel(ModelSettings m) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds, m,
                kernelEvents, kernelTables, kernelExpectations, name, redact, vantage);
    }

    public AnalysisInputs withKernelEvents(Path log) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds,
                model, log, kernelTables, kernelExpectations, name, redact, vantage);
    }

    public AnalysisInputs withKernelTables(List<KernelTable> tables) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds,
                model, kernelEvents, List.copyOf(tables), kernelExpectations, name, redact, vantage);
    }

    public AnalysisInputs withKernelExpectations(Path log) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds,
                model, kernelEvents, kernelTables, log, name, redact, vantage);
    }

    /** The same inputs under another case name (a batch names its cases itself). */
    public AnalysisInputs withName(String caseName) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds,
                model, kernelEvents, kernelTables, kernelExpectations, caseName, redact, vantage);
    }

    /** The same inputs with SIP credentials redacted ({@code redact}) or shown ({@code --no-redact}). */
    public AnalysisInputs withRedaction(boolean redact) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, matchWindowSeconds,
                model, kernelEvents, kernelTables, kernelExpectations, name, redact, vantage);
    }

    /** The same case with the LAN and WAN captures exchanged (given the wrong way round); a given offset turns too. */
    public AnalysisInputs swapped() {
        return new AnalysisInputs(wan, lan, router, lanInterface, wanInterface,
                wanOffsetSeconds == null ? null : -wanOffsetSeconds, matchWindowSeconds, model, kernelEvents,
                kernelTables, kernelExpectations, name, redact, vantage);
    }

    public static AnalysisInputs pair(Path lan, Path wan) {
        return new AnalysisInputs(lan, wan, null, null, null, null, DEFAULT_MATCH_WINDOW_SECONDS);
    }

    public boolean routerCapture() {
        return router != null;
    }

    /**
     * One capture of one side of the NAT (a phone, PBX or provider capture): the file in {@code lan}, no {@code wan},
     * no router capture; {@link #vantage} says which side when it was given.
     */
    public static AnalysisInputs single(Path capture, String vantage) {
        return new AnalysisInputs(capture, null, null, null, null, null, DEFAULT_MATCH_WINDOW_SECONDS,
                ModelSettings.defaults(), null, List.of(), null, null, true, vantage);
    }

    /** Whether this is one capture of one side ({@link #single}). */
    public boolean singleCapture() {
        return router == null && wan == null && lan != null;
    }

    /** The same inputs with the matching window given (one capture: used for nothing but kept for the record). */
    public AnalysisInputs withMatchWindow(double seconds) {
        return new AnalysisInputs(lan, wan, router, lanInterface, wanInterface, wanOffsetSeconds, seconds,
                model, kernelEvents, kernelTables, kernelExpectations, name, redact, vantage);
    }

    /** A name for the case: the one given, or the capture's parent folder, or the file's stem. */
    public String caseName() {
        if (name != null) return name;
        Path p = routerCapture() ? router : lan;
        Path parent = p.toAbsolutePath().getParent();
        String stem = p.getFileName().toString().replaceFirst("\\..*$", "");
        return parent != null && parent.getFileName() != null ? parent.getFileName().toString() : stem;
    }
}
