package dev.natrecon.testing;

import dev.natrecon.capture.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generated LAN/WAN capture pairs of many flows or many calls (too big to commit): the cases whose cost must grow
 * linearly with flows and calls and whose memory must follow the live ones only (issue 18).
 */
public final class ScaleCaptures {
    /** The router's WAN address in every generated pair. */
    public static final String WAN_ADDRESS = "203.0.113.2";
    private static final long START = 1_700_000_000_000_000_000L;
    /** Remapped external ports are taken from 1024 up to (but not including) this. */
    private static final int PORTS = 60_000;

    private ScaleCaptures() {
    }

    /**
     * {@code flows} UDP flows spread evenly over {@code seconds} seconds, each one datagram out and one answer: LAN host
     * 10.(i/62500).x.y:40000 to remote 198.51.100.(10 + i / 60000):7000, remapped by the router to 203.0.113.2:(1024 +
     * i % 60000) (the WAN copies show it). No two live flows share an external endpoint towards one remote.
     */
    public static void remappedFlows(Path lan, Path wan, int flows, int seconds) throws IOException {
        remappedFlows(lan, wan, flows, seconds, true);
    }

    /**
     * As {@link #remappedFlows(Path, Path, int, int)}; without {@code answered} each flow is its one outbound datagram
     * (an UNREPLIED entry: more flows than nf_conntrack_max in the UDP timeout fill the table, and early drop runs).
     */
    public static void remappedFlows(Path lan, Path wan, int flows, int seconds, boolean answered) throws IOException {
        try (OutputStream lo = new BufferedOutputStream(Files.newOutputStream(lan), 1 << 16);
             OutputStream wo = new BufferedOutputStream(Files.newOutputStream(wan), 1 << 16);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            byte[] payload = new byte[40];
            long step = seconds * 1_000_000_000L / Math.max(1, flows);
            int ipId = 1;
            for (int i = 0; i < flows; i++) {
                long t = START + i * step;
                String inside = "10." + (i / 62_500) + "." + (i / 250 % 250) + "." + (i % 250 + 2);
                String remote = "198.51.100." + (10 + i / PORTS);
                int external = 1024 + i % PORTS;
                l.write(t, Frames.udp(inside, 40000, remote, 7000, ipId, 64, payload));
                w.write(t + 20_000, Frames.udp(WAN_ADDRESS, external, remote, 7000, ipId, 63, payload));
                ipId = (ipId + 1) & 0xffff;
                if (!answered) continue;
                w.write(t + 40_000, Frames.udp(remote, 7000, WAN_ADDRESS, external, ipId, 50, payload));
                l.write(t + 60_000, Frames.udp(remote, 7000, inside, 40000, ipId, 49, payload));
                ipId = (ipId + 1) & 0xffff;
            }
        }
    }

