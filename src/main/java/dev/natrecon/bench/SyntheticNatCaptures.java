package dev.natrecon.bench;

import static dev.natrecon.bench.SyntheticFrames.HEADERS;
import static dev.natrecon.bench.SyntheticFrames.finish;
import static dev.natrecon.bench.SyntheticFrames.dotted;
import static dev.natrecon.bench.SyntheticFrames.header;
import static dev.natrecon.bench.SyntheticFrames.hex;
import static dev.natrecon.bench.SyntheticFrames.ipv4;
import static dev.natrecon.bench.SyntheticFrames.put16;
import static dev.natrecon.bench.SyntheticFrames.put32;
import static dev.natrecon.bench.SyntheticFrames.sum16;
import static dev.natrecon.bench.SyntheticFrames.udpFrame;
import static dev.natrecon.bench.SyntheticSipMessages.ack;
import static dev.natrecon.bench.SyntheticSipMessages.byeOkFromPhone;
import static dev.natrecon.bench.SyntheticSipMessages.invite;
import static dev.natrecon.bench.SyntheticSipMessages.phoneBye;
import static dev.natrecon.bench.SyntheticSipMessages.providerBye;
import static dev.natrecon.bench.SyntheticSipMessages.providerSdp;
import static dev.natrecon.bench.SyntheticSipMessages.register;
import static dev.natrecon.bench.SyntheticSipMessages.registerOk;
import static dev.natrecon.bench.SyntheticSipMessages.response;
import static dev.natrecon.bench.SyntheticSip.algInbound;
import static dev.natrecon.bench.SyntheticSip.algOutbound;
import static dev.natrecon.bench.SyntheticSip.sip;

import dev.natrecon.capture.PcapWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

/**
 * Writes a LAN-side and a WAN-side capture (classic pcap, Ethernet) of {@code calls} concurrent SIP/G.711 calls going
 * through a simulated Linux NAT router with a SIP helper.
 *
 * <p><b>The scene.</b> Call slot {@code k} is a phone at {@code 192.168.(1 + k/200).(10 + k%200)} behind a router whose
 * WAN address is {@value #NAT_WAN_ADDRESS}, talking to a provider at {@value #PROVIDER_ADDRESS}. Each slot places a
 * call (INVITE with SDP, 100, 180, 200 with SDP, ACK), exchanges G.711 µ-law RTP in both directions every 20 ms
 * (12-byte header + 160 bytes, PT 0, per-stream SSRC, sequence +1, timestamp +160), hangs up (BYE/200, from either
 * end) and after a short pause places the next call, so the number of calls in progress stays steady. Slots start
 * staggered. Each phone also re-REGISTERs every {@code registerIntervalSeconds} (0 turns that off).
 *
 * <p><b>The NAT.</b> The source of an outbound packet (destination of an inbound one) is rewritten between
 * the private address and {@value #NAT_WAN_ADDRESS}; TTL is decremented by one on the forwarded copy and the IPv4 and
 * UDP checksums are recomputed (IP id is kept, as Linux does). Ports are kept unless they clash: every phone sends SIP
 * from 5060 to the provider's 5060, so only slot 0 keeps 5060 outside and the others are remapped to
 * {@code 1024 + k} (what masquerade does for a clashing tuple). RTP ports are distinct per phone and kept. The SIP
 * helper rewrites, on the way out, the private address and port in Via and Contact and the address in SDP
 * {@code o=}/{@code c=}; on the way in, the external address and port in the Request-URI, Via ({@code rport=} too),
 * Contact, From and To; and fixes Content-Length. Call-ID, CSeq and Via branch are never touched.
 *
 * <p><b>Time.</b> A packet appears first on the side it comes from; its forwarded copy appears on the other side
 * 40–60 µs later (so the estimated clock offset is ~0 with a ~50 µs forwarding delay). Every packet has its
 * counterpart in the other file: a perfect run matches 100% of both sides.
 *
 * <p><b>Memory.</b> Generation streams to disk in time order: state is per call slot plus a reorder buffer holding the
 * forwarded copies of the last ~60 µs, never a list of packets. Output is a pure function of the {@link Config}.
 */
public final class SyntheticNatCaptures {
    public static final String NAT_WAN_ADDRESS = "203.0.113.2";
    public static final String PROVIDER_ADDRESS = "198.51.100.10";
    public static final int SIP_PORT = 5060;
    /** Upper bound on {@link Config#calls()}: keeps remapped SIP ports (1024 + k) below 5060 and addresses in 192.168/16. */
    public static final int MAX_CALLS = 4000;
    /** 2024-03-01T00:00:00Z. */
    public static final long DEFAULT_START_NANOS = 1_709_251_200_000_000_000L;

