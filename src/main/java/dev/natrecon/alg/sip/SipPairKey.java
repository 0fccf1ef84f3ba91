package dev.natrecon.alg.sip;

import dev.natrecon.decode.sip.SipHeader;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import dev.natrecon.decode.sip.SipVia;
import java.util.List;
import java.util.Locale;

/**
 * What identifies one SIP message on both sides of a router, none of which a NAT or a Linux-like ALG rewrites: the
 * Call-ID, the CSeq (number and method, whitespace collapsed), the method of a request or the status code of a
 * response, and the branch of the top Via. Read from a parsed message, or from the header lines a rejected parse kept
 * (so a copy an ALG mangled beyond parsing can still be paired). {@link #withoutCallId()} is the fallback for routers
 * that rewrite the Call-ID.
 */
public record SipPairKey(String callId, String cseq, String methodOrStatus, String branch) {
    /** The key of a parse result, or null for keep-alives, non-SIP payloads and rejections without Call-ID and CSeq. */
    public static SipPairKey of(SipParse parse) {
        if (parse instanceof SipParse.Message mm) {
            SipMessage m = mm.message();
            String callId = m.callId().map(s -> s.text().trim()).orElse("");
            String cseq = m.cseq().map(c -> c.sequence() + " " + c.methodName()).orElse("");
            String start = m.isRequest() ? m.method() : Integer.toString(m.statusCode());
            String branch = m.topVia().map(SipVia::branch).map(s -> s.text()).orElse("");
            return new SipPairKey(callId, cseq, start, branch);
        }
        if (parse instanceof SipParse.Rejected r) {
            String callId = "", cseq = "", branch = "";
            boolean via = false;
            for (SipHeader h : r.headers()) {
                String v = h.value().text().trim();
                if (h.is("Call-ID") && callId.isEmpty()) callId = v;
                else if (h.is("CSeq") && cseq.isEmpty()) cseq = v.replaceAll("\\s+", " ");
                else if (h.is("Via") && !via) {
                    via = true;
                    branch = param(v, "branch");
                }
            }
            if (callId.isEmpty() && cseq.isEmpty()) return null;
            return new SipPairKey(callId, cseq, startToken(r.startLine().text()), branch);
        }
        return null;
    }

    /** The same key with the Call-ID left out. */
    public SipPairKey withoutCallId() {
        return new SipPairKey("", cseq, methodOrStatus, branch);
    }

    /** "INVITE" or "200 (INVITE)": the method, or the status code with the CSeq method. */
    public String label() {
        if (methodOrStatus.length() == 3 && Character.isDigit(methodOrStatus.charAt(0))) {
            List<String> parts = List.of(cseq.split(" "));
            return methodOrStatus + (parts.size() > 1 ? " (" + parts.get(1) + ")" : "");
        }
        return methodOrStatus;
    }

    private static String startToken(String line) {
        String t = line.trim();
        if (t.toUpperCase(Locale.ROOT).startsWith("SIP/")) {
            String[] parts = t.split(" +");
            return parts.length > 1 ? parts[1] : "";
        }
        int sp = t.indexOf(' ');
        return sp < 0 ? t : t.substring(0, sp);
    }

    private static String param(String value, String name) {
        String lower = value.toLowerCase(Locale.ROOT);
        int at = lower.indexOf(";" + name + "=");
        if (at < 0) return "";
        int s = at + name.length() + 2, e = s;
        while (e < value.length() && ";, \t".indexOf(value.charAt(e)) < 0) e++;
        return value.substring(s, e);
    }
}
