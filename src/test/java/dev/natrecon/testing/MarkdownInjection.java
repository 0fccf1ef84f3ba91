package dev.natrecon.testing;

import java.util.ArrayList;
import java.util.List;

/**
 * The messages of the {@code markdown-injection} case: capture text that GitHub-flavoured Markdown would turn into
 * links, images or HTML, and that a spreadsheet would run as a formula, in Call-IDs, From display names, Request-URIs
 * and User-Agent values; the WAN copy of each REGISTER has its From and User-Agent changed (as a meddling ALG would),
 * so the text also reaches the findings.
 */
public final class MarkdownInjection {
    /** Every hostile token: in summary.md each must sit inside a code span; no CSV cell may start a formula. */
    public static final List<String> TOKENS = List.of("www.evil.example", "http://evil.example/x", "a@evil.example",
            "![x](http://e/x.png)", "<img src=x>", "[x](javascript:alert(1))", "=HYPERLINK(\"http://evil\",\"x\")",
            "@SUM(1+1)", "https://evil.example/y", "<b>bold</b>");

    static final List<String> CALL_IDS = List.of("www.evil.example", "http://evil.example/x", "a@evil.example",
            "![x](http://e/x.png)", "[x](javascript:alert(1))", "=HYPERLINK(\"http://evil\",\"x\")");

    private MarkdownInjection() {
    }

    static List<HostileCases.Msg> messages() {
        List<HostileCases.Msg> m = new ArrayList<>();
        int cseq = 1;
        for (String callId : CALL_IDS) {
            String lan = "REGISTER sip:a@evil.example SIP/2.0\r\n"
                    + "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-md-" + cseq + ";rport\r\n"
                    + "Max-Forwards: 70\r\n"
                    + "From: \"<img src=x> www.evil.example [x](javascript:alert(1))\" <sip:1001@203.0.113.5>;tag=md-" + cseq + "\r\n"
                    + "To: <sip:a@evil.example>\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\n"
                    + "Contact: <sip:1001@192.168.1.10:5060>\r\n"
                    + "User-Agent: @SUM(1+1) <b>bold</b> ![x](http://e/x.png)\r\n"
                    + "Expires: 600\r\nContent-Length: 0\r\n\r\n";
            String wan = lan.replace("User-Agent: @SUM(1+1) <b>bold</b> ![x](http://e/x.png)",
                            "User-Agent: @SUM(1+1) https://evil.example/y a@evil.example")
                    .replace("\"<img src=x> www.evil.example [x](javascript:alert(1))\"", "\"![x](http://e/x.png) <b>bold</b>\"");
            m.add(new HostileCases.Msg(true, false, lan, wan));
            String ok = "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-md-" + cseq + ";rport\r\n"
                    + "From: <sip:1001@203.0.113.5>;tag=md-" + cseq + "\r\nTo: <sip:a@evil.example>;tag=pv\r\n"
                    + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\nContent-Length: 0\r\n\r\n";
            m.add(new HostileCases.Msg(false, false, ok, null));
            cseq++;
        }
        return m;
    }
}
