package dev.natrecon.reassembly;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.decode.Bytes;
import dev.natrecon.decode.Packet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * IPv4 and IPv6 fragment reassembly with bounded memory, modelled on Linux's inet_frag: datagrams are keyed by
 * (version, source, destination, protocol for IPv4, identification); an exact duplicate is ignored, any other
 * overlap discards the datagram (ip_fragment.c since 4.19, RFC 5722 for IPv6); incomplete datagrams expire.
 *
 * <p>Limits: {@link #DEFAULT_TIMEOUT_NANOS} is {@code net.ipv4.ipfrag_time} (30 s; IPv6's ip6frag_time is 60 s but
 * one value keeps the replay simple), {@link #DEFAULT_MAX_BYTES} is {@code net.ipv4.ipfrag_high_thresh} (4 MiB).
 * Time is the packets' time, given by the caller; this class has no clock.
 */
public final class Defragmenter {
    public static final long DEFAULT_TIMEOUT_NANOS = 30_000_000_000L;
    public static final int DEFAULT_MAX_BYTES = 4 << 20;
    private static final int MAX_DATAGRAM = 65535;

    private record Key(int version, long srcHi, long srcLo, long dstHi, long dstLo, int protocol, long id) {
    }

    private static final class Pending {
        final long firstSeenNanos;
        final long firstFrame;
        byte[] header;
        byte[] payload = new byte[2048];
        /** Received byte ranges of the payload, [start, end) pairs sorted by start. */
        final List<int[]> ranges = new ArrayList<>();
        int totalPayload = -1;
        int bytes;

        Pending(long now, long frame) {
            firstSeenNanos = now;
            firstFrame = frame;
        }
    }

    private final long timeoutNanos;
    private final int maxBytes;
    private final LinkedHashMap<Key, Pending> pending = new LinkedHashMap<>();
    private int bufferedBytes;
    private byte[] out = new byte[2048];
    private int outLength;
    private long completedFrames;

    public Defragmenter() {
        this(DEFAULT_TIMEOUT_NANOS, DEFAULT_MAX_BYTES);
    }

    public Defragmenter(long timeoutNanos, int maxBytes) {
        this.timeoutNanos = timeoutNanos;
        this.maxBytes = maxBytes;
    }

    /**
     * Adds the fragment decoded in {@code p} (a packet whose {@link Packet#fragment} is set).
     *
     * @return true when this fragment completed its datagram; the whole datagram is then in {@link #datagram()}
     */
    public boolean offer(Packet p, long nowNanos, long frame, AnomalyCounts anomalies) {
        expire(nowNanos, anomalies);
        Key key = new Key(p.ipVersion, p.srcHi, p.srcLo, p.dstHi, p.dstLo, p.ipVersion == 4 ? p.protocol : 0, p.ipId);
        Pending d = pending.get(key);
        if (d == null) {
            d = new Pending(nowNanos, frame);
            pending.put(key, d);
        }
        byte[] b = p.data;
        int start = p.fragmentOffset;
        int dataOff = p.l4Offset;
        int dataLen = Math.max(0, p.ipEnd - dataOff);
        int end = start + dataLen;
        if (end > MAX_DATAGRAM) {
            discard(key, d, ReassemblyAnomaly.OVERSIZED, frame, anomalies);
            return false;
        }
        if (!p.moreFragments) {
            if ((d.totalPayload >= 0 && d.totalPayload != end) || maxEnd(d) > end) {
                discard(key, d, ReassemblyAnomaly.INCONSISTENT_LENGTH, frame, anomalies);
                return false;
            }
            d.totalPayload = end;
        } else if (d.totalPayload >= 0 && end > d.totalPayload) {
            discard(key, d, ReassemblyAnomaly.INCONSISTENT_LENGTH, frame, anomalies);
            return false;
        }
        for (int[] r : d.ranges) {
            if (r[0] == start && r[1] == end) {
                anomalies.add(ReassemblyAnomaly.DUPLICATE, frame);
                return false;
            }
            if (start < r[1] && r[0] < end) {
                discard(key, d, ReassemblyAnomaly.OVERLAP, frame, anomalies);
                return false;
            }
        }
        if (start == 0) {
            d.header = p.ipVersion == 4
                    ? Arrays.copyOfRange(b, p.ipOffset, p.ipOffset + p.ipHeaderLength)
                    : v6Unfragmentable(p);
        }
        if (end > d.payload.length) d.payload = Arrays.copyOf(d.payload, Math.max(end, d.payload.length * 2));
        System.arraycopy(b, dataOff, d.payload, start, dataLen);
        d.ranges.add(new int[] {start, end});
        d.ranges.sort((x, y) -> Integer.compare(x[0], y[0]));
        d.bytes += dataLen;
        bufferedBytes += dataLen;
        if (complete(d)) {
            pending.remove(key);
            bufferedBytes -= d.bytes;
            assemble(d, p.ipVersion);
            completedFrames++;
            return true;
        }
        while (bufferedBytes > maxBytes && !pending.isEmpty()) {
            Map.Entry<Key, Pending> oldest = pending.entrySet().iterator().next();
            discard(oldest.getKey(), oldest.getValue(), ReassemblyAnomaly.EVICTED, frame, anomalies);
        }
        return false;
    }

    /** Drops datagrams that waited longer than the timeout (called with packet time, never wall time). */
    public void expire(long nowNanos, AnomalyCounts anomalies) {
        Iterator<Map.Entry<Key, Pending>> it = pending.entrySet().iterator();
        while (it.hasNext()) {
            Map.Entry<Key, Pending> e = it.next();
            if (nowNanos - e.getValue().firstSeenNanos <= timeoutNanos) break; // insertion order = age order
            anomalies.add(ReassemblyAnomaly.TIMEOUT, e.getValue().firstFrame);
            bufferedBytes -= e.getValue().bytes;
            it.remove();
        }
    }

    /** Counts what is still incomplete when the capture ends. */
    public void finish(AnomalyCounts anomalies) {
        for (Pending d : pending.values()) anomalies.add(ReassemblyAnomaly.INCOMPLETE_AT_END, d.firstFrame);
        pending.clear();
        bufferedBytes = 0;
    }

    /** The last completed datagram (IP header included), valid until the next {@link #offer}. */
    public byte[] datagram() {
        return out;
    }

    public int datagramLength() {
        return outLength;
    }

    public int pendingDatagrams() {
        return pending.size();
    }

    public long completed() {
        return completedFrames;
    }

    private void discard(Key key, Pending d, ReassemblyAnomaly why, long frame, AnomalyCounts anomalies) {
        anomalies.add(why, frame);
        bufferedBytes -= d.bytes;
        pending.remove(key);
    }

    private static int maxEnd(Pending d) {
        int m = 0;
        for (int[] r : d.ranges) m = Math.max(m, r[1]);
        return m;
    }

    private static boolean complete(Pending d) {
        if (d.totalPayload < 0 || d.header == null) return false;
        int covered = 0;
        for (int[] r : d.ranges) {
            if (r[0] > covered) return false;
            covered = Math.max(covered, r[1]);
        }
        return covered == d.totalPayload;
    }

    /** IPv6: the header chain before the fragment header, with the fragment header cut out of the chain. */
    private static byte[] v6Unfragmentable(Packet p) {
        byte[] b = p.data;
        int len = p.ipv6FragmentHeaderOffset - p.ipOffset;
        byte[] h = Arrays.copyOfRange(b, p.ipOffset, p.ipOffset + len);
        // The byte that named the fragment header now names what the fragment header named.
        h[p.ipv6NextHeaderFieldOffset - p.ipOffset] = b[p.ipv6FragmentHeaderOffset];
        return h;
    }

    private void assemble(Pending d, int version) {
        int hl = d.header.length;
        outLength = hl + d.totalPayload;
        if (out.length < outLength) out = new byte[Math.max(outLength, out.length * 2)];
        System.arraycopy(d.header, 0, out, 0, hl);
        System.arraycopy(d.payload, 0, out, hl, d.totalPayload);
        if (version == 4) {
            out[2] = (byte) (outLength >>> 8);
            out[3] = (byte) outLength;
            out[6] = 0; // flags and fragment offset cleared: the datagram is whole
            out[7] = 0;
        } else {
            int payloadLength = outLength - 40;
            out[4] = (byte) (payloadLength >>> 8);
            out[5] = (byte) payloadLength;
        }
        assert Bytes.u16(out, version == 4 ? 2 : 4) == (version == 4 ? outLength : outLength - 40);
    }
}
