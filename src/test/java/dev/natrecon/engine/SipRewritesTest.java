package dev.natrecon.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.AlgClass;
import dev.natrecon.alg.sip.CaseVerdict;
import dev.natrecon.decode.Addresses;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The streaming rewrite analysis as the replay feeds it: SIP packets in, sip.csv rows and the case verdict out. */
class SipRewritesTest {
    static final String PHONE = "192.168.1.10", ROUTER = "203.0.113.2", PROVIDER = "203.0.113.5";

    /** An OPTIONS request over TCP from {@code host}:5060 (Via and Contact carry it), CSeq {@code cseq}. */
    static String options(String host, int cseq) {
        return "OPTIONS sip:" + PROVIDER + ":5060;transport=tcp SIP/2.0\r\n"
                + "Via: SIP/2.0/TCP " + host + ":5060;branch=z9hG4bK-" + cseq + "\r\n"
                + "From: <sip:alice@example.com>;tag=1\r\n"
                + "To: <sip:" + PROVIDER + ">\r\n"
                + "Call-ID: tcp-two@example.com\r\n"
                + "CSeq: " + cseq + " OPTIONS\r\n"
                + "Contact: <sip:alice@" + host + ":5060;transport=tcp>\r\n"
                + "Max-Forwards: 70\r\n"
                + "Content-Length: 0\r\n\r\n";
    }

    static long[] endpoint(String host, int port) {
        long[] a = new long[2];
        assertTrue(Addresses.parse(host, a));
        return new long[] {a[0], a[1], port};
    }

    /** One TCP segment from the phone, as the LAN shows it, and its copy on the WAN, the router's rewrite applied. */
    static SipPacket segment(String lanPayload, String wanPayload) {
        return new SipPacket(1_000_000_000L, true, "lan", 7, "wan", 8, 1_000_100_000L, true, endpoint(PHONE, 5060),
                endpoint(PROVIDER, 5060), endpoint(ROUTER, 5060), endpoint(PROVIDER, 5060),
                lanPayload.getBytes(StandardCharsets.US_ASCII), null, wanPayload.getBytes(StandardCharsets.US_ASCII), null, null);
    }

    /** The sink's side of the analysis: each verdict rendered as its sip.csv row when it comes. */
    static final class Rows implements AnalysisSink {
        final List<String> rows = new java.util.ArrayList<>();

        @Override
        public void packet(dev.natrecon.correlate.Crossing c) {
        }

        @Override
        public void sipMessage(dev.natrecon.alg.sip.MessageVerdict v) {
            rows.add(dev.natrecon.report.SipCsv.line(dev.natrecon.report.SipCsv.row(v)));
        }

        @Override
        public void finish(RunResult result) {
        }
    }

    @Test
    void aTcpSegmentWithTwoMessagesGivesTwoClassifiedRows() {
        Rows sink = new Rows();
        SipRewrites r = new SipRewrites(true, new SinkFanOut(List.of(sink)));
        // Message 1 rewritten (Via and Contact mapped to the router), message 2 left alone: one row each, each judged.
        r.accept(segment(options(PHONE, 1) + options(PHONE, 2), options(ROUTER, 1) + options(PHONE, 2)));
        r.finish(List.of());
        assertEquals(2, r.pairs());
        List<String> rows = sink.rows;
        assertEquals(2, rows.size(), rows.toString());
        assertTrue(rows.get(0).contains(",1 OPTIONS,OPTIONS,"), rows.get(0));
        assertTrue(rows.get(1).contains(",2 OPTIONS,OPTIONS,"), rows.get(1));
        assertTrue(rows.get(0).contains(",linux_like,"), rows.get(0));
        assertTrue(rows.get(1).contains(",no_alg,"), rows.get(1));
        CaseVerdict v = r.verdict();
        assertEquals(1, v.count(AlgClass.LINUX_LIKE), v.toString());
        assertEquals(1, v.count(AlgClass.NO_ALG), v.toString());
        assertEquals(AlgClass.BROKEN, v.algClass(), "rewritten and untouched on one flow and direction: " + v);
    }

    @Test
    void aSegmentThatIsNotWholeMessagesStaysOneRow() {
        Rows sink = new Rows();
        SipRewrites r = new SipRewrites(true, new SinkFanOut(List.of(sink)));
        String two = options(PHONE, 1) + options(PHONE, 2);
        String cut = two.substring(0, two.length() - 10); // the second message continues in the next segment
        r.accept(segment(cut, cut.replace(PHONE, ROUTER)));
        r.finish(List.of());
        assertEquals(1, r.pairs());
        assertEquals(1, sink.rows.size());
    }

    @Test
    void rowsPastTheBoundAreCountedInTheVerdictAndNamed() {
        Rows sink = new Rows();
        SipRewrites r = new SipRewrites(true, new SinkFanOut(List.of(sink)), 1);
        r.accept(segment(options(PHONE, 1) + options(PHONE, 2), options(ROUTER, 1) + options(PHONE, 2)));
        r.finish(List.of());
        assertEquals(2, r.pairs());
        assertEquals(1, sink.rows.size(), "one row handed to the sinks");
        assertEquals(1, r.bounds().count(dev.natrecon.capture.Bound.SIP_ROWS.id()));
        CaseVerdict v = r.verdict();
        assertEquals(1, v.count(AlgClass.LINUX_LIKE), v.toString());
        assertEquals(1, v.count(AlgClass.NO_ALG), "the message without a row is still in the verdict: " + v);
    }
}
