package dev.natrecon.alg.sip.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes a "broken SIP ALG" capture from a real one: edits the SIP payloads of chosen frames of a classic pcap
 * (Ethernet, IPv4, UDP), fixes the IPv4 total length and header checksum and the UDP length and checksum, and writes a
 * new pcap with every other record unchanged. Self-contained (JDK only), so it runs from the source tree:
 *
 * <pre>
 *   java src/test/java/dev/natrecon/alg/sip/tools/BreakAlg.java IN.pcap OUT.pcap EDIT...
 * </pre>
 *
 * Each EDIT applies to one frame (numbered from 1 as Wireshark does), in the order given:
 * <ul>
 *   <li>{@code FRAME:OLD=>NEW} replaces the first occurrence of the text OLD in the frame's UDP payload by NEW
 *       (fails when OLD is absent);</li>
 *   <li>{@code FRAME:content-length=N} sets the Content-Length value to N (the header's padding is kept), and
 *       {@code FRAME:content-length=auto} sets it to the real body length.</li>
 * </ul>
 * Two edits apply to every IPv4/UDP frame of one flow (SRC and DST as {@code address:port}), renumbering the frames
 * after a dropped one:
 * <ul>
 *   <li>{@code drop:SRC>DST} removes the flow's frames (e.g. one RTP direction, as a router that drops it);</li>
 *   <li>{@code sport:SRC>DST=PORT} sets the flow's UDP source port to PORT (a phone that sends its RTP from another
 *       port than it advertises), with the UDP checksum recomputed when it had one.</li>
 * </ul>
 * Content-Length is otherwise left as it was, so an edit that changes the body's length leaves it wrong — which is
 * the point. TCP is refused: changing a segment's length would shift every later sequence number. The output is a
 * pure function of the input and the edits (same bytes every run). Also called from the tests ({@link #run}).
 */
public final class BreakAlg {
    private BreakAlg() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 3) {
            System.err.println("usage: BreakAlg IN.pcap OUT.pcap FRAME:OLD=>NEW | FRAME:content-length=N|auto ...");
            System.exit(2);
        }
        try {
            run(Path.of(args[0]), Path.of(args[1]), Arrays.asList(args).subList(2, args.length), System.out);
        } catch (IllegalArgumentException e) {
            System.err.println("BreakAlg: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Applies {@code edits} to {@code in}, writes {@code out}, reports each edit to {@code log} (may be null). */
    public static void run(Path in, Path out, List<String> edits, PrintStream log) throws IOException {
        byte[] file = Files.readAllBytes(in);
        if (file.length < 24) throw new IllegalArgumentException(in + ": too short for a pcap");
        int magic = le32(file, 0);
        boolean little;
        if (magic == 0xa1b2c3d4 || magic == 0xa1b23c4d) little = true;
        else if (Integer.reverseBytes(magic) == 0xa1b2c3d4 || Integer.reverseBytes(magic) == 0xa1b23c4d) little = false;
        else throw new IllegalArgumentException(in + ": not a classic pcap (pcapng is not supported)");
        if (i32(file, 20, little) != 1) throw new IllegalArgumentException(in + ": link type is not Ethernet");

        Map<Long, List<String>> byFrame = new LinkedHashMap<>();
        List<String> flowEdits = new ArrayList<>();
        for (String e : edits) {
            if (e.startsWith("drop:") || e.startsWith("sport:")) {
                flowEdits.add(e);
                continue;
            }
            int colon = e.indexOf(':');
            if (colon <= 0) throw new IllegalArgumentException("edit without FRAME: " + e);
            byFrame.computeIfAbsent(Long.parseLong(e.substring(0, colon)), k -> new ArrayList<>()).add(e.substring(colon + 1));
        }

        java.io.ByteArrayOutputStream o = new java.io.ByteArrayOutputStream(file.length + 1024);
        o.write(file, 0, 24);
        int pos = 24;
        long frame = 0;
        while (pos + 16 <= file.length) {
            frame++;
            int incl = i32(file, pos + 8, little), orig = i32(file, pos + 12, little);
            byte[] data = Arrays.copyOfRange(file, pos + 16, pos + 16 + incl);
            data = flowEdits(data, flowEdits);
            if (data == null) {
                frame--;
                pos += 16 + incl;
                continue;
            }
            List<String> mine = byFrame.remove(frame);
            if (mine != null) {
                if (incl != orig) throw new IllegalArgumentException("frame " + frame + " was cut by the snap length");
                data = edit(frame, data, mine, log);
            }
            byte[] header = Arrays.copyOfRange(file, pos, pos + 16);
            put32(header, 8, data.length, little);
            put32(header, 12, mine != null ? data.length : orig, little);
            o.write(header);
            o.write(data);
            pos += 16 + incl;
        }
        if (pos != file.length) throw new IllegalArgumentException(in + ": trailing bytes after the last record");
        if (!byFrame.isEmpty()) throw new IllegalArgumentException("no frame " + byFrame.keySet() + " in " + in);
        Files.write(out, o.toByteArray());
    }

    private static byte[] edit(long frame, byte[] f, List<String> edits, PrintStream log) {
        if (f.length < 14 + 20 + 8 || (f[12] & 0xff) != 0x08 || f[13] != 0x00) {
            throw new IllegalArgumentException("frame " + frame + " is not Ethernet/IPv4");
        }
        int ip = 14, ihl = (f[ip] & 0x0f) * 4;
        if ((f[ip] & 0xf0) != 0x40 || f[ip + 9] != 17) throw new IllegalArgumentException("frame " + frame + " is not IPv4/UDP");
        if ((be16(f, ip + 6) & 0x3fff) != 0) throw new IllegalArgumentException("frame " + frame + " is a fragment");
        int udp = ip + ihl, payload = udp + 8, end = ip + be16(f, ip + 2);
        String text = new String(f, payload, end - payload, StandardCharsets.ISO_8859_1);
        for (String e : edits) {
            String before = text;
            if (e.startsWith("content-length=")) {
                text = contentLength(frame, text, e.substring("content-length=".length()));
            } else {
                int arrow = e.indexOf("=>");
                if (arrow < 0) throw new IllegalArgumentException("frame " + frame + ": edit is neither OLD=>NEW nor content-length=: " + e);
                String old = e.substring(0, arrow), neu = e.substring(arrow + 2);
                int at = text.indexOf(old);
                if (old.isEmpty() || at < 0) throw new IllegalArgumentException("frame " + frame + ": '" + old + "' not found");
                text = text.substring(0, at) + neu + text.substring(at + old.length());
            }
            if (log != null) log.println("frame " + frame + ": " + e + " (" + before.length() + " -> " + text.length() + " bytes)");
        }
        byte[] body = text.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[payload + body.length + (f.length - end)];
        System.arraycopy(f, 0, out, 0, payload);
        System.arraycopy(body, 0, out, payload, body.length);
        System.arraycopy(f, end, out, payload + body.length, f.length - end); // Ethernet padding, if any
        int ipLength = ihl + 8 + body.length;
        if (ipLength > 65535) throw new IllegalArgumentException("frame " + frame + ": datagram too long");
        put16(out, ip + 2, ipLength);
        put16(out, ip + 10, 0);
        put16(out, ip + 10, checksum(out, ip, ihl, 0));
        put16(out, udp + 4, 8 + body.length);
        boolean hadChecksum = be16(f, udp + 6) != 0;
        put16(out, udp + 6, 0);
        if (hadChecksum) {
            long pseudo = be16(out, ip + 12) + be16(out, ip + 14) + be16(out, ip + 16) + be16(out, ip + 18) + 17 + 8 + body.length;
            int c = checksum(out, udp, 8 + body.length, pseudo);
            put16(out, udp + 6, c == 0 ? 0xffff : c);
        }
        return out;
    }

    /** The frame after the flow edits that concern it, or null when one drops it. */
    private static byte[] flowEdits(byte[] f, List<String> edits) {
        if (edits.isEmpty() || f.length < 14 + 20 + 8 || (f[12] & 0xff) != 0x08 || f[13] != 0x00) return f;
        int ip = 14, ihl = (f[ip] & 0x0f) * 4;
        if ((f[ip] & 0xf0) != 0x40 || f[ip + 9] != 17) return f;
        int udp = ip + ihl;
        String flow = (f[ip + 12] & 0xff) + "." + (f[ip + 13] & 0xff) + "." + (f[ip + 14] & 0xff) + "." + (f[ip + 15] & 0xff)
                + ":" + be16(f, udp) + ">" + (f[ip + 16] & 0xff) + "." + (f[ip + 17] & 0xff) + "." + (f[ip + 18] & 0xff)
                + "." + (f[ip + 19] & 0xff) + ":" + be16(f, udp + 2);
        for (String e : edits) {
            if (e.equals("drop:" + flow)) return null;
            if (e.startsWith("sport:" + flow + "=")) {
                f = f.clone();
                put16(f, udp, Integer.parseInt(e.substring(e.indexOf('=') + 1)));
                if (be16(f, udp + 6) != 0) {
                    int len = be16(f, udp + 4);
                    put16(f, udp + 6, 0);
                    long pseudo = be16(f, ip + 12) + be16(f, ip + 14) + be16(f, ip + 16) + be16(f, ip + 18) + 17 + len;
                    int c = checksum(f, udp, len, pseudo);
                    put16(f, udp + 6, c == 0 ? 0xffff : c);
                }
            }
        }
        return f;
    }

    private static String contentLength(long frame, String text, String value) {
        int headersEnd = text.indexOf("\r\n\r\n");
        if (headersEnd < 0) throw new IllegalArgumentException("frame " + frame + ": no end of headers");
        int bodyLength = text.length() - headersEnd - 4;
        String v = value.equals("auto") ? Integer.toString(bodyLength) : value;
        int line = 0;
        while (line < headersEnd) {
            int eol = text.indexOf("\r\n", line);
            String name = text.substring(line, text.indexOf(':', line) < 0 ? line : text.indexOf(':', line)).trim();
            if (name.equalsIgnoreCase("Content-Length") || name.equals("l")) {
                int colon = text.indexOf(':', line);
                int digits = colon + 1;
                while (text.charAt(digits) == ' ' || text.charAt(digits) == '\t') digits++;
                int digitsEnd = digits;
                while (digitsEnd < eol && Character.isDigit(text.charAt(digitsEnd))) digitsEnd++;
                return text.substring(0, digits) + v + text.substring(digitsEnd);
            }
            line = eol + 2;
        }
        throw new IllegalArgumentException("frame " + frame + ": no Content-Length header");
    }

    /** The Internet checksum of {@code b[off, off+len)} plus {@code initial} (a pseudo-header sum). */
    private static int checksum(byte[] b, int off, int len, long initial) {
        long sum = initial;
        for (int i = 0; i + 1 < len; i += 2) sum += be16(b, off + i);
        if ((len & 1) != 0) sum += (b[off + len - 1] & 0xff) << 8;
        while ((sum >>> 16) != 0) sum = (sum & 0xffff) + (sum >>> 16);
        return (int) (~sum & 0xffff);
    }

    private static int be16(byte[] b, int o) {
        return (b[o] & 0xff) << 8 | (b[o + 1] & 0xff);
    }

    private static void put16(byte[] b, int o, int v) {
        b[o] = (byte) (v >>> 8);
        b[o + 1] = (byte) v;
    }

    private static int le32(byte[] b, int o) {
        return (b[o] & 0xff) | (b[o + 1] & 0xff) << 8 | (b[o + 2] & 0xff) << 16 | (b[o + 3] & 0xff) << 24;
    }

    private static int i32(byte[] b, int o, boolean little) {
        int v = le32(b, o);
        return little ? v : Integer.reverseBytes(v);
    }

    private static void put32(byte[] b, int o, int v, boolean little) {
        int x = little ? v : Integer.reverseBytes(v);
        b[o] = (byte) x;
        b[o + 1] = (byte) (x >>> 8);
        b[o + 2] = (byte) (x >>> 16);
        b[o + 3] = (byte) (x >>> 24);
    }
}
