package dev.natrecon.report;

import dev.natrecon.decode.sip.SipHeader;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParser;
import dev.natrecon.engine.SipPacket;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The SIP messages of each call (Call-ID) as they crossed the router, for the ladder diagrams: every message with the
 * frames of its copy before and after the router and the fields the router rewrote (arriving copy against the copy the
 * other capture shows), and where the model's helper would have written something else. Memory is bounded: at most
 * {@link #MAX_CALLS} calls and {@link #MAX_MESSAGES} messages per call are kept (the rest are counted), each message's
 * text at most {@link #MAX_TEXT} characters. Text is kept raw (credentials already redacted unless asked not to);
 * renderers escape it.
 */
public final class CallLadder {
    public static final int MAX_CALLS = 30;
    public static final int MAX_MESSAGES = 60;
    public static final int MAX_TEXT = 4096;
    private static final int MAX_COUNTED_CALLS = 100_000;

    /** One field that differs between two copies of a message ({@code before} or {@code after} empty when absent). */
    public record Change(String field, String before, String after) {
    }

    /**
     * One message at the router: {@code outbound} when it arrived from the LAN; {@code outSide}/{@code outFrame} locate
     * the copy after the router (null/0 when the other capture shows none).
     */
    public record Message(long nanos, boolean outbound, String inSide, long inFrame, String outSide, long outFrame,
                          String label, String cseq, List<Change> changes, List<Change> mispredicted,
                          String beforeText, String afterText) {
        /** The fields the router rewrote, comma-separated. */
        public String changedFields() {
            return String.join(", ", changes.stream().map(Change::field).distinct().toList());
        }
    }

    /** One Call-ID's messages in arrival order, with how many more were seen than kept. */
    public static final class Call {
        public final String callId;
        public final List<Message> messages = new ArrayList<>();
        public int omitted;

        Call(String callId) {
            this.callId = callId;
        }
    }

    private final boolean redact;
    private final Map<String, Call> calls = new LinkedHashMap<>();
    private final Set<String> otherCalls = new HashSet<>();
    private long otherMessages, unparsed;

    public CallLadder(boolean redact) {
        this.redact = redact;
    }

    public void accept(SipPacket p) {
        List<SipMessage> before = messages(p.before());
        if (before.isEmpty()) {
            unparsed++;
            return;
        }
        // the copies after the router and as predicted are parsed only for a message that is drawn: on a case of
        // thousands of calls all but the first MAX_CALLS are only counted, and parsing them was a fifth of the replay
        List<SipMessage> after = null, predicted = null;
        for (int i = 0; i < before.size(); i++) {
            SipMessage m = before.get(i);
            String callId = m.callId().map(s -> s.text()).orElse("(no Call-ID)");
            Call call = calls.get(callId);
            if (call == null) {
                if (calls.size() >= MAX_CALLS) {
                    if (otherCalls.size() < MAX_COUNTED_CALLS) otherCalls.add(callId);
                    otherMessages++;
                    continue;
                }
                call = new Call(callId);
                calls.put(callId, call);
            }
            if (call.messages.size() >= MAX_MESSAGES) {
                call.omitted++;
                continue;
            }
            if (after == null) {
                after = p.observed() == null ? List.of() : messages(p.observed());
                predicted = p.predicted() == null ? List.of() : messages(p.predicted());
            }
            SipMessage out = i < after.size() ? after.get(i) : null;
            SipMessage pred = i < predicted.size() ? predicted.get(i) : null;
            boolean hasOut = p.counterpartSide() != null && p.counterpartFrame() != 0;
            List<Change> changes = out == null ? List.of() : diff(m, out);
            List<Change> mispredicted = out == null || pred == null ? List.of() : diff(pred, out);
            call.messages.add(new Message(p.nanos(), p.outbound(), p.side(), p.frame(),
                    hasOut ? p.counterpartSide() : null, hasOut ? p.counterpartFrame() : 0, label(m),
                    m.cseq().map(c -> c.text().text()).orElse(""), changes, mispredicted, text(m),
                    out == null ? "" : text(out)));
        }
    }

    private List<SipMessage> messages(byte[] b) {
        if (b == null || b.length == 0) return List.of();
        try {
            return SipParser.parseDatagram(b, 0, b.length, redact).messages();
        } catch (RuntimeException e) {
            return List.of();
        }
    }

    private static String label(SipMessage m) {
        if (m.isRequest()) return m.method();
        String reason = m.reason() == null ? "" : " " + m.reason().text();
        return m.statusCode() + reason;
    }

    private String text(SipMessage m) {
        String t = Escape.redact(new String(m.bytes(), java.nio.charset.StandardCharsets.ISO_8859_1), redact);
        if (t.length() > MAX_TEXT) t = t.substring(0, MAX_TEXT) + "\n[… " + (t.length() - MAX_TEXT) + " more characters]";
        return t;
    }

    /** Start line, each header by name and occurrence, and the body line by line. */
    List<Change> diff(SipMessage a, SipMessage b) {
        List<Change> out = new ArrayList<>();
        String sa = a.startLine().text(), sb = b.startLine().text();
        if (!sa.equals(sb)) out.add(new Change("start line", sa, sb));
        Map<String, String> ha = headers(a), hb = headers(b);
        for (Map.Entry<String, String> e : ha.entrySet()) {
            String other = hb.get(e.getKey());
            if (!e.getValue().equals(other)) out.add(change(e.getKey(), e.getValue(), other == null ? "" : other));
        }
        for (Map.Entry<String, String> e : hb.entrySet()) {
            if (!ha.containsKey(e.getKey())) out.add(change(e.getKey(), "", e.getValue()));
        }
        String[] ba = lines(a), bb = lines(b);
        for (int i = 0; i < Math.max(ba.length, bb.length); i++) {
            String x = i < ba.length ? ba[i] : "", y = i < bb.length ? bb[i] : "";
            if (!x.equals(y)) {
                String field = (x.length() > 1 && x.charAt(1) == '=' ? x : y);
                out.add(new Change("body " + (field.length() > 1 && field.charAt(1) == '=' ? field.substring(0, 2) : "line " + (i + 1)), x, y));
            }
        }
        return out;
    }

    private Change change(String field, String before, String after) {
        boolean auth = field.toLowerCase(Locale.ROOT).endsWith("authorization");
        return new Change(field, auth ? redactValue(before) : before, auth ? redactValue(after) : after);
    }

    private String redactValue(String v) {
        return !redact || v.isEmpty() ? v : Escape.credentials(v);
    }

    private static Map<String, String> headers(SipMessage m) {
        Map<String, String> out = new LinkedHashMap<>();
        Map<String, Integer> seen = new HashMap<>();
        for (SipHeader h : m.headers()) {
            String name = h.canonicalName() != null ? h.canonicalName() : h.name().text();
            int n = seen.merge(name.toLowerCase(Locale.ROOT), 1, Integer::sum);
            out.put(n == 1 ? name : name + "[" + n + "]", h.value() == null ? "" : h.value().text());
        }
        return out;
    }

    private static String[] lines(SipMessage m) {
        String body = m.bodyText();
        if (body == null || body.isEmpty()) return new String[0];
        return body.replace("\r", "").split("\n");
    }

    /** The calls kept, in order of their first message. */
    public List<Call> calls() {
        return List.copyOf(calls.values());
    }

    /** Calls seen beyond {@link #MAX_CALLS} (counted up to a limit) and their messages. */
    public int otherCalls() {
        return otherCalls.size();
    }

    public long otherMessages() {
        return otherMessages;
    }

    /** SIP-port payloads that held no SIP message the parser accepted. */
    public long unparsed() {
        return unparsed;
    }

    // ---- drawing ----

    private static final int PHONE = 110, LAN = 300, ROUTER = 500, WAN = 700, PROVIDER = 890, WIDTH = 960, ROW = 30,
            TOP = 58;
    /** Characters that fit over one half of an arrow (390 px at about 6.5 px per character of an 11 px sans font). */
    private static final int HALF_CHARS = 58;

    /**
     * The ladder of one call as SVG: phone, LAN capture, router, WAN capture, provider; each message as an arrow to the
     * router and one from it, each half labelled with the message and its frame on that side (the one from the router
     * orange when the router rewrote fields, with the first change under it; a red cross when the other capture shows
     * no copy). {@code standalone} adds the XML namespace for a file of its own.
     */
    public static String svg(Call call, boolean standalone) {
        return svg(call, standalone, null);
    }

    /** The ladder with the call's media bars beside the capture lanes ({@link LadderMedia}); {@code media} may be null. */
    public static String svg(Call call, boolean standalone, dev.natrecon.detect.CallRecord media) {
        int rows = call.messages.size() + (call.omitted > 0 ? 1 : 0);
        int height = TOP + rows * ROW + 16;
        StringBuilder s = new StringBuilder(4096);
        s.append("<svg").append(standalone ? " xmlns=\"http://www.w3.org/2000/svg\"" : "")
                .append(" class=\"ladder\" width=\"").append(WIDTH).append("\" height=\"").append(height)
                .append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" font-family=\"SansSerif, sans-serif\" font-size=\"11\" role=\"img\">\n");
        s.append("<title>").append(Escape.html("SIP ladder of Call-ID " + call.callId)).append("</title>\n");
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n");
        int bottom = height - 8;
        lane(s, PHONE, "phone", false, bottom);
        lane(s, LAN, "LAN capture", true, bottom);
        lane(s, ROUTER, "router", false, bottom);
        lane(s, WAN, "WAN capture", true, bottom);
        lane(s, PROVIDER, "provider", false, bottom);
        long t0 = call.messages.isEmpty() ? 0 : call.messages.get(0).nanos();
        int y = TOP;
        for (Message m : call.messages) {
            text(s, 4, y + 4, "start", "#555555", String.format(Locale.ROOT, "+%.3f s", (m.nanos() - t0) / 1e9));
            int from = m.outbound() ? PHONE : PROVIDER, to = m.outbound() ? PROVIDER : PHONE;
            arrow(s, from, ROUTER, y, "#1f2937", false);
            text(s, (from + ROUTER) / 2, y - 5, "middle", "#1f2937", shorten(halfLabel(m, m.inSide(), m.inFrame()), HALF_CHARS));
            if (m.outSide() == null) {
                int x = ROUTER + (m.outbound() ? 14 : -14);
                s.append("<path d=\"M").append(x - 5).append(' ').append(y - 5).append(" L").append(x + 5).append(' ')
                        .append(y + 5).append(" M").append(x - 5).append(' ').append(y + 5).append(" L").append(x + 5)
                        .append(' ').append(y - 5).append("\" stroke=\"#c92a2a\" stroke-width=\"2\"/>\n");
                text(s, (ROUTER + to) / 2, y - 5, "middle", "#c92a2a", shorten(m.label() + ": no copy after the router", HALF_CHARS));
            } else {
                boolean rewritten = !m.changes().isEmpty();
                String colour = rewritten ? "#d9480f" : "#1f2937";
                arrow(s, ROUTER, to, y, colour, rewritten);
                String outLabel = halfLabel(m, m.outSide(), m.outFrame()) + (rewritten ? ", rewritten" : ", unchanged")
                        + (m.mispredicted().isEmpty() ? "" : " (model: differs)");
                text(s, (ROUTER + to) / 2, y - 5, "middle", colour, shorten(outLabel, HALF_CHARS));
                if (rewritten) {
                    String what = changeText(m.changes().get(0))
                            + (m.changes().size() > 1 ? " +" + (m.changes().size() - 1) + " more" : "");
                    smallText(s, (ROUTER + to) / 2, y + 11, colour, shorten(what, HALF_CHARS + 4));
                }
            }
            y += ROW;
        }
        if (call.omitted > 0) {
            text(s, ROUTER, y, "middle", "#555555", call.omitted + " more messages not drawn (limit " + MAX_MESSAGES + " per call)");
        }
        LadderMedia.bars(s, media, call.messages.stream().map(Message::nanos).toList(), TOP, ROW, LAN, WAN, WIDTH);
        s.append("</svg>\n");
        return s.toString();
    }

    private static void lane(StringBuilder s, int x, String name, boolean capture, int bottom) {
        s.append("<line x1=\"").append(x).append("\" y1=\"30\" x2=\"").append(x).append("\" y2=\"").append(bottom)
                .append("\" stroke=\"").append(capture ? "#74c0fc" : "#868e96").append("\" stroke-width=\"")
                .append(capture ? "1" : "2").append('"').append(capture ? " stroke-dasharray=\"4 3\"" : "").append("/>\n");
        s.append("<text x=\"").append(x).append("\" y=\"20\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"")
                .append(capture ? "#1971c2" : "#212529").append("\">").append(Escape.html(name)).append("</text>\n");
    }

    private static void arrow(StringBuilder s, int from, int to, int y, String colour, boolean thick) {
        int dir = to > from ? 1 : -1;
        s.append("<line x1=\"").append(from).append("\" y1=\"").append(y).append("\" x2=\"").append(to - dir * 7)
                .append("\" y2=\"").append(y).append("\" stroke=\"").append(colour).append("\" stroke-width=\"")
                .append(thick ? "2.5" : "1.5").append("\"/>\n");
        s.append("<polygon points=\"").append(to).append(',').append(y).append(' ').append(to - dir * 8).append(',')
                .append(y - 4).append(' ').append(to - dir * 8).append(',').append(y + 4).append("\" fill=\"")
                .append(colour).append("\"/>\n");
    }

    private static void text(StringBuilder s, int x, int y, String anchor, String colour, String text) {
        s.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"").append(anchor)
                .append("\" fill=\"").append(colour).append("\">").append(Escape.html(text)).append("</text>\n");
    }

    /** One half's label: the message and where it was captured ("INVITE  lan #3"). */
    private static String halfLabel(Message m, String side, long frame) {
        return m.label() + "  " + side + " #" + frame;
    }

    /** What the router changed in one field, only the part that differs: "Contact: 192.168.1.10:5060 → 203.0.113.2:1025". */
    static String changeText(Change c) {
        if (c.before().isEmpty()) return c.field() + " added: " + c.after();
        if (c.after().isEmpty()) return c.field() + " removed";
        String a = c.before(), b = c.after();
        int pre = 0;
        while (pre < a.length() && pre < b.length() && a.charAt(pre) == b.charAt(pre)) pre++;
        int suf = 0;
        while (suf < a.length() - pre && suf < b.length() - pre
                && a.charAt(a.length() - 1 - suf) == b.charAt(b.length() - 1 - suf)) suf++;
        while (pre > 0 && !isTokenEdge(a.charAt(pre - 1))) pre--;
        while (suf > 0 && !isTokenEdge(a.charAt(a.length() - suf))) suf--;
        return c.field() + ": " + a.substring(pre, a.length() - suf) + " → " + b.substring(pre, b.length() - suf);
    }

    /** Characters that end an address, a port or a parameter in a SIP header or SDP line. */
    private static boolean isTokenEdge(char ch) {
        return ch == ' ' || ch == ';' || ch == '<' || ch == '>' || ch == '@' || ch == '=' || ch == ',' || ch == '"'
                || ch == '/';
    }

    private static void smallText(StringBuilder s, int x, int y, String colour, String text) {
        s.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" text-anchor=\"middle\" font-size=\"10\" fill=\"")
                .append(colour).append("\">").append(Escape.html(text)).append("</text>\n");
    }

    static String shorten(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
