package dev.natrecon.reassembly;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkType;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;

/**
 * Fuzz target for IPv4 and IPv6 fragment reassembly, wired as engine.FrameDecoder wires it (decode, offer a fragment,
 * decode the completed datagram). A run is a sequence of up to {@link #MAX_FRAGMENTS} raw-IP frames: most are
 * well-formed fragments built from fuzz-chosen fields (identification from a small set so they collide, offset, more
 * fragments, length, time step, IPv4 or IPv6), some are fuzz bytes as they come, so overlaps, duplicates, length
 * conflicts, oversize datagrams and expiry are all reachable.
 */
class DefragmenterFuzzTest {
    private static final int MAX_FRAGMENTS = 48;
    private static final int UDP = 17;

    @FuzzTest(maxDuration = "30s")
    void fragments(FuzzedDataProvider fuzz) {
        FuzzContract.run(() -> run(fuzz));
    }

    private static void run(FuzzedDataProvider fuzz) {
        PacketDecoder decoder = new PacketDecoder();
        Defragmenter defrag = new Defragmenter();
        Packet p = new Packet();
        AnomalyCounts counts = new AnomalyCounts();
        long now = 0;
        for (int i = 1; i <= MAX_FRAGMENTS && fuzz.remainingBytes() > 0; i++) {
            now += fuzz.consumeLong(0, 40_000_000_000L);
            byte[] frame = fuzz.consumeBoolean() ? fuzz.consumeBytes(fuzz.consumeInt(0, 1600)) : fragment(fuzz);
            RawFrame f = new RawFrame();
            f.data = frame;
            f.capturedLength = f.originalLength = frame.length;
            f.linkType = LinkType.RAW;
            f.frameNumber = i;
            if (decoder.decode(f, p, counts) == Disposition.FRAGMENT && defrag.offer(p, now, i, counts)) {
                int n = defrag.datagramLength();
                if (n < 0 || n > defrag.datagram().length) {
                    throw new AssertionError("datagram length " + n + " outside its buffer");
                }
                decoder.decodeDatagram(defrag.datagram(), 0, n, p, counts, i);
            }
        }
        defrag.finish(counts);
    }

    /** A well-formed IPv4 or IPv6 fragment of a UDP datagram, fields chosen by the fuzzer. */
    private static byte[] fragment(FuzzedDataProvider fuzz) {
        boolean v6 = fuzz.consumeBoolean();
        int id = fuzz.consumeInt(0, 3);
        int offsetUnits = fuzz.consumeBoolean() ? fuzz.consumeInt(0, 8) : fuzz.consumeInt(0, 8191);
        boolean more = fuzz.consumeBoolean();
        byte[] payload = fuzz.consumeBytes(fuzz.consumeInt(0, 1480));
        return v6 ? ipv6(id, offsetUnits, more, payload) : ipv4(id, offsetUnits, more, payload);
    }

    private static byte[] ipv4(int id, int offsetUnits, boolean more, byte[] payload) {
        int total = Math.min(65535, 20 + payload.length);
        byte[] b = new byte[total];
        b[0] = 0x45;
        put16(b, 2, total);
        put16(b, 4, id);
        put16(b, 6, (more ? 0x2000 : 0) | offsetUnits);
        b[8] = 64;
        b[9] = UDP;
        b[12] = (byte) 192; b[13] = (byte) 168; b[14] = 1; b[15] = 10;
        b[16] = (byte) 203; b[17] = 0; b[18] = 113; b[19] = 5;
        System.arraycopy(payload, 0, b, 20, total - 20);
        return b;
    }

    private static byte[] ipv6(int id, int offsetUnits, boolean more, byte[] payload) {
        byte[] b = new byte[40 + 8 + payload.length];
        b[0] = 0x60;
        put16(b, 4, 8 + payload.length);
        b[6] = 44; // Fragment header
        b[7] = 64;
        b[8] = (byte) 0xfd; b[23] = 1; // fd00::1
        b[24] = 0x20; b[25] = 0x01; b[26] = 0x0d; b[27] = (byte) 0xb8; b[39] = 5; // 2001:db8::5
        b[40] = UDP;
        put16(b, 42, (offsetUnits << 3) | (more ? 1 : 0));
        b[47] = (byte) id;
        System.arraycopy(payload, 0, b, 48, payload.length);
        return b;
    }

    private static void put16(byte[] b, int at, int v) {
        b[at] = (byte) (v >>> 8);
        b[at + 1] = (byte) v;
    }
}