    static final int NAT_WAN = ipv4(203, 0, 113, 2);
    static final int PROVIDER = ipv4(198, 51, 100, 10);
    static final long ROUTER_LAN_MAC = 0x02_00_00_aa_00_01L;
    static final long ROUTER_WAN_MAC = 0x02_00_00_aa_00_02L;
    static final long UPSTREAM_MAC = 0x02_00_00_bb_00_01L;

    static final int RTP_HEADER = 12, RTP_PAYLOAD = 160;
    static final int RTP_FRAME = HEADERS + RTP_HEADER + RTP_PAYLOAD;
    static final int TOS_RTP = 0xb8, TOS_SIP = 0x68;
    static final int TTL_PHONE = 64, TTL_PROVIDER_ARRIVAL = 56;
    static final long MS = 1_000_000L, US = 1_000L, NEVER = Long.MAX_VALUE;

    /**
     * What to generate.
     *
     * @param calls                   concurrent call slots (1..{@value #MAX_CALLS})
     * @param seconds                 length of the capture
     * @param seed                    everything random derives from it
     * @param talkSeconds             mean time between answer and hang-up (each call draws 0.5–1.5×)
     * @param ringSeconds             mean time between INVITE and 200 OK (0.5–1.5×)
     * @param gapSeconds              mean pause between a slot's calls (0.5–1.5×)
     * @param registerIntervalSeconds REGISTER period per phone; 0 for none
     * @param nanosecondTimestamps    nanosecond pcap magic instead of microseconds (times are whole µs either way)
     * @param startNanos              time of the first call's INVITE
     */
    public record Config(int calls, double seconds, long seed, double talkSeconds, double ringSeconds, double gapSeconds,
                         double registerIntervalSeconds, boolean nanosecondTimestamps, long startNanos) {
        public Config {
            if (calls < 1 || calls > MAX_CALLS) throw new IllegalArgumentException("calls must be 1.." + MAX_CALLS + ": " + calls);
            if (!(seconds > 0)) throw new IllegalArgumentException("seconds must be positive: " + seconds);
            if (!(talkSeconds > 0) || !(ringSeconds > 0) || !(gapSeconds > 0)) {
                throw new IllegalArgumentException("talk, ring and gap times must be positive");
            }
            if (registerIntervalSeconds != 0 && !(registerIntervalSeconds >= 0.2)) {
                throw new IllegalArgumentException("register interval must be 0 (off) or at least 0.2 s");
            }
        }

        /** Defaults: seed 1, 90 s talk, 2 s ringing, 1 s pause, REGISTER every 60 s, microsecond pcap. */
        public static Config of(int calls, double seconds) {
            return new Config(calls, seconds, 1, 90, 2, 1, 60, false, DEFAULT_START_NANOS);
        }

        public Config withSeed(long s) {
            return new Config(calls, seconds, s, talkSeconds, ringSeconds, gapSeconds, registerIntervalSeconds,
                    nanosecondTimestamps, startNanos);
        }

        public Config withCallTiming(double talk, double ring, double gap) {
            return new Config(calls, seconds, seed, talk, ring, gap, registerIntervalSeconds, nanosecondTimestamps, startNanos);
        }

        public Config withRegisterInterval(double s) {
            return new Config(calls, seconds, seed, talkSeconds, ringSeconds, gapSeconds, s, nanosecondTimestamps, startNanos);
        }

        public Config withNanosecondTimestamps(boolean ns) {
            return new Config(calls, seconds, seed, talkSeconds, ringSeconds, gapSeconds, registerIntervalSeconds, ns, startNanos);
        }
    }

    /**
     * What was written.
     *
     * @param lanFrames    frames in the LAN file (equal to {@code wanFrames}: every packet crosses the NAT)
     * @param lanBytes     size of the LAN file
     * @param callsStarted INVITEs sent
     * @param sipMessages  SIP messages (each appears once per file)
     * @param rtpPackets   RTP packets (each appears once per file)
     * @param registrations REGISTER requests sent
     */
    public record Result(Path lan, Path wan, long lanFrames, long wanFrames, long lanBytes, long wanBytes,
                         long callsStarted, long sipMessages, long rtpPackets, long registrations) {
        public long totalFrames() {
            return lanFrames + wanFrames;
        }

        public long totalBytes() {
            return lanBytes + wanBytes;
        }
    }

