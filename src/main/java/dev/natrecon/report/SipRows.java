package dev.natrecon.report;

import dev.natrecon.alg.sip.AlgFinding;
import dev.natrecon.alg.sip.MessageVerdict;
import dev.natrecon.alg.sip.SipRewriteClassifier;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The rows of {@code sip.csv} as the replay classifies the messages: each verdict is rendered at once into one compact
 * CSV line (its parsed copies are let go right after), in the order the messages reached the router, and spooled to a
 * hidden temporary file in the output folder, so memory does not grow with the SIP messages (issue 18: 100,000 calls
 * are half a million rows). A provisional verdict (SDP ports the router moved, judged against the bindings only after
 * the last packet) keeps its cells in memory until {@link #judged} completes them; its place in the spool is marked.
 * {@link #write} copies the spool into {@code sip.csv} (atomically) with the judged rows in their places.
 *
 * <p>Spool records: a length (int, big-endian) and that many UTF-8 bytes of the line, or the length -1 for a
 * provisional row (its line comes from {@link #waiting}).
 */
final class SipRows implements AutoCloseable {
    private static final int PROVISIONAL = -1;
    private final Path dir;
    private Path spoolFile;
    private DataOutputStream spool;
    private int rows;
    /** Cells of the provisional rows by row index. */
    private final Map<Integer, List<String>> waiting = new HashMap<>();
    /** Judged provisional rows by row index, until written. */
    private final Map<Integer, String> judgedLines = new HashMap<>();

    /** Rows spooled under {@code dir} (the case's output folder); the spool is made on the first row. */
    SipRows(Path dir) {
        this.dir = dir;
    }

    /** The next message's verdict; provisional when its ports wait for the bindings. */
    void add(MessageVerdict v) throws IOException {
        List<String> cells = SipCsv.row(v);
        DataOutputStream out = spool();
        if (v.unjudgedPorts() == null) {
            byte[] line = SipCsv.line(cells).getBytes(StandardCharsets.UTF_8);
            out.writeInt(line.length);
            out.write(line);
        } else {
            waiting.put(rows, cells);
            out.writeInt(PROVISIONAL);
        }
        rows++;
    }

    /** The judgement of the provisional row {@code index}. */
    void judged(int index, SipRewriteClassifier.JudgedPorts j) {
        List<String> cells = waiting.remove(index);
        if (cells == null) throw new IllegalStateException("sip.csv row " + index + " was not waiting for its ports");
        cells.set(SipCsv.CLASS_COLUMN, j.algClass().label());
        cells.set(SipCsv.FINDINGS_COLUMN, AlgFinding.render(j.findings()));
        judgedLines.put(index, SipCsv.line(cells));
    }

    /** Writes {@code sip.csv}; every provisional row must have been judged. The spool is deleted. */
    void write(Path file) throws IOException {
        if (!waiting.isEmpty()) throw new IllegalStateException(waiting.size() + " sip.csv rows were never judged");
        try (AtomicFile f = new AtomicFile(file)) {
            Writer w = f.writer();
            Csv.printer(w, SipCsv.COLUMNS).flush();
            String separator = Csv.FORMAT.getRecordSeparator();
            if (spool != null) {
                spool.close();
                spool = null;
                try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(spoolFile),
                        1 << 16))) {
                    for (int i = 0; i < rows; i++) {
                        int length = in.readInt();
                        String line = length == PROVISIONAL ? judgedLines.remove(i)
                                : new String(in.readNBytes(length), StandardCharsets.UTF_8);
                        if (line == null) throw new EOFException("sip.csv row " + i + " missing from " + spoolFile);
                        w.append(line).append(separator);
                    }
                }
            }
            w.flush();
            f.commit();
        } finally {
            close();
        }
    }

    /** Deletes the spool (after {@link #write}, or when the run fails). */
    @Override
    public void close() throws IOException {
        if (spool != null) {
            spool.close();
            spool = null;
        }
        if (spoolFile != null) Files.deleteIfExists(spoolFile);
    }

    private DataOutputStream spool() throws IOException {
        if (spool == null) {
            Files.createDirectories(dir);
            spoolFile = dir.toAbsolutePath().resolve(".sip-rows." + HexFormat.of().toHexDigits(
                    ThreadLocalRandom.current().nextLong()) + ".tmp");
            OutputStream s = Files.newOutputStream(spoolFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            spool = new DataOutputStream(new BufferedOutputStream(s, 1 << 16));
        }
        return spool;
    }
}
