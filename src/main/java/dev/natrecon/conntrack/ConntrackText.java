package dev.natrecon.conntrack;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the text conntrack-tools and the kernel print about the conntrack and expectation tables:
 * <ul>
 *   <li>{@code conntrack -E [-o timestamp[,extended]]} and {@code conntrack -L [-o extended]}, and
 *       {@code /proc/net/nf_conntrack} (extended layout: {@code ipv4 2 udp 17 29 src=…});</li>
 *   <li>{@code conntrack -E expect [-o timestamp]}, {@code conntrack -L expect} and
 *       {@code /proc/net/nf_conntrack_expect} ({@code 34 l3proto = 2 proto=17 src=… PERMANENT sip/signalling}).</li>
 * </ul>
 * <p>Pitfall (lab-notes): {@code -o timestamp} prints microseconds left-justified without zero padding,
 * {@code [1795220314.70002 ]} meaning .070002 s, so the digits after the dot are read as a count of microseconds, never
 * as a decimal fraction. (Every line the lab actually recorded in samples/&#42;/kernel-events.txt is zero-padded,
 * {@code [1795228471.033850]}; read as a count of microseconds, both forms give the same time.) The time is when
 * conntrack-tools received the event, not the kernel's.
 *
 * <p>Lines are given as Strings; a line that is not one of these forms throws {@link IllegalArgumentException} with
 * the reason, for the caller to report with its file and line number.
 */
public final class ConntrackText {
    private ConntrackText() {
    }

    /** Parses one conntrack event or listing line. */
    public static KernelEntry entry(String line) {
        Tokens t = new Tokens(line);
        long ts = t.timestamp();
        String event = t.event();
        String l3 = null;
        if (t.peekIs("ipv4") || t.peekIs("ipv6")) {
            l3 = t.next();
            t.number("layer-3 protocol number");
        }
        String proto = t.next();
        if (proto == null || proto.contains("=")) throw new IllegalArgumentException("no protocol name: " + line);
        int protoNumber = (int) t.number("protocol number");
        long timeout = t.peekNumber() ? t.number("timeout") : -1;
        String state = null;
        String p = t.peek();
        if (p != null && !p.contains("=") && !p.startsWith("[") && p.equals(p.toUpperCase(java.util.Locale.ROOT))) {
            state = t.next();
        }
        List<String> flags = new ArrayList<>();
        Map<String, String> attrs = new LinkedHashMap<>();
        List<Map<String, String>> tuples = new ArrayList<>();
        Map<String, String> current = null;
        for (String tok = t.next(); tok != null; tok = t.next()) {
            if (tok.startsWith("[") && tok.endsWith("]")) {
                flags.add(tok.substring(1, tok.length() - 1));
                continue;
            }
            int eq = tok.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException("unexpected '" + tok + "': " + line);
            String k = tok.substring(0, eq), v = tok.substring(eq + 1);
            if (k.equals("src") && tuples.size() < 2) {
                current = new LinkedHashMap<>();
                tuples.add(current);
            }
            if (current != null && isTupleKey(k) && !current.containsKey(k)) {
                current.put(k, v);
            } else {
                attrs.put(k, v);
                current = null;
            }
        }
        if (tuples.isEmpty()) throw new IllegalArgumentException("expected src= and dst= (the original tuple): " + line);
        // conntrack prints both directions; without the reply tuple KernelEntry.view() threw a NullPointerException
        // (found by RouterTextFuzzTest#conntrackLines: RouterTextFuzzTestInputs/conntrackLines/crash-f257d830…)
        KernelTuple original = tuple(tuples.get(0), line);
        if (tuples.size() < 2) throw new IllegalArgumentException("expected a second src= and dst= (the reply tuple): " + line);
        return new KernelEntry(ts, event, l3, proto, protoNumber, timeout, state, original, tuple(tuples.get(1), line),
                List.copyOf(flags), attrs);
    }

    /** Parses one expectation event or listing line (conntrack-tools or /proc). */
    public static KernelExpectation expectation(String line) {
        Tokens t = new Tokens(line);
        long ts = t.timestamp();
        String event = t.event();
        long timeout = t.peekNumber() ? t.number("timeout") : -1;
        if (t.peekIs("l3proto")) { // /proc: "l3proto = 2"
            t.next();
            if (t.peekIs("=")) t.next();
            t.number("l3proto");
        }
        int proto = -1;
        List<String> flags = new ArrayList<>();
        Map<String, String> attrs = new LinkedHashMap<>();
        Map<String, String> tuple = new LinkedHashMap<>(), mask = new LinkedHashMap<>(), master = new LinkedHashMap<>();
        Map<String, String> current = tuple;
        String helper = null, className = null;
        for (String tok = t.next(); tok != null; tok = t.next()) {
            int eq = tok.indexOf('=');
            if (eq < 0) {
                if (tok.contains("/") && helper == null) { // /proc's "sip/signalling"
                    helper = tok.substring(0, tok.indexOf('/'));
                    className = tok.substring(tok.indexOf('/') + 1);
                } else {
                    for (String f : tok.split(",")) if (!f.isEmpty()) flags.add(f);
                }
                continue;
            }
            String k = tok.substring(0, eq), v = tok.substring(eq + 1);
            switch (k) {
                case "proto" -> proto = number(k, v, line);
                case "mask-src" -> {
                    current = mask;
                    mask.put("src", v);
                }
                case "mask-dst" -> mask.put("dst", v);
                case "master-src" -> {
                    current = master;
                    master.put("src", v);
                }
                case "master-dst" -> master.put("dst", v);
                case "helper" -> helper = v;
                case "class" -> {
                    className = v;
                    attrs.put(k, v);
                }
                default -> {
                    if (isTupleKey(k) && !current.containsKey(k)) current.put(k, v);
                    else attrs.put(k, v);
                }
            }
        }
        if (tuple.isEmpty() || proto < 0) {
            throw new IllegalArgumentException("expected proto= and src=/dst= (an expectation's tuple): " + line);
        }
        return new KernelExpectation(ts, event, timeout, proto, tuple(tuple, line), mask.isEmpty() ? null : tuple(mask, line),
                master.isEmpty() ? null : tuple(master, line), List.copyOf(flags), helper, className, attrs);
    }

