package dev.natrecon.reassembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.sip.SipMessage;
import dev.natrecon.decode.sip.SipParse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SipStreamFramerTest {
    static final String SDP = "v=0\r\no=- 1 1 IN IP4 10.0.0.1\r\ns=-\r\nc=IN IP4 10.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n";
    static final String INVITE = "INVITE sip:bob@10.0.0.2 SIP/2.0\r\n"
            + "Via: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "From: <sip:alice@10.0.0.1>;tag=1\r\nTo: <sip:bob@10.0.0.2>\r\nCall-ID: tcp@test\r\nCSeq: 1 INVITE\r\n"
            + "Contact: <sip:alice@10.0.0.1:5060;transport=tcp>\r\nContent-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP;
    static final String OK = "SIP/2.0 200 OK\r\nv: SIP/2.0/TCP 10.0.0.1:5060;branch=z9hG4bK1\r\n"
            + "f: <sip:alice@10.0.0.1>;tag=1\r\nt: <sip:bob@10.0.0.2>;tag=2\r\ni: tcp@test\r\nCSeq: 1 INVITE\r\n"
            + "l:\r\n " + SDP.length() + "\r\nc: application/sdp\r\n\r\n" + SDP;
    /** Two messages with a CRLFCRLF ping between them; the second folds its compact Content-Length. */
    static final byte[] TWO = bytes(INVITE + "\r\n\r\n" + OK);
    static final long ISN = 0xfffffe00L; // the sequence numbers wrap inside the stream

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    record Fed(List<SipStreamItem> items, AnomalyCounts anomalies) {
        List<SipStreamItem> messages() {
            return items.stream().filter(i -> i.kind() == SipStreamItem.Kind.MESSAGE).toList();
        }
    }

    /** Feeds {@code input} cut at {@code cuts} as segments numbered 1, 2, 3… with sequence numbers from ISN. */
    static Fed feed(byte[] input, int... cuts) {
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>();
        int prev = 0;
        int[] ends = Arrays.copyOf(cuts, cuts.length + 1);
        ends[cuts.length] = input.length;
        for (int s = 0; s < ends.length; s++) {
            items.addAll(f.offer(ISN + prev, input, prev, ends[s] - prev, s + 1, a));
            prev = ends[s];
        }
        items.addAll(f.finish(a));
        return new Fed(items, a);
    }

    /** Frames an item at [start, end) of the input must report, given the cut positions. */
    static List<Long> framesOf(int start, int end, int... cuts) {
        List<Long> out = new ArrayList<>();
        int prev = 0;
        for (int s = 0; s <= cuts.length; s++) {
            int segEnd = s < cuts.length ? cuts[s] : Integer.MAX_VALUE;
            if (segEnd > prev && start < segEnd && end > prev) out.add((long) s + 1);
            prev = Math.max(prev, segEnd);
        }
        return out;
    }

    @Test
    void everySplitPointOfTwoMessagesGivesTheSameItems() {
        int a = INVITE.length(), b = a + 4;
        Map<String, dev.natrecon.decode.sip.Span> reference = parse(Arrays.copyOfRange(TWO, b, TWO.length)).fields();
        for (int k = 0; k <= TWO.length; k++) {
            Fed fed = feed(TWO, k);
            assertEquals(0, fed.anomalies().total(), "split at " + k + ": " + fed.anomalies().asMap());
            assertEquals(3, fed.items().size(), "split at " + k);
            assertEquals(List.of(SipStreamItem.Kind.MESSAGE, SipStreamItem.Kind.KEEPALIVE, SipStreamItem.Kind.MESSAGE),
                    fed.items().stream().map(SipStreamItem::kind).toList(), "split at " + k);
            assertArrayEquals(Arrays.copyOfRange(TWO, 0, a), fed.items().get(0).bytes(), "split at " + k);
            assertArrayEquals(bytes("\r\n\r\n"), fed.items().get(1).bytes(), "split at " + k);
            assertArrayEquals(Arrays.copyOfRange(TWO, b, TWO.length), fed.items().get(2).bytes(), "split at " + k);
            assertEquals(framesOf(0, a, k), fed.items().get(0).frames(), "split at " + k);
            assertEquals(framesOf(a, b, k), fed.items().get(1).frames(), "split at " + k);
            assertEquals(framesOf(b, TWO.length, k), fed.items().get(2).frames(), "split at " + k);
            assertEquals((ISN + b) & 0xffffffffL, fed.items().get(2).firstSeq(), "split at " + k);
            assertEquals(reference, parse(fed.items().get(2).bytes()).fields());
        }
        SipMessage ok = parse(Arrays.copyOfRange(TWO, b, TWO.length));
        assertEquals(SDP.length(), ok.contentLength(), "the folded compact l: was read");
        assertEquals(List.of(), ok.issues());
    }

    @Test
    void threeWaySplitSweep() {
        String first = "OPTIONS sip:h SIP/2.0\r\nl: 2\r\n\r\nab";
        String second = "SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n";
        byte[] in = bytes(first + "\r\n" + second + "\r\n");
        int a = first.length(), b = a + 2, c = b + second.length();
        for (int i = 0; i <= in.length; i++) {
            for (int j = i; j <= in.length; j++) {
                Fed fed = feed(in, i, j);
                String where = "cuts " + i + "," + j;
                assertEquals(0, fed.anomalies().total(), where);
                assertEquals(4, fed.items().size(), where + " " + fed.items());
                assertArrayEquals(Arrays.copyOfRange(in, 0, a), fed.items().get(0).bytes(), where);
                assertArrayEquals(bytes("\r\n"), fed.items().get(1).bytes(), where);
                assertArrayEquals(Arrays.copyOfRange(in, b, c), fed.items().get(2).bytes(), where);
                assertArrayEquals(bytes("\r\n"), fed.items().get(3).bytes(), where + ": a pong at the end comes out at finish");
                assertEquals(framesOf(b, c, i, j), fed.items().get(2).frames(), where);
            }
        }
    }

    @Test
    void manyMessagesInOneSegmentAndOneMessageOverManySegments() {
        byte[] three = bytes(INVITE + OK + INVITE);
        Fed one = feed(three);
        assertEquals(3, one.messages().size());
        assertEquals(List.of(1L), one.messages().get(2).frames());

        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>();
        for (int i = 0; i < TWO.length; i++) items.addAll(f.offer(1000 + i, TWO, i, 1, 100 + i, a));
        assertEquals(3, items.size());
        assertEquals(INVITE.length(), items.get(0).frames().size(), "one frame per byte");
        assertEquals(100L, items.get(0).frames().get(0));
        assertEquals(0, f.buffered());
        assertEquals(0, a.total());
    }

    @Test
    void retransmissionsAreIgnoredAndOverlapsUseOnlyNewBytes() {
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>();
        int half = 100;
        items.addAll(f.offer(5000, TWO, 0, half, 1, a));
        items.addAll(f.offer(5000, TWO, 0, half, 2, a)); // the same segment again
        items.addAll(f.offer(5000 + 50, TWO, 50, 150, 3, a)); // overlaps 50 old bytes, brings 100 new ones
        items.addAll(f.offer(5000 + 200, TWO, 200, TWO.length - 200, 4, a));
        items.addAll(f.offer(5000 + 200, TWO, 200, TWO.length - 200, 5, a)); // late retransmission after the end
        assertEquals(3, a.count("reassembly.sip_stream.retransmission"));
        assertEquals(3, a.total());
        assertEquals(3, items.size());
        assertArrayEquals(Arrays.copyOfRange(TWO, 0, INVITE.length()), items.get(0).bytes());
        assertEquals(List.of(1L, 3L, 4L), items.get(0).frames());
    }

    @Test
    void gapDropsThePartialMessageAndResyncsAtTheNextStartLine() {
        byte[] in = bytes(INVITE + OK + INVITE);
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>();
        int cut1 = INVITE.length() + 40, cut2 = INVITE.length() + 90; // bytes [cut1, cut2) of the 200 OK are lost
        items.addAll(f.offer(1, in, 0, cut1, 1, a));
        items.addAll(f.offer(1 + cut2, in, cut2, in.length - cut2, 3, a));
        assertEquals(1, a.count("reassembly.sip_stream.gap"));
        assertEquals(2, items.size());
        assertArrayEquals(bytes(INVITE), items.get(0).bytes());
        assertArrayEquals(bytes(INVITE), items.get(1).bytes(), "the message after the gap is found again");
        assertEquals(List.of(3L), items.get(1).frames());
        assertEquals(40 + OK.length() - 90, f.skippedBytes(), "the partial 200 OK before and after the gap");
    }

    @Test
    void oversizedMessageIsDroppedAndTheStreamResyncs() {
        String big = "MESSAGE sip:h SIP/2.0\r\nContent-Length: 70000\r\n\r\n" + "x".repeat(70000);
        byte[] in = bytes(big + OK);
        Fed fed = feed(in, 1000, 20000, 40000, 60000);
        assertEquals(1, fed.anomalies().count("reassembly.sip_stream.buffer_overflow"));
        assertEquals(1, fed.messages().size());
        assertArrayEquals(bytes(OK), fed.messages().get(0).bytes());

        byte[] endless = new byte[200_000];
        Arrays.fill(endless, (byte) 'a');
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        int maxBuffered = 0;
        for (int i = 0; i < endless.length; i += 1000) {
            f.offer(i, endless, i, 1000, i / 1000 + 1, a);
            maxBuffered = Math.max(maxBuffered, f.buffered());
        }
        assertTrue(maxBuffered <= SipStreamFramer.DEFAULT_MAX_BUFFER + 1000, "bounded: " + maxBuffered);
        assertEquals(1, a.count("reassembly.sip_stream.buffer_overflow"));
        List<SipStreamItem> after = f.offer(endless.length, bytes("\r\n" + OK), 0, OK.length() + 2, 999, a);
        assertEquals(1, after.size(), "resynced at the start line after the endless line");
    }

    @Test
    void garbageAndBinaryAreSkippedWithoutBuffering() {
        Fed fed = feed(bytes("hello there\r\nmore junk\r\n" + OK), 5);
        assertEquals(1, fed.anomalies().count("reassembly.sip_stream.garbage"));
        assertEquals(1, fed.messages().size());

        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        byte[] tls = new byte[1400];
        tls[0] = 0x16;
        tls[1] = 0x03;
        for (int i = 0; i < 50; i++) {
            f.offer((long) i * tls.length, tls, 0, tls.length, i + 1, a);
            assertEquals(0, f.buffered(), "binary data is not buffered waiting for a line end");
        }
        assertEquals(1, a.count("reassembly.sip_stream.garbage"));
    }

    @Test
    void missingOrBadContentLengthMeansAnEmptyBody() {
        Fed fed = feed(bytes("BYE sip:h SIP/2.0\r\nCall-ID: x\r\n\r\nSIP/2.0 200 OK\r\nContent-Length: abc\r\n\r\n"));
        assertEquals(1, fed.anomalies().count("reassembly.sip_stream.no_content_length"));
        assertEquals(1, fed.anomalies().count("reassembly.sip_stream.bad_content_length"));
        assertEquals(2, fed.messages().size());
        SipParse bad = fed.messages().get(1).parse();
        assertEquals(SipParse.Kind.REJECTED, bad.kind(), "the parser rejects what the framer could only guess at");
    }

    @Test
    void endOfStreamInsideAMessage() {
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        assertEquals(List.of(), f.offer(1, TWO, 0, 100, 1, a));
        assertEquals(List.of(), f.finish(a));
        assertEquals(1, a.count("reassembly.sip_stream.incomplete_at_end"));
        assertEquals(1, a.firstFrame("reassembly.sip_stream.incomplete_at_end"));
    }

    @Test
    void withoutSequenceNumbersSegmentsAreContiguous() {
        SipStreamFramer f = new SipStreamFramer();
        AnomalyCounts a = new AnomalyCounts();
        List<SipStreamItem> items = new ArrayList<>(f.offer(TWO, 0, 300, 1, a));
        items.addAll(f.offer(TWO, 300, TWO.length - 300, 2, a));
        assertEquals(3, items.size());
        assertEquals(-1, items.get(0).firstSeq());
        assertEquals(0, a.total());
    }

    @Test
    void randomSegmentsWithRetransmissionsGiveTheSameItemsAsOneSegment() {
        java.util.Random rnd = new java.util.Random(5060);
        String[] parts = {INVITE, OK, "\r\n\r\n", "\r\n"};
        for (int round = 0; round < 200; round++) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 8; i++) sb.append(parts[rnd.nextInt(parts.length)]);
            byte[] in = bytes(sb.toString());
            Fed whole = feed(in);
            SipStreamFramer f = new SipStreamFramer();
            AnomalyCounts a = new AnomalyCounts();
            List<SipStreamItem> items = new ArrayList<>();
            long frame = 1;
            int sent = 0;
            while (sent < in.length) {
                int n = 1 + rnd.nextInt(Math.min(400, in.length - sent));
                items.addAll(f.offer(ISN + sent, in, sent, n, frame++, a));
                sent += n;
                if (rnd.nextInt(3) == 0) { // resend something old, possibly overlapping the newest bytes
                    int from = rnd.nextInt(sent);
                    items.addAll(f.offer(ISN + from, in, from, sent - from, frame++, a));
                }
            }
            items.addAll(f.finish(a));
            assertEquals(whole.items().size(), items.size(), "round " + round);
            for (int i = 0; i < items.size(); i++) {
                assertEquals(whole.items().get(i).kind(), items.get(i).kind());
                assertArrayEquals(whole.items().get(i).bytes(), items.get(i).bytes(), "round " + round + " item " + i);
            }
            assertEquals(a.total(), a.count("reassembly.sip_stream.retransmission"), a.asMap().toString());
        }
    }

    static SipMessage parse(byte[] b) {
        SipMessage m = dev.natrecon.decode.sip.SipParser.parse(b, 0, b.length).messageOrNull();
        assertTrue(m != null);
        return m;
    }

    @Test
    void wholeMessagesOfOneSegment() {
        byte[] two = (INVITE + "\r\n\r\n" + OK).getBytes(StandardCharsets.UTF_8);
        List<byte[]> m = SipStreamFramer.wholeMessages(two);
        assertEquals(2, m.size(), "two messages, the keep-alive between them left out");
        assertArrayEquals(INVITE.getBytes(StandardCharsets.UTF_8), m.get(0));
        assertArrayEquals(OK.getBytes(StandardCharsets.UTF_8), m.get(1));
        assertEquals(1, SipStreamFramer.wholeMessages(OK.getBytes(StandardCharsets.UTF_8)).size());
        byte[] cut = Arrays.copyOf(two, two.length - 3);
        assertEquals(null, SipStreamFramer.wholeMessages(cut), "a message continued in the next segment");
        assertEquals(null, SipStreamFramer.wholeMessages(("junk\r\n" + OK).getBytes(StandardCharsets.UTF_8)));
    }
}
