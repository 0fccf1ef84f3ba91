package dev.natrecon.media;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs Debian's {@code tshark -q -z rtp,streams} on a capture and parses its table (the reference for the tests). */
final class TsharkStreams {
    static final String TSHARK = "/usr/bin/tshark";

    /** One row of tshark's RTP Streams table. */
    record Row(String src, String dst, long ssrc, String payload, long packets, long lost, double minDelta,
               double meanDelta, double maxDelta, double minJitter, double meanJitter, double maxJitter) {
        String key() {
            return String.format(java.util.Locale.ROOT, "%s>%s#%08x", src, dst, ssrc);
        }
    }

    // Start End SrcIP SrcPort DstIP DstPort SSRC Payload Pkts Lost (x%) minD meanD maxD minJ meanJ maxJ [X]
    private static final Pattern ROW = Pattern.compile("^\\s*\\S+\\s+\\S+\\s+(\\S+)\\s+(\\d+)\\s+(\\S+)\\s+(\\d+)\\s+0x([0-9A-Fa-f]+)"
            + "\\s+(.+?)\\s+(\\d+)\\s+(-?\\d+)\\s+\\(\\S+%\\)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\S+)(\\s+X)?\\s*$");

    private TsharkStreams() {
    }

    static List<Row> run(Path capture, boolean heuristic) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(TSHARK, "-n", "-r", capture.toString(), "-q", "-z", "rtp,streams"));
        if (heuristic) cmd.addAll(List.of("-o", "rtp.heuristic_rtp:TRUE"));
        Path out = Files.createTempFile("tshark-rtp", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).redirectOutput(out.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            if (p.exitValue() != 0) throw new IOException("tshark exit " + p.exitValue() + " on " + capture);
            return parse(Files.readAllLines(out, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** Frames tshark's display filter {@code filter} selects in {@code capture}. */
    static long count(Path capture, String filter) throws IOException, InterruptedException {
        Path out = Files.createTempFile("tshark-count", ".txt");
        try {
            Process p = new ProcessBuilder(TSHARK, "-n", "-r", capture.toString(), "-Y", filter, "-T", "fields", "-e",
                    "frame.number").redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException("tshark timed out on " + capture);
            }
            if (p.exitValue() != 0) throw new IOException("tshark exit " + p.exitValue() + " for filter " + filter);
            return Files.readAllLines(out).stream().filter(l -> !l.isBlank()).count();
        } finally {
            Files.deleteIfExists(out);
        }
    }

    /** The display filter of a row's 5-tuple (IPv4 or IPv6). */
    static String filter(Row r) {
        return side("src", r.src()) + " && " + side("dst", r.dst());
    }

    private static String side(String dir, String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        String addr = endpoint.substring(0, colon).replace("[", "").replace("]", "");
        String ip = addr.contains(":") ? "ipv6." : "ip.";
        return ip + dir + "==" + addr + " && udp." + dir + "port==" + endpoint.substring(colon + 1);
    }

    static List<Row> parse(List<String> lines) {
        List<Row> rows = new ArrayList<>();
        for (String l : lines) {
            Matcher m = ROW.matcher(l);
            if (!m.matches()) continue;
            rows.add(new Row(endpoint(m.group(1), m.group(2)), endpoint(m.group(3), m.group(4)),
                    Long.parseLong(m.group(5), 16), m.group(6).trim(), Long.parseLong(m.group(7)),
                    Long.parseLong(m.group(8)), d(m.group(9)), d(m.group(10)), d(m.group(11)), d(m.group(12)),
                    d(m.group(13)), d(m.group(14))));
        }
        return rows;
    }

    private static String endpoint(String addr, String port) {
        return (addr.contains(":") ? "[" + addr + "]" : addr) + ":" + port;
    }

    private static double d(String s) {
        return Double.parseDouble(s);
    }
}