    private static boolean isTupleKey(String k) {
        return switch (k) {
            case "src", "dst", "sport", "dport", "type", "code", "id", "packets", "bytes" -> true;
            default -> false;
        };
    }

    /** A tuple whose src= and dst= are IP addresses and whose numbers are numbers (a truncated line fails here). */
    private static KernelTuple tuple(Map<String, String> m, String line) {
        return new KernelTuple(address(m, "src", line), address(m, "dst", line), num(m, "sport", line),
                num(m, "dport", line), num(m, "type", line), num(m, "code", line), num(m, "id", line),
                longNum(m, "packets", line), longNum(m, "bytes", line));
    }

    private static String address(Map<String, String> m, String k, String line) {
        String v = m.get(k);
        if (v == null) throw new IllegalArgumentException("expected " + k + "=ADDRESS in the tuple: " + line);
        if (!Addresses.parse(v, new long[2])) {
            throw new IllegalArgumentException("expected an IP address after " + k + "=, found '" + v + "': " + line);
        }
        return v;
    }

    private static int num(Map<String, String> m, String k, String line) {
        String v = m.get(k);
        return v == null ? -1 : number(k, v, line);
    }

    private static int number(String k, String v, String line) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a number after " + k + "=, found '" + v + "': " + line);
    }

    private static long longNum(Map<String, String> m, String k, String line) {
        String v = m.get(k);
        if (v == null) return -1;
        try {
            long n = Long.parseLong(v);
            if (n >= 0) return n;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("expected a number after " + k + "=, found '" + v + "': " + line);
    }

    /** Whitespace tokens with the few look-aheads the formats need. */
    private static final class Tokens {
        private final String line;
        private final String[] t;
        private int i;

        Tokens(String line) {
            this.line = line;
            String s = line.strip();
            this.t = s.isEmpty() ? new String[0] : s.split("\\s+");
        }

        String peek() {
            return i < t.length ? t[i] : null;
        }

        boolean peekIs(String s) {
            return s.equals(peek());
        }

        boolean peekNumber() {
            String p = peek();
            return p != null && !p.isEmpty() && p.chars().allMatch(Character::isDigit);
        }

        String next() {
            return i < t.length ? t[i++] : null;
        }

        long number(String what) {
            String n = next();
            try {
                return Long.parseLong(n);
            } catch (NumberFormatException | NullPointerException e) {
                throw new IllegalArgumentException("expected " + what + ", found " + (n == null ? "the end of the line"
                        : "'" + n + "'") + ": " + line);
            }
        }

        /** "[seconds.micros]" possibly split as "[seconds.micros" "]" by the left-justified microseconds. */
        long timestamp() {
            String p = peek();
            if (p == null || !p.startsWith("[") || p.length() < 2 || !Character.isDigit(p.charAt(1))) return -1;
            String text = next();
            if (!text.endsWith("]")) {
                if (!"]".equals(peek())) throw new IllegalArgumentException("unterminated timestamp: " + line);
                next();
            } else {
                text = text.substring(0, text.length() - 1);
            }
            text = text.substring(1);
            int dot = text.indexOf('.');
            try {
                long seconds = Long.parseLong(dot < 0 ? text : text.substring(0, dot));
                long micros = dot < 0 ? 0 : Long.parseLong(text.substring(dot + 1));
                if (micros >= 1_000_000) throw new IllegalArgumentException("microseconds out of range: " + line);
                return seconds * 1_000_000_000L + micros * 1000L;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad timestamp: " + line);
            }
        }

        String event() {
            String p = peek();
            if (p != null && p.startsWith("[") && p.endsWith("]") && p.length() > 2 && Character.isLetter(p.charAt(1))) {
                String e = p.substring(1, p.length() - 1);
                if (e.equals("NEW") || e.equals("UPDATE") || e.equals("DESTROY")) {
                    next();
                    return e;
                }
            }
            return null;
        }
    }
}