    private final Config config;
    private final SplittableRandom master;
    private final SplittableRandom delays;
    private final byte[] noise = new byte[1 << 16];
    private final byte[] scratch = new byte[4096];
    private TimeOrderedPcapOut lan, wan;
    private int providerIpId;
    private long callSerial;
    private long callsStarted, sipMessages, rtpPackets, registrations;

    private SyntheticNatCaptures(Config config) {
        this.config = config;
        SplittableRandom master = new SplittableRandom(config.seed());
        this.delays = master.split();
        master.split().nextBytes(noise);
        this.providerIpId = master.nextInt(1 << 16);
        this.master = master;
    }

    /** Writes the pair; parent folders must exist. Returns counts and file sizes. */
    public static Result write(Config config, Path lanFile, Path wanFile) throws IOException {
        return new SyntheticNatCaptures(config).run(lanFile, wanFile);
    }

    private Result run(Path lanFile, Path wanFile) throws IOException {
        long start = config.startNanos();
        long end = start + Math.round(config.seconds() * 1e9);
        PriorityQueue<Slot> queue = new PriorityQueue<>((a, b) -> a.next != b.next ? Long.compare(a.next, b.next)
                : Integer.compare(a.index, b.index));
        long spread = Math.min(2_000 * MS, Math.round(config.seconds() * 1e9 / 4));
        for (int k = 0; k < config.calls(); k++) {
            Slot s = new Slot(k, master.split());
            s.startCall(start + (spread * k / config.calls()) / US * US);
            if (config.registerIntervalSeconds() > 0) {
                s.regNext = start + s.uniform(0, config.registerIntervalSeconds());
            }
            s.schedule();
            queue.add(s);
        }
        long lanFrames, wanFrames;
        try (OutputStream lo = Files.newOutputStream(lanFile); OutputStream wo = Files.newOutputStream(wanFile);
             TimeOrderedPcapOut l = new TimeOrderedPcapOut(new PcapWriter(lo, 1, config.nanosecondTimestamps()));
             TimeOrderedPcapOut w = new TimeOrderedPcapOut(new PcapWriter(wo, 1, config.nanosecondTimestamps()))) {
            lan = l;
            wan = w;
            while (!queue.isEmpty()) {
                Slot s = queue.poll();
                if (s.next > end) break;
                s.fire();
                s.schedule();
                queue.add(s);
            }
            l.flushUpTo(NEVER);
            w.flushUpTo(NEVER);
            lanFrames = l.frames;
            wanFrames = w.frames;
        } finally {
            lan = wan = null;
        }
        return new Result(lanFile, wanFile, lanFrames, wanFrames, Files.size(lanFile), Files.size(wanFile),
                callsStarted, sipMessages, rtpPackets, registrations);
    }

