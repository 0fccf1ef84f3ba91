package dev.natrecon.testing;

import dev.natrecon.capture.PcapWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The LAN and WAN captures of SIP calls through a masquerading router that keeps ports: a phone behind it, a remote
 * (provider) on the WAN. SIP texts name the phone's address as {@code PHONE}: the LAN copy writes the phone's address,
 * the WAN copy the router's WAN address when {@code algRewrites} (a SIP helper rewrote it), else the phone's again.
 * {@code Content-Length} is written per copy. Frames are written in time order, each WAN copy {@link #HOP_NANOS} after
 * its LAN copy for outbound packets and before it for inbound ones.
 */
public final class CallCaptures {
    /** The router's forwarding delay between the two copies. */
    public static final long HOP_NANOS = 200_000L;
    public static final String REMOTE = "203.0.113.5";

    private record Frame(long nanos, byte[] data) {
    }

    private final String phone, wan, remote;
    private final boolean algRewrites;
    private final List<Frame> lan = new ArrayList<>(), wanFrames = new ArrayList<>();
    private int ipId = 1;

    public CallCaptures(String phone, String wanAddress, boolean algRewrites) {
        this(phone, wanAddress, REMOTE, algRewrites);
    }

    /** With the remote's media and SIP at {@code remote} (the SIP texts keep {@link #REMOTE} in their URIs). */
    public CallCaptures(String phone, String wanAddress, String remote, boolean algRewrites) {
        this.remote = remote;
        this.phone = phone;
        this.wan = wanAddress;
        this.algRewrites = algRewrites;
    }

    /** The phone sends {@code text} (with {@code PHONE} placeholders) on UDP 5060 to the remote at {@code t}. */
    public CallCaptures phoneSends(long t, String text) {
        lan.add(new Frame(t, Frames.udp(phone, 5060, remote, 5060, ipId, 64, bytes(text, phone))));
        wanFrames.add(new Frame(t + HOP_NANOS, Frames.udp(wan, 5060, remote, 5060, ipId++, 63,
                bytes(text, algRewrites ? wan : phone))));
        return this;
    }

    /** The remote sends {@code text} to the phone's SIP port; it reaches the WAN at {@code t}. */
    public CallCaptures remoteSends(long t, String text) {
        wanFrames.add(new Frame(t, Frames.udp(remote, 5060, wan, 5060, ipId, 60, bytes(text, algRewrites ? wan : phone))));
        lan.add(new Frame(t + HOP_NANOS, Frames.udp(remote, 5060, phone, 5060, ipId++, 59, bytes(text, phone))));
        return this;
    }

    /** One RTP packet from the phone's {@code phonePort} to the remote's {@code remotePort}, crossing the router. */
    public CallCaptures rtpOut(long t, int phonePort, int remotePort, int seq) {
        byte[] p = Frames.rtp(0x1111, seq, seq * 160L);
        lan.add(new Frame(t, Frames.udp(phone, phonePort, remote, remotePort, ipId, 64, p)));
        wanFrames.add(new Frame(t + HOP_NANOS, Frames.udp(wan, phonePort, remote, remotePort, ipId++, 63, p)));
        return this;
    }

    /** One RTP packet from the remote's {@code remotePort} to the phone's {@code phonePort}, crossing the router. */
    public CallCaptures rtpIn(long t, int remotePort, int phonePort, int seq) {
        byte[] p = Frames.rtp(0x2222, seq, seq * 160L);
        wanFrames.add(new Frame(t, Frames.udp(remote, remotePort, wan, phonePort, ipId, 60, p)));
        lan.add(new Frame(t + HOP_NANOS, Frames.udp(remote, remotePort, phone, phonePort, ipId++, 59, p)));
        return this;
    }

    /** One RTP packet from the remote that reaches the WAN and is not forwarded to the phone. */
    public CallCaptures rtpInDropped(long t, int remotePort, int phonePort, int seq) {
        byte[] p = Frames.rtp(0x2222, seq, seq * 160L);
        wanFrames.add(new Frame(t, Frames.udp(remote, remotePort, wan, phonePort, ipId++, 60, p)));
        return this;
    }

    /** RTP every 20 ms from {@code from} (inclusive) to {@code to} (exclusive), in the directions asked. */
    public CallCaptures rtp(long from, long to, int phonePort, int remotePort, boolean out, boolean in) {
        int seq = 1;
        for (long t = from; t < to; t += 20_000_000L, seq++) {
            if (out) rtpOut(t, phonePort, remotePort, seq);
            if (in) rtpIn(t + 5_000_000L, remotePort, phonePort, seq);
        }
        return this;
    }

    /** A frame seen on the WAN capture only. */
    public CallCaptures wanOnly(long t, byte[] frame) {
        wanFrames.add(new Frame(t, frame));
        return this;
    }

    /** A frame seen on the LAN capture only. */
    public CallCaptures lanOnly(long t, byte[] frame) {
        lan.add(new Frame(t, frame));
        return this;
    }

    /** Writes lan.pcap and wan.pcap (nanosecond pcap, Ethernet) in {@code dir}. */
    public void write(Path dir) throws IOException {
        write(dir.resolve("lan.pcap"), lan);
        write(dir.resolve("wan.pcap"), wanFrames);
    }

    private static void write(Path file, List<Frame> frames) throws IOException {
        List<Frame> sorted = new ArrayList<>(frames);
        sorted.sort(Comparator.comparingLong(Frame::nanos));
        try (OutputStream o = Files.newOutputStream(file); PcapWriter w = new PcapWriter(o, 1, true)) {
            for (Frame f : sorted) w.write(f.nanos(), f.data());
        }
    }

    private static byte[] bytes(String text, String phoneAddress) {
        String t = text.replace("PHONE", phoneAddress);
        int body = t.indexOf("\r\n\r\n");
        int length = body < 0 ? 0 : t.length() - body - 4;
        return t.replace("Content-Length: CL", "Content-Length: " + length).getBytes(StandardCharsets.US_ASCII);
    }

    // ---- SIP texts of one call (Call-ID {@code id}) between the phone (1001) and the remote (2002)

    /** An SDP offering/answering audio at {@code address:port}, with an optional direction attribute line. */
    public static String sdp(String address, int port, String direction) {
        return "v=0\r\no=- 1 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                + "m=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
                + (direction == null ? "" : "a=" + direction + "\r\n");
    }

    private static String headers(String id, int cseq, String method, String fromTag, String toTag) {
        return "Via: SIP/2.0/UDP PHONE:5060;branch=z9hG4bK-" + Integer.toHexString(id.hashCode()) + "-" + cseq + method + ";rport\r\n"
                + "From: <sip:1001@" + REMOTE + ">;tag=" + fromTag + "\r\n"
                + "To: <sip:2002@" + REMOTE + ">" + (toTag == null ? "" : ";tag=" + toTag) + "\r\n"
                + "Call-ID: " + id + "\r\n"
                + "CSeq: " + cseq + " " + method + "\r\n";
    }

    /** A request from the phone ({@code sdp} null: none). */
    public static String request(String method, String id, int cseq, boolean inDialog, String sdp) {
        return method + " sip:2002@" + REMOTE + " SIP/2.0\r\n" + headers(id, cseq, method, "p1", inDialog ? "r1" : null)
                + "Contact: <sip:1001@PHONE:5060>\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: CL\r\n\r\n"
                + (sdp == null ? "" : sdp);
    }

    /** The remote's response to the phone's {@code method} ({@code sdp} null: none). */
    public static String response(int status, String reason, String method, String id, int cseq, String sdp) {
        return "SIP/2.0 " + status + " " + reason + "\r\n" + headers(id, cseq, method, "p1", "r1")
                + "Contact: <sip:2002@" + REMOTE + ":5060>\r\n"
                + (sdp == null ? "" : "Content-Type: application/sdp\r\n") + "Content-Length: CL\r\n\r\n"
                + (sdp == null ? "" : sdp);
    }
}
