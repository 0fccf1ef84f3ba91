package dev.natrecon.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.LinkType;
import dev.natrecon.decode.Packet;
import dev.natrecon.decode.PacketDecoder;
import dev.natrecon.testing.Frames;
import dev.natrecon.testing.Hex;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DefragmenterTest {
    final PacketDecoder decoder = new PacketDecoder();
    final AnomalyCounts anomalies = new AnomalyCounts();

    /** Splits the IPv4 datagram of an Ethernet frame into raw-IP fragments of {@code size} payload bytes (multiple of 8). */
    static List<byte[]> fragmentsV4(byte[] eth, int size) {
        byte[] ip = Arrays.copyOfRange(eth, 14, eth.length);
        byte[] payload = Arrays.copyOfRange(ip, 20, ip.length);
        List<byte[]> out = new java.util.ArrayList<>();
        for (int off = 0; off < payload.length; off += size) {
            int n = Math.min(size, payload.length - off);
            ByteBuffer b = ByteBuffer.allocate(20 + n);
            b.put(ip, 0, 20).put(payload, off, n);
            byte[] f = b.array();
            f[2] = (byte) ((20 + n) >>> 8);
            f[3] = (byte) (20 + n);
            int flags = (off + n < payload.length ? 0x2000 : 0) | (off / 8);
            f[6] = (byte) (flags >>> 8);
            f[7] = (byte) flags;
            out.add(f);
        }
        return out;
    }

    Disposition feed(Defragmenter d, byte[] raw, Packet p, long ms) {
        Disposition disp = decoder.decode(Hex.frame(LinkType.RAW, raw), p, anomalies);
        if (disp == Disposition.FRAGMENT && d.offer(p, ms * 1_000_000L, 1, anomalies)) {
            return decoder.decodeDatagram(d.datagram(), 0, d.datagramLength(), p, anomalies, 1);
        }
        return disp;
    }

    static final byte[] BIG = Frames.udp("192.168.1.10", 5060, "203.0.113.5", 5060, 0x4242, 64,
            ("INVITE sip:x SIP/2.0\r\n" + "a".repeat(1500)).getBytes());

    @Test
    void ipv4InAnyOrder() {
        List<byte[]> frags = fragmentsV4(BIG, 512);
        assertEquals(3, frags.size());
        for (int[] order : new int[][] {{0, 1, 2}, {2, 1, 0}, {1, 2, 0}}) {
            Defragmenter d = new Defragmenter();
            Packet p = new Packet();
            assertEquals(Disposition.FRAGMENT, feed(d, frags.get(order[0]), p, 0));
            assertEquals(Disposition.FRAGMENT, feed(d, frags.get(order[1]), p, 1));
            assertEquals(Disposition.DECODED, feed(d, frags.get(order[2]), p, 2));
            assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
            assertEquals(BIG.length - 14 - 28, p.payloadLength);
            assertTrue((p.layers & Packet.L_REASSEMBLED) != 0);
            assertEquals(0, d.pendingDatagrams());
        }
        assertEquals(0, anomalies.total());
    }

    @Test
    void overlapDiscardsDuplicateIsIgnoredTimeoutExpires() {
        List<byte[]> frags = fragmentsV4(BIG, 512);
        Defragmenter d = new Defragmenter();
        Packet p = new Packet();
        feed(d, frags.get(0), p, 0);
        feed(d, frags.get(0), p, 1);
        assertEquals(1, anomalies.count("reassembly.duplicate_fragment"));
        byte[] overlapping = fragmentsV4(BIG, 256).get(1); // bytes 256..511 overlap the first 512
        feed(d, overlapping, p, 2);
        assertEquals(1, anomalies.count("reassembly.overlapping_fragments"));
        assertEquals(0, d.pendingDatagrams());
        feed(d, frags.get(1), p, 3);
        assertEquals(1, d.pendingDatagrams());
        d.expire(3 + Defragmenter.DEFAULT_TIMEOUT_NANOS + 10_000_000L, anomalies);
        assertEquals(1, anomalies.count("reassembly.timeout"));
        assertFalse(d.pendingDatagrams() > 0);
    }

    @Test
    void ipv6FragmentsFromTheCorpusReassemble() throws Exception {
        var stats = dev.natrecon.engine.Analysis.survey(java.nio.file.Path.of("src/test/resources/public/encap/ipv6_frag_sll.pcap"));
        assertEquals(2, stats.disposition(Disposition.FRAGMENT));
        assertEquals(0, stats.anomalies.count("reassembly.incomplete_at_end"));
        assertEquals(2, stats.layers[Integer.numberOfTrailingZeros(Packet.L_REASSEMBLED)]);
    }
}
