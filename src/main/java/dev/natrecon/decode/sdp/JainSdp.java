package dev.natrecon.decode.sdp;

import dev.natrecon.decode.sip.JainSipLogging;
import gov.nist.javax.sdp.fields.AttributeField;
import gov.nist.javax.sdp.fields.ConnectionField;
import gov.nist.javax.sdp.fields.MediaField;
import gov.nist.javax.sdp.fields.OriginField;
import gov.nist.javax.sdp.fields.SDPField;
import gov.nist.javax.sdp.parser.ParserFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * jain-sip-ri's SDP field parsers, one line at a time, and a comparison of what they read with natrecon's line scan.
 *
 * <p>Quirks handled here: its whole-body parser (SDPAnnounceParser) fails on any line type it does not know and
 * accepts a body that is not SDP at all, so lines are parsed one by one; its o=, m=, a=, s=, b=, e= and p= parsers
 * print a stack trace to stderr on bad input, so those lines are only handed over after natrecon's own check passed
 * (and s=, b=, e=, p= not at all: nothing reads them); some parsers throw RuntimeExceptions
 * ({@code c=IN IP4} gives StringIndexOutOfBoundsException); it keeps only the last 18 digits of a long session id
 * and writes IPv6 origin addresses in brackets, so values are always taken from the scan.
 */
final class JainSdp {
    static {
        JainSipLogging.silence();
    }

    private JainSdp() {
    }

    record Result(SDPField parsed, String error) {
        boolean ok() {
            return error == null;
        }
    }

    static Result parse(String line) {
        try {
            return new Result(ParserFactory.createParser(line + "\r\n").parse(), null);
        } catch (Exception | StackOverflowError | LinkageError e) {
            String m = String.valueOf(e.getMessage()).replaceAll("\\[C@[0-9a-f]+", "").replaceAll("\\s+", " ").trim();
            if (m.isEmpty() || m.equals("null")) m = e.getClass().getSimpleName();
            return new Result(null, m.length() > 200 ? m.substring(0, 200) + "…" : m);
        }
    }

    static List<String> crossCheck(SDPField f, SdpOrigin o) {
        List<String> d = new ArrayList<>();
        if (f instanceof OriginField j) {
            try {
                same(d, "o= username", j.getUsername(), o.username().text());
            } catch (javax.sdp.SdpParseException e) {
                d.add("o= " + e.getMessage());
            }
            if (o.sessionId().text().length() <= 18) same(d, "o= session id", j.getSessIdAsString(), o.sessionId().text());
            sameIgnoreCase(d, "o= nettype", j.getNettype(), o.netType().text());
            sameIgnoreCase(d, "o= addrtype", j.getAddrtype(), o.addressType().text());
            String addr = j.getHost() == null ? null : unbracket(j.getHost().getHostname());
            sameIgnoreCase(d, "o= address", addr, unbracket(o.address().text()));
        }
        return d;
    }

    static List<String> crossCheck(SDPField f, SdpConnection c) {
        List<String> d = new ArrayList<>();
        if (f instanceof ConnectionField j) {
            sameIgnoreCase(d, "c= nettype", j.getNettype(), c.netType().text());
            sameIgnoreCase(d, "c= addrtype", j.getAddrtype(), c.addressType().text());
            String addr = j.getConnectionAddress() == null || j.getConnectionAddress().getAddress() == null ? null
                    : unbracket(j.getConnectionAddress().getAddress().getHostname());
            sameIgnoreCase(d, "c= address", addr, unbracket(c.address().text()));
        }
        return d;
    }

    static List<String> crossCheck(SDPField f, SdpMedia m) {
        List<String> d = new ArrayList<>();
        if (f instanceof MediaField j) {
            same(d, "m= media", j.getMedia(), m.type().text());
            same(d, "m= port", j.getPort(), m.portNumber());
            if (m.portCount() != null) same(d, "m= port count", j.getNports(), m.portCountNumber());
            same(d, "m= proto", j.getProto(), m.proto().text());
            List<String> formats = new ArrayList<>();
            if (j.getFormats() != null) for (Object x : j.getFormats()) formats.add(String.valueOf(x));
            same(d, "m= formats", formats, m.formatTexts());
        }
        return d;
    }

    static List<String> crossCheck(SDPField f, SdpAttribute a) {
        List<String> d = new ArrayList<>();
        if (f instanceof AttributeField j) {
            try {
                same(d, "a= name", j.getName(), a.name().text());
                if (a.value() != null) same(d, "a= value", j.getValue(), a.value().text());
            } catch (javax.sdp.SdpParseException e) {
                d.add("a= " + e.getMessage());
            }
        }
        return d;
    }

    private static String unbracket(String s) {
        if (s == null) return null;
        return s.length() >= 2 && s.startsWith("[") && s.endsWith("]") ? s.substring(1, s.length() - 1) : s;
    }

    private static void same(List<String> d, String what, Object jain, Object scan) {
        if (!Objects.equals(jain, scan)) d.add(what + ": jain-sip '" + jain + "', scan '" + scan + "'");
    }

    private static void sameIgnoreCase(List<String> d, String what, String jain, String scan) {
        String a = jain == null ? null : jain.toLowerCase(Locale.ROOT);
        String b = scan == null ? null : scan.toLowerCase(Locale.ROOT);
        if (!Objects.equals(a, b)) d.add(what + ": jain-sip '" + jain + "', scan '" + scan + "'");
    }
}
