package dev.natrecon.correlate;

import dev.natrecon.decode.Packet;
import dev.natrecon.decode.Protocols;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * A 64-bit key that a packet keeps when it crosses a NAT: what the router rewrites (addresses, ports, ICMP echo id,
 * TTL, IP id, checksums, and for SIP the ALG's payload edits) is left out of it.
 *
 * <ul>
 *   <li>SIP: Call-ID, CSeq, the start line's method or status code, and the top Via branch, which tells the two
 *       directions of a dialog apart and which no ALG rewrites.</li>
 *   <li>RTP (version 2 over UDP): SSRC, sequence number, timestamp and payload length.</li>
 *   <li>ICMP: type, code, echo sequence and data; for errors the quoted packet's IP id, protocol and the quoted bytes
 *       past its ports.</li>
 *   <li>TCP: flags, window, payload length and digest, and the timestamp option when present (a helper's sequence
 *       adjustment after an ALG rewrite shifts sequence and acknowledgment numbers but not timestamps); without
 *       timestamps, the sequence and acknowledgment numbers.</li>
 *   <li>Anything else: transport protocol, payload length and a digest of the payload.</li>
 * </ul>
 * Keys collide for retransmissions of the same bytes; the matcher resolves those by time.
 */
public final class MatchKeys {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long K1 = 0x9E3779B97F4A7C15L;
    private static final long K2 = 0xC2B2AE3D27D4EB4FL;

    /** Which rule produced a key; useful in statistics. */
    public enum Kind { SIP, RTP, ICMP, TCP, DIGEST, NONE }

    private Kind lastKind = Kind.NONE;

    public Kind lastKind() {
        return lastKind;
    }

    /** Computes the key of a decoded IP packet; 0 means "cannot be matched" (no IP). */
    public long key(Packet p) {
        if (!p.isIp()) {
            lastKind = Kind.NONE;
            return 0;
        }
        byte[] b = p.data;
        int off = p.payloadOffset;
        int len = p.payloadLength;
        int proto = p.protocol;
        if ((proto == Protocols.UDP || proto == Protocols.TCP) && p.hasPorts() && len >= 11) {
            long sip = SipKey.of(b, off, len);
            if (sip != 0) {
                lastKind = Kind.SIP;
                return mix(sip ^ proto);
            }
        }
        if (proto == Protocols.UDP && p.hasPorts() && len >= 12 && (b[off] & 0xc0) == 0x80) {
            int pt = b[off + 1] & 0x7f;
            if (pt < 72 || pt > 79) { // 72–79 with the marker bit are RTCP packet types 200–207
                lastKind = Kind.RTP;
                long ssrc = ((b[off + 8] & 0xffL) << 24) | ((b[off + 9] & 0xffL) << 16) | ((b[off + 10] & 0xffL) << 8) | (b[off + 11] & 0xffL);
                long seq = ((b[off + 2] & 0xffL) << 8) | (b[off + 3] & 0xffL);
                long ts = ((b[off + 4] & 0xffL) << 24) | ((b[off + 5] & 0xffL) << 16) | ((b[off + 6] & 0xffL) << 8) | (b[off + 7] & 0xffL);
                return mix(mix(ssrc << 16 | seq) ^ ts * K2 ^ (long) len << 40 ^ 0x5250L);
            }
        }
        if ((proto == Protocols.ICMP || proto == Protocols.ICMPV6) && p.icmpType >= 0) {
            lastKind = Kind.ICMP;
            long h = mix((long) proto << 24 | (long) p.icmpType << 8 | p.icmpCode);
            if (p.icmpError) {
                // Quoted IP header and ports are rewritten by the NAT; its IP id, protocol and what follows the ports are not.
                h = mix(h ^ p.innerIpId << 8 ^ p.innerProtocol);
                return h;
            }
            if (p.icmpId >= 0) h = mix(h ^ p.icmpSeq);
            return mix(h ^ digest(b, off, len));
        }
        if (proto == Protocols.TCP && p.hasPorts()) {
            lastKind = Kind.TCP;
            long h = p.tcpTsVal >= 0 ? mix(p.tcpTsVal << 32 ^ p.tcpTsEcr ^ K2) : mix(p.tcpSeq << 32 ^ p.tcpAck ^ K1);
            h = mix(h ^ (long) p.tcpFlags << 16 ^ p.tcpWindow ^ (long) len << 40);
            return len == 0 ? h : mix(h ^ digest(b, off, len));
        }
        lastKind = Kind.DIGEST;
        long h = mix((long) proto << 32 ^ (long) len ^ K2);
        return mix(h ^ digest(b, off, len));
    }

    /** A fast 64-bit digest of {@code b[off, off+len)}; not cryptographic, only collision-poor. */
    static long digest(byte[] b, int off, int len) {
        long h = K1 ^ len;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h = Long.rotateLeft(h ^ mix((long) LONGS.get(b, off + i)), 27) * K1 + 0x52dce729;
        }
        long tail = 0;
        for (int s = 0; i < len; i++, s += 8) tail |= (b[off + i] & 0xffL) << s;
        return mix(h ^ mix(tail ^ K2));
    }

    /** Stafford variant 13 of the MurmurHash3 finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }
}
