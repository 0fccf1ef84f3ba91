package dev.natrecon.cli;

import dev.natrecon.batch.CaseDiscovery;
import dev.natrecon.engine.AnalysisInputs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code analyze}'s default output folder, unique to the case: {@code reports/<case folder>} for {@code --case},
 * {@code reports/<folder>-<lan stem>+<wan stem>} for a capture pair, {@code reports/<folder>-<stem>} for one router
 * capture or one capture of one side ({@code <folder>} being the capture's folder; left out when there is none). A folder of that name left by
 * a run on other captures (its summary.json names other files) is never replaced: the next free
 * {@code NAME-2}, {@code NAME-3}... is taken instead. A second run on the same captures replaces the folder whole
 * ({@link dev.natrecon.batch.FolderSwap}), so a folder never mixes two runs.
 */
final class OutputFolder {
    /** Where default folders go, relative to the working folder (README: "writes reports/..."). */
    static final Path REPORTS = Path.of("reports");
    /** How many numbered alternatives are tried before giving up and asking for -o. */
    private static final int MAX_ALTERNATIVES = 99;
    /** A capture's file name as summary.json records it ({@code "file": "samples/baseline/lan.pcap"}). */
    private static final Pattern FILE = Pattern.compile("\"file\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private OutputFolder() {
    }

    /** The default folder for {@code in}, under {@code reports}; {@code caseFile} is the --case file or null. */
    static Path choose(Path reports, AnalysisInputs in, Path caseFile) throws IOException {
        String name = CaseDiscovery.safeName(name(in, caseFile));
        List<String> ours = captures(in);
        for (int i = 1; i <= MAX_ALTERNATIVES; i++) {
            Path dir = reports.resolve(i == 1 ? name : name + "-" + i);
            if (!Files.exists(dir) || sameCaptures(dir, ours)) return dir;
        }
        throw new IOException(reports.resolve(name) + ": " + MAX_ALTERNATIVES
                + " folders of that name hold other cases' reports; give -o DIR");
    }

    /** The folder's name before it is made safe: see the class comment. */
    static String name(AnalysisInputs in, Path caseFile) {
        if (caseFile != null) {
            Path parent = caseFile.toAbsolutePath().normalize().getParent();
            return parent != null && parent.getFileName() != null ? parent.getFileName().toString() : stem(caseFile);
        }
        if (in.routerCapture()) return folder(in.router()) + stem(in.router());
        if (in.singleCapture()) return folder(in.lan()) + stem(in.lan());
        return folder(in.lan()) + stem(in.lan()) + "+" + stem(in.wan());
    }

    private static String folder(Path capture) {
        Path parent = capture.toAbsolutePath().normalize().getParent();
        return parent == null || parent.getFileName() == null ? "" : parent.getFileName() + "-";
    }

    /** A file's name without its extensions: {@code wan.pcapng.gz} -> {@code wan}. */
    static String stem(Path file) {
        String n = file.getFileName().toString();
        int dot = n.indexOf('.', 1);
        return dot < 0 ? n : n.substring(0, dot);
    }

    private static List<String> captures(AnalysisInputs in) {
        List<String> files = new ArrayList<>();
        for (Path p : in.routerCapture() ? List.of(in.router()) : in.singleCapture() ? List.of(in.lan())
                : List.of(in.lan(), in.wan())) {
            files.add(p.toAbsolutePath().normalize().toString());
        }
        return files;
    }

    /**
     * Whether the report in {@code dir} was made from the same captures: its summary.json names them (relative names
     * are taken from the working folder, as natrecon wrote them). A folder without a readable summary.json is
     * another program's or a damaged run's: not ours.
     */
    private static boolean sameCaptures(Path dir, List<String> ours) {
        Path summary = dir.resolve("summary.json");
        if (!Files.isRegularFile(summary)) return false;
        try {
            String text = Files.readString(summary);
            List<String> theirs = new ArrayList<>();
            Matcher m = FILE.matcher(text);
            while (m.find() && theirs.size() < ours.size()) {
                String f = m.group(1).replace("\\\\", "\\").replace("\\\"", "\"");
                theirs.add(Path.of(f).toAbsolutePath().normalize().toString());
            }
            return theirs.equals(ours);
        } catch (IOException | RuntimeException e) {
            return false; // unreadable or not JSON we wrote: treat as another case's folder, never replace it
        }
    }
}
