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

    /** The PBX behind the router in {@link #pbxTrunk}, and its SIP provider (signalling and media). */
    public static final String PBX = "10.0.0.10", PROVIDER = "198.51.100.10";

    /**
     * A PBX trunk: one PBX at {@value #PBX} behind the router (masquerade on {@value #WAN_ADDRESS}, ports kept) and one
     * provider at {@value #PROVIDER}, one SIP flow 5060 ↔ 5060 carrying every call and the PBX's registration. A call
     * every {@code spacingMillis}: INVITE with SDP, 100 Trying, 180 Ringing, 200 OK with SDP, ACK, then RTP both ways
     * every 20 ms on the call's own ports ({@code rtpPackets} each way, the PBX's first), BYE and its 200 OK 20 ms
     * after the last. The PBX refreshes its registration every 60 s (REGISTER, expires 120, and its 200 OK). The WAN
     * copies are what the SIP helper makes of the LAN's (Via, Contact, SDP owner and connection on the router's
     * address, Content-Length to match), one router hop (30 µs) apart. A call's media uses the same even port at both ends,
     * 10000-59998 (below 65536 on both), so a port comes back after 25,000 calls: with calls at least 5 ms apart, long
     * after its entry's udp_timeout (a 0.2 s exchange never reaches the 2-second rule's stream timeout).
     */
    public static void pbxTrunk(Path lan, Path wan, int calls, int spacingMillis, int rtpPackets) throws IOException {
        try (OutputStream lo = new BufferedOutputStream(Files.newOutputStream(lan), 1 << 16);
             OutputStream wo = new BufferedOutputStream(Files.newOutputStream(wan), 1 << 16);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            new Trunk(l, w, rtpPackets).run(calls, spacingMillis);
        }
    }

    /** {@link #pbxTrunk}'s writer: call steps in time order, their frames through one small reorder queue per side. */
    private static final class Trunk {
        private static final long MS = 1_000_000L, HOP = 30_000L;
        /** Steps of a call: 0 INVITE, 1 100, 2 180, 3 200 OK, 4 ACK, 5 RTP (one each way), 6 BYE, 7 200 OK to BYE. */
        private static final int RTP = 5, BYE = 6, BYE_OK = 7, REGISTER = 8, REGISTER_OK = 9;
        private final PcapWriter lan, wan;
        private final int rtpPackets;
        /** {time, order, side (0 LAN, 1 WAN)} with its frame: the copies written once no step can come before them. */
        private final java.util.PriorityQueue<Object[]> frames = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong((Object[] f) -> (long) f[0]).thenComparingLong(f -> (long) f[1]));
        /** {time, call, step, packet}: the steps due, in order of time and then of scheduling. */
        private final java.util.PriorityQueue<long[]> steps = new java.util.PriorityQueue<>(
                java.util.Comparator.comparingLong((long[] e) -> e[0]).thenComparingLong(e -> e[4]));
        private long order, scheduled;
        private int ipId = 1, registrations;

        Trunk(PcapWriter lan, PcapWriter wan, int rtpPackets) {
            this.lan = lan;
            this.wan = wan;
            this.rtpPackets = rtpPackets;
        }

        void run(int calls, int spacingMillis) throws IOException {
            long end = START + (long) calls * spacingMillis * MS;
            for (long t = START; t <= end + 60_000 * MS; t += 60_000 * MS) schedule(t, registrations++, REGISTER, 0);
            for (int i = 0; i < calls; i++) schedule(START + 10 * MS + (long) i * spacingMillis * MS, i, 0, 0);
            while (!steps.isEmpty()) {
                long[] e = steps.poll();
                flush(e[0]);
                step(e[0], (int) e[1], (int) e[2], (int) e[3]);
            }
            flush(Long.MAX_VALUE);
        }

        private void schedule(long t, int call, int step, int packet) {
            steps.add(new long[] {t, call, step, packet, scheduled++});
        }

        private void step(long t, int i, int step, int k) throws IOException {
            if (step == REGISTER) {
                out(t, PBX, 5060, PROVIDER, 5060, (w, h) -> bytes(register(i, false), h));
                schedule(t + 40 * MS, i, REGISTER_OK, 0);
            } else if (step == REGISTER_OK) {
                in(t, PROVIDER, 5060, PBX, 5060, (w, h) -> bytes(register(i, true), h));
            } else if (step == RTP) {
                int pbxPort = 10_000 + 2 * (i % 25_000), providerPort = pbxPort;
                out(t, PBX, pbxPort, PROVIDER, providerPort, (w, h) -> Frames.rtp(0x10000000L + i, k + 1, 160L * k));
                in(t + 10 * MS, PROVIDER, providerPort, PBX, pbxPort,
                        (w, h) -> Frames.rtp(0x20000000L + i, k + 1, 160L * k));
                if (k + 1 < rtpPackets) schedule(t + 20 * MS, i, RTP, k + 1);
                else schedule(t + 30 * MS, i, BYE, 0);
            } else {
                boolean fromPbx = step == 0 || step == 4 || step == BYE;
                Texts text = (w, h) -> bytes(call(i, step), h);
                if (fromPbx) out(t, PBX, 5060, PROVIDER, 5060, text);
                else in(t, PROVIDER, 5060, PBX, 5060, text);
                switch (step) {
                    case 0 -> schedule(t + 20 * MS, i, 1, 0);
                    case 1 -> schedule(t + 200 * MS, i, 2, 0);
                    case 2 -> schedule(t + 1_000 * MS, i, 3, 0);
                    case 3 -> schedule(t + 20 * MS, i, 4, 0);
                    case 4 -> schedule(t + 20 * MS, i, rtpPackets > 0 ? RTP : BYE, 0);
                    case BYE -> schedule(t + 20 * MS, i, BYE_OK, 0);
                    default -> { }
                }
            }
        }

        /** A payload as one side shows it: {@code wan} the WAN copy, {@code host} the PBX's address there. */
        private interface Texts {
            byte[] bytes(boolean wan, String host);
        }

        /** The PBX sends: its LAN copy at {@code t}, the WAN copy (source and texts translated) one hop later. */
        private void out(long t, String src, int sport, String dst, int dport, Texts p) {
            queue(t, 0, Frames.udp(src, sport, dst, dport, ipId, 64, p.bytes(false, PBX)));
            queue(t + HOP, 1, Frames.udp(WAN_ADDRESS, sport, dst, dport, ipId, 63, p.bytes(true, WAN_ADDRESS)));
            ipId = (ipId + 1) & 0xffff;
        }

        /** The provider sends: its WAN copy at {@code t}, the LAN copy one hop later. */
        private void in(long t, String src, int sport, String dst, int dport, Texts p) {
            queue(t, 1, Frames.udp(src, sport, WAN_ADDRESS, dport, ipId, 60, p.bytes(true, WAN_ADDRESS)));
            queue(t + HOP, 0, Frames.udp(src, sport, dst, dport, ipId, 59, p.bytes(false, PBX)));
            ipId = (ipId + 1) & 0xffff;
        }

        private void queue(long t, int side, byte[] frame) {
            frames.add(new Object[] {t, order++, side, frame});
        }

        /** Writes the frames before {@code t}: every step from {@code t} on makes frames at {@code t} or later. */
        private void flush(long t) throws IOException {
            while (!frames.isEmpty() && (long) frames.peek()[0] < t) {
                Object[] f = frames.poll();
                ((int) f[2] == 0 ? lan : wan).write((long) f[0], (byte[]) f[3]);
            }
        }

        /** The text with the PBX's address as the side shows it, Content-Length counted on that side's body. */
        private static byte[] bytes(String text, String host) {
            String t = text.replace("HOST", host);
            int body = t.indexOf("\r\n\r\n") + 4;
            return t.replace("Content-Length: CL", "Content-Length: " + (t.length() - body))
                    .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        private static String register(int n, boolean ok) {
            String head = ok ? "SIP/2.0 200 OK" : "REGISTER sip:" + PROVIDER + " SIP/2.0";
            return head + "\r\nVia: SIP/2.0/UDP HOST:5060;branch=z9hG4bK-reg-" + n + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:trunk@" + PROVIDER + ">;tag=reg\r\nTo: <sip:trunk@" + PROVIDER + ">"
                    + (ok ? ";tag=prov" : "") + "\r\nCall-ID: register@trunk.test\r\nCSeq: " + (n + 1)
                    + " REGISTER\r\nContact: <sip:trunk@HOST:5060>;expires=120\r\n"
                    + (ok ? "" : "Expires: 120\r\n") + "Content-Length: CL\r\n\r\n";
        }

        /** Step {@code step} of call {@code i}, with the PBX's address written as HOST. */
        private static String call(int i, int step) {
            boolean request = step == 0 || step == 4 || step == BYE;
            String method = step == BYE || step == BYE_OK ? "BYE" : step == 4 ? "ACK" : "INVITE";
            int cseq = method.equals("BYE") ? 2 : 1;
            String sdp = step == 0 ? sdp(i, "HOST", 10_000 + 2 * (i % 25_000))
                    : step == 3 ? sdp(i, PROVIDER, 10_000 + 2 * (i % 25_000)) : "";
            String start = request ? method + " sip:" + (2_000_000 + i) + "@" + PROVIDER + " SIP/2.0"
                    : step == 1 ? "SIP/2.0 100 Trying" : step == 2 ? "SIP/2.0 180 Ringing" : "SIP/2.0 200 OK";
            String text = start + "\r\nVia: SIP/2.0/UDP HOST:5060;branch=z9hG4bK-" + i + "-" + method
                    + "\r\nMax-Forwards: 70\r\n"
                    + "From: <sip:" + (1_000_000 + i) + "@" + PROVIDER + ">;tag=pbx" + i + "\r\n"
                    + "To: <sip:" + (2_000_000 + i) + "@" + PROVIDER + ">" + (step == 0 || step == 1 ? "" : ";tag=prov" + i)
                    + "\r\nCall-ID: trunk-" + i + "@trunk.test\r\nCSeq: " + cseq + " " + method + "\r\n"
                    + (step == 0 || step == 4 || step == BYE ? "Contact: <sip:" + (1_000_000 + i) + "@HOST:5060>\r\n" : "")
                    + (step == 2 || step == 3 ? "Contact: <sip:" + (2_000_000 + i) + "@" + PROVIDER + ":5060>\r\n" : "")
                    + (sdp.isEmpty() ? "" : "Content-Type: application/sdp\r\n")
                    + "Content-Length: CL\r\n\r\n" + sdp;
            return text;
        }

        private static String sdp(int i, String address, int port) {
            return "v=0\r\no=- " + i + " 1 IN IP4 " + address + "\r\ns=-\r\nc=IN IP4 " + address + "\r\nt=0 0\r\n"
                    + "m=audio " + port + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=ptime:20\r\n";
        }
    }
}
