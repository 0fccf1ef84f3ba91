package dev.natrecon.batch;

import dev.natrecon.engine.Analysis;
import dev.natrecon.engine.AnalysisInputs;
import dev.natrecon.engine.AnalysisSink;
import dev.natrecon.engine.RunResult;
import dev.natrecon.report.CaseOutputs;
import dev.natrecon.report.PacketRows;
import dev.natrecon.report.ReportSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Runs one case into its output folder: what {@code analyze} does and what a batch does per case. */
public final class CaseRunner {
    private CaseRunner() {
    }

    /** The file every complete analysis folder holds: how {@link FolderSwap} knows a folder is natrecon's to replace. */
    public static final String MARKER = "summary.json";

    /**
     * {@code analyze}'s write: the whole folder under a temporary name beside {@code dir}, then swapped into place
     * ({@link FolderSwap}), so {@code dir} holds either the previous run or this one, never a mix. A {@code dir} that
     * natrecon did not write (no summary.json, not empty), a symbolic link or a file is left alone: one-line error.
     */
    public static RunResult analyzeInto(AnalysisInputs in, Path dir, boolean redact, List<AnalysisSink> extra)
            throws IOException {
        return analyzeInto(in, dir, redact, PacketRows.NOTABLE, extra);
    }

    /** {@link #analyzeInto(AnalysisInputs, Path, boolean, List)} with {@code rows}: which frames packets.csv lists. */
    public static RunResult analyzeInto(AnalysisInputs in, Path dir, boolean redact, PacketRows rows,
            List<AnalysisSink> extra) throws IOException {
        Path partial = FolderSwap.begin(dir, MARKER);
        try {
            RunResult r = analyze(in, partial, redact, rows, extra);
            FolderSwap.commit(partial, dir);
            return r;
        } catch (IOException | RuntimeException | Error e) {
            FolderSwap.abandon(partial);
            throw e;
        }
    }

    /**
     * Analyses {@code in}, writing every output file (CSV timelines, summary.json, report.html, summary.md, charts)
     * into {@code dir}; on failure nothing half-written is left. {@code redact}: SIP credentials in the report.
     * packets.csv lists the notable frames only ({@link PacketRows#NOTABLE}), as {@code analyze} does by default.
     */
    public static RunResult analyze(AnalysisInputs in, Path dir, boolean redact, List<AnalysisSink> extra)
            throws IOException {
        return analyze(in, dir, redact, PacketRows.NOTABLE, extra);
    }

    /** {@link #analyze(AnalysisInputs, Path, boolean, List)} with {@code rows}: which frames packets.csv lists. */
    public static RunResult analyze(AnalysisInputs in, Path dir, boolean redact, PacketRows rows,
            List<AnalysisSink> extra) throws IOException {
        CaseOutputs outputs = new CaseOutputs(dir, rows);
        List<AnalysisSink> sinks = new ArrayList<>();
        sinks.add(outputs);
        sinks.add(new ReportSink(dir, redact));
        sinks.addAll(extra);
        try {
            return Analysis.run(in.withRedaction(redact), sinks);
        } catch (IOException | RuntimeException | Error e) {
            outputs.abandon();
            throw e;
        }
    }
}