    /**
     * {@code calls} SIP calls from phones 10.(i/62500).x.y:5060 through the router (203.0.113.2, SIP port remapped to
     * 1024 + i % 60000, the SIP helper's rewrites of Via, Contact and SDP done) to 198.51.100.10:5060, one started
     * every {@code spacingMillis}: INVITE with SDP, and when {@code answered}, 200 OK with SDP, ACK, and BYE/200 after
     * {@code holdMillis}. No RTP. Unanswered INVITEs are never retransmitted nor answered.
     */
    public static void calls(Path lan, Path wan, int calls, int spacingMillis, int holdMillis, boolean answered)
            throws IOException {
        java.util.PriorityQueue<long[]> pending = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[1]));
        try (OutputStream lo = new BufferedOutputStream(Files.newOutputStream(lan), 1 << 16);
             OutputStream wo = new BufferedOutputStream(Files.newOutputStream(wan), 1 << 16);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            long ms = 1_000_000L;
            for (int i = 0; i < calls; i++) {
                long t = START + i * spacingMillis * ms;
                while (!pending.isEmpty() && pending.peek()[0] <= t) {
                    long[] e = pending.poll();
                    callStep(l, w, (int) e[1], (int) e[2], e[0]);
                }
                callStep(l, w, i, 0, t);
                if (answered) {
                    pending.add(new long[] {t + 100 * ms, i, 1});
                    pending.add(new long[] {t + 110 * ms, i, 2});
                    pending.add(new long[] {t + (110 + holdMillis) * ms, i, 3});
                    pending.add(new long[] {t + (130 + holdMillis) * ms, i, 4});
                }
            }
            while (!pending.isEmpty()) {
                long[] e = pending.poll();
                callStep(l, w, (int) e[1], (int) e[2], e[0]);
            }
        }
    }

    /** Step {@code step} of call {@code i} (0 INVITE, 1 200 OK, 2 ACK, 3 BYE, 4 200 OK to BYE) on both sides. */
    private static void callStep(PcapWriter l, PcapWriter w, int i, int step, long t) throws IOException {
        String phone = "10." + (i / 62_500) + "." + (i / 250 % 250) + "." + (i % 250 + 2);
        int external = 1024 + i % PORTS;
        String provider = "198.51.100.10";
        boolean fromPhone = step != 1 && step != 4;
        String lanText = sip(i, step, phone, 5060, phone);
        String wanText = sip(i, step, WAN_ADDRESS, external, WAN_ADDRESS);
        if (fromPhone) {
            l.write(t, Frames.udp(phone, 5060, provider, 5060, lanText));
            w.write(t + 30_000, Frames.udp(WAN_ADDRESS, external, provider, 5060, wanText));
        } else {
            w.write(t, Frames.udp(provider, 5060, WAN_ADDRESS, external, wanText));
            l.write(t + 30_000, Frames.udp(provider, 5060, phone, 5060, lanText));
        }
    }

    /** The message as the side with the phone at {@code host:port} (media at {@code media}) shows it. */
    private static String sip(int i, int step, String host, int port, String media) {
        String callId = "call-" + i + "@scale.test";
        String via = "Via: SIP/2.0/UDP " + host + ":" + port + ";branch=z9hG4bK-" + i + "-" + (step < 3 ? 0 : 3) + ";rport\r\n";
        String from = "From: <sip:" + (1000 + i) + "@198.51.100.10>;tag=p" + i + "\r\n";
        String to = "To: <sip:2000@198.51.100.10>" + (step == 0 ? "" : ";tag=r" + i) + "\r\n";
        String contact = "Contact: <sip:" + (1000 + i) + "@" + host + ":" + port + ">\r\n";
        String sdpPhone = "v=0\r\no=- " + i + " 1 IN IP4 " + media + "\r\ns=-\r\nc=IN IP4 " + media + "\r\nt=0 0\r\n"
                + "m=audio " + (20000 + 2 * (i % 20000)) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String sdpProvider = "v=0\r\no=- " + i + " 1 IN IP4 198.51.100.20\r\ns=-\r\nc=IN IP4 198.51.100.20\r\n"
                + "t=0 0\r\nm=audio " + (30000 + 2 * (i % 10000)) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
        String start, cseq, body = "";
        switch (step) {
            case 0 -> { start = "INVITE sip:2000@198.51.100.10 SIP/2.0"; cseq = "1 INVITE"; body = sdpPhone; }
            case 1 -> { start = "SIP/2.0 200 OK"; cseq = "1 INVITE"; body = sdpProvider; }
            case 2 -> { start = "ACK sip:2000@198.51.100.10 SIP/2.0"; cseq = "1 ACK"; }
            case 3 -> { start = "BYE sip:2000@198.51.100.10 SIP/2.0"; cseq = "2 BYE"; }
            default -> { start = "SIP/2.0 200 OK"; cseq = "2 BYE"; }
        }
        return start + "\r\n" + via + "Max-Forwards: 70\r\n" + from + to + "Call-ID: " + callId + "\r\nCSeq: " + cseq
                + "\r\n" + (step <= 1 ? contact : "") + (body.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                + "Content-Length: " + body.length() + "\r\n\r\n" + body;
    }
}