    /** Forwarding delay of one packet: 40–60 µs. */
    private long delay() {
        return (40 + delays.nextInt(21)) * US;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // One call slot: a phone, its registration and its current call.

    /** One call slot (package-visible for {@link SyntheticSipMessages}, which writes its messages). */
    final class Slot {
        final int index;
        final SplittableRandom rng;
        final int phoneIp;
        final String phoneAddress;
        final long phoneMac;
        final int sipExternalPort;
        final int rtpPort;
        final String user;
        int ipId;
        long next;

        // Registration.
        long regNext = NEVER, regReply = NEVER;
        int regCseq;
        final String regCallId;
        final String regTag;
        String regBranch;

        // Current call.
        int step;
        long sipNext = NEVER;
        long tTrying, tRinging, tAnswer, talkEnd;
        String callId, localTag, remoteTag, callee, inviteBranch, byeBranch;
        int providerPort;
        boolean phoneHangsUp;
        final RtpStream up = new RtpStream(true);
        final RtpStream down = new RtpStream(false);

        Slot(int index, SplittableRandom rng) {
            this.index = index;
            this.rng = rng;
            this.phoneIp = ipv4(192, 168, 1 + index / 200, 10 + index % 200);
            this.phoneAddress = dotted(phoneIp);
            this.phoneMac = 0x02_00_01_00_00_00L + index;
            this.sipExternalPort = index == 0 ? SIP_PORT : 1024 + index;
            this.rtpPort = 16384 + 2 * index;
            this.user = String.valueOf(1000 + index);
            this.ipId = rng.nextInt(1 << 16);
            this.regCallId = hex(rng, 16) + "@" + phoneAddress;
            this.regTag = hex(rng, 8);
        }

        /** A duration drawn uniformly from {@code [lo, hi)} seconds, in whole microseconds. */
        long uniform(double lo, double hi) {
            return Math.round((lo + rng.nextDouble() * (hi - lo)) * 1e6) * US;
        }

        long around(double mean) {
            return uniform(0.5 * mean, 1.5 * mean);
        }

        void schedule() {
            long n = Math.min(Math.min(sipNext, regNext), regReply);
            if (up.active) n = Math.min(n, up.next);
            if (down.active) n = Math.min(n, down.next);
            next = n;
        }

        void fire() throws IOException {
            long t = next;
            if (regReply == t) {
                regReply = NEVER;
                inbound(t, registerOk(this));
            } else if (regNext == t) {
                regNext = t + Math.round(config.registerIntervalSeconds() * 1e6) * US;
                regReply = t + uniform(0.020, 0.060);
                regCseq++;
                regBranch = branch();
                registrations++;
                outbound(t, register(this));
            } else if (sipNext == t) {
                callStep(t);
            } else if (up.active && up.next == t) {
                up.emit(this, t);
            } else {
                down.emit(this, t);
            }
        }

        void startCall(long t) {
            step = 0;
            sipNext = t;
            callId = hex(rng, 20) + "@" + phoneAddress;
            localTag = hex(rng, 8);
            remoteTag = hex(rng, 10);
            callee = "+1555" + (1_000_000 + rng.nextInt(9_000_000));
            providerPort = 20000 + 2 * (int) (callSerial++ % 10_000);
            phoneHangsUp = rng.nextBoolean();
        }

        void callStep(long t) throws IOException {
            switch (step) {
                case 0 -> {
                    callsStarted++;
                    inviteBranch = branch();
                    tTrying = t + uniform(0.015, 0.040);
                    tRinging = tTrying + uniform(0.050, 0.250);
                    tAnswer = Math.max(tRinging + 10 * MS, t + around(config.ringSeconds()));
                    outbound(t, invite(this));
                    sipNext = tTrying;
                }
                case 1 -> {
                    inbound(t, response(this, 100, "Trying", false, null, inviteBranch, "1 INVITE"));
                    sipNext = tRinging;
                }
                case 2 -> {
                    inbound(t, response(this, 180, "Ringing", true, null, inviteBranch, "1 INVITE"));
                    sipNext = tAnswer;
                }
                case 3 -> {
                    inbound(t, response(this, 200, "OK", true, providerSdp(this), inviteBranch, "1 INVITE"));
                    up.start(this, t + uniform(0.005, 0.025));
                    down.start(this, t + uniform(0.0, 0.020));
                    talkEnd = t + around(config.talkSeconds());
                    sipNext = t + uniform(0.001, 0.005);
                }
                case 4 -> {
                    outbound(t, ack(this));
                    sipNext = Math.max(talkEnd, t + US);
                }
                case 5 -> {
                    up.active = false;
                    down.active = false;
                    byeBranch = branch();
                    if (phoneHangsUp) outbound(t, phoneBye(this));
                    else inbound(t, providerBye(this));
                    sipNext = t + uniform(0.010, 0.050);
                }
                case 6 -> {
                    if (phoneHangsUp) inbound(t, response(this, 200, "OK", true, null, byeBranch, "2 BYE"));
                    else outbound(t, byeOkFromPhone(this));
                    startCall(t + around(config.gapSeconds()));
                    return;
                }
                default -> throw new IllegalStateException("step " + step);
            }
            step++;
        }

        // --- SIP messages, written as each side sees them ------------------------------------------------------

        String privateSip() {
            return phoneAddress + ":" + SIP_PORT;
        }

        String externalSip() {
            return NAT_WAN_ADDRESS + ":" + sipExternalPort;
        }

        String providerUri(String u) {
            return "sip:" + u + "@" + PROVIDER_ADDRESS;
        }

        String branch() {
            return "z9hG4bK-" + hex(rng, 16);
        }

        // --- the router ----------------------------------------------------------------------------------------

        /** A SIP message from the phone ({@code lanText} as the phone sent it). */
        void outbound(long t, String lanText) throws IOException {
            sipMessages++;
            String wanText = algOutbound(lanText, privateSip(), externalSip(), phoneAddress);
            int id = nextPhoneIpId();
            int n = udpFrame(scratch, phoneMac, ROUTER_LAN_MAC, phoneIp, PROVIDER, TOS_SIP, TTL_PHONE, id, SIP_PORT,
                    SIP_PORT, lanText);
            lan.writeNow(t, scratch, n);
            n = udpFrame(scratch, ROUTER_WAN_MAC, UPSTREAM_MAC, NAT_WAN, PROVIDER, TOS_SIP, TTL_PHONE - 1, id,
                    sipExternalPort, SIP_PORT, wanText);
            wan.writeLater(t + delay(), scratch, n);
        }

        /** A SIP message from the provider ({@code wanText} as it arrived at the router). */
        void inbound(long t, String wanText) throws IOException {
            sipMessages++;
            String lanText = algInbound(wanText, privateSip(), externalSip(), sipExternalPort);
            int id = nextProviderIpId();
            int n = udpFrame(scratch, UPSTREAM_MAC, ROUTER_WAN_MAC, PROVIDER, NAT_WAN, TOS_SIP, TTL_PROVIDER_ARRIVAL, id,
                    SIP_PORT, sipExternalPort, wanText);
            wan.writeNow(t, scratch, n);
            n = udpFrame(scratch, ROUTER_LAN_MAC, phoneMac, PROVIDER, phoneIp, TOS_SIP, TTL_PROVIDER_ARRIVAL - 1, id,
                    SIP_PORT, SIP_PORT, lanText);
            lan.writeLater(t + delay(), scratch, n);
        }

        int nextPhoneIpId() {
            ipId = (ipId + 1) & 0xffff;
            return ipId;
        }
    }

    private int nextProviderIpId() {
        providerIpId = (providerIpId + 1) & 0xffff;
        return providerIpId;
    }

    // ---------------------------------------------------------------------------------------------------------------
    // RTP: one direction of one call, as two prebuilt frames (the originating side's and the forwarded copy).

    private final class RtpStream {
        final boolean fromPhone;
        final byte[] origin = new byte[RTP_FRAME];
        final byte[] copy = new byte[RTP_FRAME];
        boolean active;
        boolean first;
        long nominal;
        long next;
        int seq, ts;
        SplittableRandom rng;

        RtpStream(boolean fromPhone) {
            this.fromPhone = fromPhone;
        }

        void start(Slot s, long t) {
            rng = s.rng;
            active = true;
            first = true;
            nominal = t;
            seq = rng.nextInt(1 << 16);
            ts = rng.nextInt();
            int ssrc = rng.nextInt();
            if (fromPhone) {
                header(origin, s.phoneMac, ROUTER_LAN_MAC, s.phoneIp, PROVIDER, TOS_RTP, TTL_PHONE, s.rtpPort, s.providerPort,
                        RTP_HEADER + RTP_PAYLOAD);
                header(copy, ROUTER_WAN_MAC, UPSTREAM_MAC, NAT_WAN, PROVIDER, TOS_RTP, TTL_PHONE - 1, s.rtpPort,
                        s.providerPort, RTP_HEADER + RTP_PAYLOAD);
            } else {
                header(origin, UPSTREAM_MAC, ROUTER_WAN_MAC, PROVIDER, NAT_WAN, TOS_RTP, TTL_PROVIDER_ARRIVAL,
                        s.providerPort, s.rtpPort, RTP_HEADER + RTP_PAYLOAD);
                header(copy, ROUTER_LAN_MAC, s.phoneMac, PROVIDER, s.phoneIp, TOS_RTP, TTL_PROVIDER_ARRIVAL - 1,
                        s.providerPort, s.rtpPort, RTP_HEADER + RTP_PAYLOAD);
            }
            put32(origin, HEADERS + 8, ssrc);
            next = sendTime();
        }

        /** Phones send on their 20 ms tick (±100 µs); the provider's packets arrive with up to 3 ms of network jitter. */
        long sendTime() {
            return nominal + (fromPhone ? rng.nextInt(200) : rng.nextInt(3000)) * US;
        }

        void emit(Slot s, long t) throws IOException {
            byte[] o = origin;
            int p = HEADERS;
            o[p] = (byte) 0x80;
            o[p + 1] = (byte) (first ? 0x80 : 0x00); // marker on the first packet, PT 0 (PCMU)
            put16(o, p + 2, seq);
            put32(o, p + 4, ts);
            System.arraycopy(noise, (seq * 167 + ts) & (noise.length - 1 - 255), o, p + RTP_HEADER, RTP_PAYLOAD);
            long payloadSum = sum16(o, p, RTP_HEADER + RTP_PAYLOAD);
            int id = fromPhone ? s.nextPhoneIpId() : nextProviderIpId();
            finish(o, id, payloadSum);
            System.arraycopy(o, p, copy, p, RTP_HEADER + RTP_PAYLOAD);
            finish(copy, id, payloadSum);
            (fromPhone ? lan : wan).writeNow(t, o, RTP_FRAME);
            (fromPhone ? wan : lan).writeLater(t + delay(), copy, RTP_FRAME);
            rtpPackets++;
            first = false;
            seq = (seq + 1) & 0xffff;
            ts += RTP_PAYLOAD;
            nominal += 20 * MS;
            next = sendTime();
        }
    }
}
