package dev.natrecon.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.testing.Hex;
import java.util.List;
import org.junit.jupiter.api.Test;

class PacketDecoderTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final Packet p = new Packet();
    private final AnomalyCounts anomalies = new AnomalyCounts();

    // Ethernet II 00:66:77:88:99:aa > 00:11:22:33:44:55, IPv4, 192.168.1.10:5060 > 203.0.113.5:5060 UDP, payload "OPTIONS"
    static final byte[] ETH_IPV4_UDP = Hex.bytes("""
            00 11 22 33 44 55  00 66 77 88 99 aa  08 00             # eth: dst, src, type IPv4
            45 00 00 23  12 34 00 00  40 11 00 00                   # IPv4: ihl 5, len 35, id 0x1234, ttl 64, udp
            c0 a8 01 0a  cb 00 71 05                                # 192.168.1.10 > 203.0.113.5
            13 c4 13 c4  00 0f 00 00                                # UDP 5060 > 5060, len 15
            4f 50 54 49 4f 4e 53                                    # "OPTIONS"
            """);

    private Disposition decode(int linkType, byte[] b) {
        return decoder.decode(Hex.frame(linkType, b), p, anomalies);
    }

    /** Every field of {@code q} but its bytes, for a field-by-field comparison. */
    private static String fields(Packet q) throws IllegalAccessException {
        StringBuilder b = new StringBuilder();
        for (java.lang.reflect.Field f : Packet.class.getDeclaredFields()) {
            if (java.lang.reflect.Modifier.isStatic(f.getModifiers()) || f.getName().equals("data")) continue;
            b.append(f.getName()).append('=').append(f.get(q)).append(' ');
        }
        return b.toString();
    }

    /** {@code b} as a frame at {@code at} in a buffer of its own (the reader's buffer, a record header before it). */
    private static dev.natrecon.capture.RawFrame frameAt(int linkType, byte[] b, int at) {
        dev.natrecon.capture.RawFrame f = new dev.natrecon.capture.RawFrame();
        f.data = new byte[at + b.length + 5];
        System.arraycopy(b, 0, f.data, at, b.length);
        f.offset = at;
        f.capturedLength = f.originalLength = b.length;
        f.linkType = linkType;
        f.frameNumber = 1;
        return f;
    }

    @Test
    void aPacketWhoseBytesMovedReadsTheCopyAsDecodingTheCopyWould() throws IllegalAccessException {
        byte[] v6 = Hex.bytes("""
                60 00 00 00  00 1a 00 40                          # IPv6, payload 26, next fragment, hop limit 64
                fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 01
                fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 02
                11 00 00 00 00 00 00 07                           # atomic fragment header, next UDP
                13 c4 13 c4 00 12 00 00  41 42 43 44 45 46 47 48 49 4a  # UDP 5060 > 5060, "ABCDEFGHIJ"
                """);
        byte[] icmp = Hex.bytes("""
                45 00 00 38  00 01 00 00  40 01 00 00  cb 00 71 05  cb 00 71 02
                03 03 00 00  00 00 00 00
                45 00 00 2c  ab cd 00 00  3f 11 00 00  cb 00 71 02  cb 00 71 05
                13 c4 13 c5  00 18 00 00
                """);
        byte[] notIp = Hex.bytes("00 11 22 33 44 55  00 66 77 88 99 aa  88 cc  01 02 03 04");
        Object[][] cases = {{LinkType.ETHERNET, ETH_IPV4_UDP}, {LinkType.RAW, v6}, {LinkType.RAW, icmp},
            {LinkType.ETHERNET, notIp}};
        for (Object[] c : cases) {
            int lt = (Integer) c[0];
            byte[] bytes = (byte[]) c[1];
            Packet moved = new Packet();
            dev.natrecon.capture.RawFrame original = frameAt(lt, bytes, 16);
            decoder.decode(original, moved, anomalies);
            byte[] copy = new byte[300];
            System.arraycopy(original.data, 16, copy, 200, bytes.length);
            moved.moveBytes(16, copy, 200);
            Packet direct = new Packet();
            dev.natrecon.capture.RawFrame there = frameAt(lt, bytes, 200);
            there.data = copy;
            decoder.decode(there, direct, anomalies);
            assertEquals(fields(direct), fields(moved), java.util.HexFormat.of().formatHex(bytes));
            assertTrue(moved.data == copy);
        }
    }

    @Test
    void ethernetIpv4Udp() {
        assertEquals(Disposition.DECODED, decode(LinkType.ETHERNET, ETH_IPV4_UDP));
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
        assertEquals(0x1234, p.ipId);
        assertEquals(64, p.ttl);
        assertEquals(7, p.payloadLength);
        assertEquals('O', p.data[p.payloadOffset]);
        assertEquals(0, anomalies.total());
    }

    @Test
    void tcpOptionsConntrackReads() {
        byte[] syn = Hex.bytes("""
                45 00 00 3c  00 01 00 00  40 06 00 00                   # IPv4: len 60, ttl 64, tcp
                c0 a8 01 0a  cb 00 71 05                                # 192.168.1.10 > 203.0.113.5
                c3 50 13 c4  00 00 03 e8  00 00 00 00                   # TCP 50000 > 5060, seq 1000, ack 0
                a0 02 fa f0  00 00 00 00                                # data offset 10 (40 bytes), SYN, window 64240
                02 04 05 b4  04 02                                      # MSS 1460, SACK permitted
                08 0a 00 00 00 07 00 00 00 00                           # timestamps 7 / 0
                01 03 03 07                                             # NOP, window scale 7
                """);
        assertEquals(Disposition.DECODED, decode(LinkType.IPV4, syn));
        assertEquals(40, p.tcpHeaderLength);
        assertEquals(7, p.tcpWindowScale);
        assertTrue(p.tcpSackPermitted);
        assertEquals(7, p.tcpTsVal);
        assertEquals(0, p.payloadLength);
        assertEquals(p.tcpAck, p.tcpSack, "no SACK blocks: the ACK");

        byte[] sack = Hex.bytes("""
                45 00 00 34  00 02 00 00  40 06 00 00                   # IPv4: len 52, tcp
                cb 00 71 05  c0 a8 01 0a                                # 203.0.113.5 > 192.168.1.10
                13 c4 c3 50  00 00 07 d0  00 00 03 e9                   # TCP 5060 > 50000, seq 2000, ack 1001
                80 10 01 00  00 00 00 00                                # data offset 8 (32 bytes), ACK
                01 01 05 0a  00 00 05 00  00 00 06 00                   # NOP NOP SACK 1280-1536
                """);
        assertEquals(Disposition.DECODED, decode(LinkType.IPV4, sack));
        assertEquals(-1, p.tcpWindowScale);
        assertEquals(false, p.tcpSackPermitted);
        assertEquals(0x600, p.tcpSack, "the SACK block's right edge lies after the ACK");
        assertEquals(-1, p.tcpTsVal);
    }

    @Test
    void ethernetPaddingIsNotPayload() {
        byte[] padded = Hex.concat(ETH_IPV4_UDP, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
        assertEquals(Disposition.DECODED, decode(LinkType.ETHERNET, padded));
        assertEquals(7, p.payloadLength);
        assertEquals(0, anomalies.total());
    }

    @Test
    void qinqThenIpv4() {
        byte[] b = Hex.concat(Hex.bytes("""
                00 11 22 33 44 55  00 66 77 88 99 aa  88 a8   # eth, type 802.1ad
                00 9b 81 00                                   # S-tag vid 155, next 802.1Q
                00 01 08 00                                   # C-tag vid 1, next IPv4
                """), slice(ETH_IPV4_UDP, 14));
        assertEquals(Disposition.DECODED, decode(LinkType.ETHERNET, b));
        assertEquals(155, p.vlanOuter);
        assertEquals(1, p.vlanInner);
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
    }

    @Test
    void pppoeSessionCarriesIpv4() {
        byte[] ip = slice(ETH_IPV4_UDP, 14);
        byte[] b = Hex.concat(Hex.bytes("""
                00 11 22 33 44 55  00 66 77 88 99 aa  88 64   # eth, PPPoE session
                11 00 12 34 00 25                              # ver/type 1/1, code 0, session 0x1234, length 37
                00 21                                          # PPP protocol IPv4
                """), ip);
        assertEquals(Disposition.DECODED, decode(LinkType.ETHERNET, b));
        assertEquals(0x1234, p.pppoeSession);
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
    }

    @Test
    void pppoeDiscoveryAndIpcpAreLinkEvents() {
        byte[] padt = Hex.bytes("00 11 22 33 44 55  00 66 77 88 99 aa  88 63  11 a7 12 34 00 00"); // PADT, session 0x1234
        assertEquals(Disposition.LINK_CONTROL, decode(LinkType.ETHERNET, padt));
        assertEquals(LinkEvent.PPPOE_DISCOVERY, p.linkEvent);
        assertEquals(0xa7, p.linkEventCode);
        byte[] ipcpAck = Hex.bytes("""
                00 11 22 33 44 55  00 66 77 88 99 aa  88 64  11 00 12 34 00 0c   # PPPoE session, length 12
                80 21                                                         # PPP IPCP
                02 01 00 0a  03 06 cb 00 71 02                                # Configure-Ack, IP-Address 203.0.113.2
                """);
        assertEquals(Disposition.LINK_CONTROL, decode(LinkType.ETHERNET, ipcpAck));
        assertEquals(LinkEvent.PPP_IPCP, p.linkEvent);
        assertEquals(2, p.linkEventCode);
        assertEquals("203.0.113.2", Addresses.format(0, Addresses.v4(p.linkEventAddress)));
    }

    @Test
    void linuxCookedV1AndV2() {
        byte[] ip = slice(ETH_IPV4_UDP, 14);
        byte[] sll = Hex.concat(Hex.bytes("00 04 00 01 00 06 00 66 77 88 99 aa 00 00 08 00"), ip); // outgoing, IPv4
        assertEquals(Disposition.DECODED, decode(LinkType.LINUX_SLL, sll));
        assertEquals(4, p.sllPacketType);
        byte[] sll2 = Hex.concat(Hex.bytes("08 00 00 00 00 00 00 03 00 01 04 06 00 66 77 88 99 aa 00 00"), ip); // ifindex 3
        assertEquals(Disposition.DECODED, decode(LinkType.LINUX_SLL2, sll2));
        assertEquals(3, p.interfaceIndex);
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
    }

    @Test
    void nullLoopbackBothByteOrdersAndRawIp() {
        byte[] ip = slice(ETH_IPV4_UDP, 14);
        assertEquals(Disposition.DECODED, decode(LinkType.NULL, Hex.concat(Hex.bytes("02 00 00 00"), ip)));
        assertEquals(Disposition.DECODED, decode(LinkType.NULL, Hex.concat(Hex.bytes("00 00 00 02"), ip)));
        assertEquals(Disposition.DECODED, decode(LinkType.LOOP, Hex.concat(Hex.bytes("00 00 00 02"), ip)));
        for (int lt : new int[] {LinkType.RAW, LinkType.RAW_12, LinkType.RAW_14, LinkType.IPV4}) {
            assertEquals(Disposition.DECODED, decode(lt, ip));
            assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
        }
        assertEquals(Disposition.DECODED, decode(LinkType.PPP, Hex.concat(Hex.bytes("ff 03 00 21"), ip)));
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
    }

    @Test
    void ipv6WithHopByHopAndUdp() {
        byte[] b = Hex.bytes("""
                60 00 00 00  00 12 00 40                       # IPv6, payload 18, next hop-by-hop, hop limit 64
                fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 01 # fd17::1
                fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 02 # fd17::2
                11 00 01 04 00 00 00 00                        # hop-by-hop: next UDP, len 0 (8 bytes), PadN
                13 c4 13 c4 00 0a 00 00  41 42                 # UDP 5060 > 5060, len 10, "AB"
                """);
        assertEquals(Disposition.DECODED, decode(LinkType.RAW, b));
        assertEquals("udp [fd17::1]:5060 > [fd17::2]:5060", p.tuple());
        assertEquals(2, p.payloadLength);
        assertTrue(Addresses.isPrivate(p.srcHi, p.srcLo));
    }

    @Test
    void icmpErrorQuotesTheOriginalTuple() {
        byte[] b = Hex.bytes("""
                45 00 00 38  00 01 00 00  40 01 00 00  cb 00 71 05  cb 00 71 02   # IPv4 icmp 203.0.113.5 > 203.0.113.2
                03 03 00 00  00 00 00 00                                            # port unreachable
                45 00 00 2c  ab cd 00 00  3f 11 00 00  cb 00 71 02  cb 00 71 05   # quoted IPv4 udp, id 0xabcd
                13 c4 13 c5  00 18 00 00                                            # quoted UDP 5060 > 5061
                """);
        assertEquals(Disposition.DECODED, decode(LinkType.RAW, b));
        assertTrue(p.icmpError);
        assertEquals(Protocols.UDP, p.innerProtocol);
        assertEquals(5060, p.innerSrcPort);
        assertEquals(5061, p.innerDstPort);
        assertEquals(0xabcd, p.innerIpId);
        assertEquals("203.0.113.5", Addresses.format(p.innerDstHi, p.innerDstLo));
    }

    @Test
    void greAndIpInIpTunnelsDecodeTheInnerPacket() {
        byte[] inner = slice(ETH_IPV4_UDP, 14);
        byte[] gre = Hex.concat(Hex.bytes("""
                45 00 00 3b  00 01 00 00  40 2f 00 00  0a 00 00 01  0a 00 00 02   # outer IPv4, proto GRE
                00 00 08 00                                                         # GRE, no options, IPv4
                """), inner);
        assertEquals(Disposition.DECODED, decode(LinkType.RAW, gre));
        assertEquals(1, p.tunnelDepth);
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
        byte[] ipip = Hex.concat(Hex.bytes("45 00 00 37  00 01 00 00  40 04 00 00  0a 00 00 01  0a 00 00 02"), inner);
        assertEquals(Disposition.DECODED, decode(LinkType.RAW, ipip));
        assertEquals("udp 192.168.1.10:5060 > 203.0.113.5:5060", p.tuple());
        assertEquals(0, p.outerIpOffset);
    }

    @Test
    void arpIsNotIp() {
        byte[] arp = Hex.concat(Hex.bytes("ff ff ff ff ff ff  00 66 77 88 99 aa  08 06"), new byte[28]);
        assertEquals(Disposition.NOT_IP, decode(LinkType.ETHERNET, arp));
        assertEquals(0x0806, p.etherType);
    }

    @Test
    void unknownLinkTypeIsCountedNotThrown() {
        assertEquals(Disposition.UNSUPPORTED_LINK, decode(147, ETH_IPV4_UDP));
        assertEquals(1, anomalies.count("decode.link.unsupported"));
    }

    /** Each cut point (frame ends after n bytes) and the anomaly its header must produce. */
    private record Boundary(int from, int to, String anomaly) {
    }

    private void assertTruncations(int linkType, byte[] full, List<Boundary> boundaries) {
        for (Boundary bd : boundaries) {
            for (int n = bd.from; n < bd.to; n++) {
                AnomalyCounts a = new AnomalyCounts();
                decoder.decode(Hex.frame(linkType, full, n), p, a);
                assertTrue(a.count(bd.anomaly) > 0, "cut at " + n + " bytes should give " + bd.anomaly + " but gave " + a.asMap());
            }
        }
    }

    @Test
    void truncationAtEveryHeaderBoundaryIsNamed() {
        assertTruncations(LinkType.ETHERNET, ETH_IPV4_UDP, List.of(
                new Boundary(0, 14, "decode.ethernet.truncated_header"),
                new Boundary(14, 34, "decode.ipv4.truncated_header"),
                new Boundary(34, 42, "decode.udp.truncated_header"),
                new Boundary(34, ETH_IPV4_UDP.length, "decode.ipv4.total_length_exceeds_frame")));
        byte[] vlan = Hex.concat(Hex.bytes("00 11 22 33 44 55  00 66 77 88 99 aa  81 00  00 07 08 00"), slice(ETH_IPV4_UDP, 14));
        assertTruncations(LinkType.ETHERNET, vlan, List.of(
                new Boundary(14, 18, "decode.vlan.truncated_header"),
                new Boundary(18, 38, "decode.ipv4.truncated_header")));
        byte[] pppoe = Hex.concat(Hex.bytes("00 11 22 33 44 55  00 66 77 88 99 aa  88 64  11 00 12 34 00 25  00 21"),
                slice(ETH_IPV4_UDP, 14));
        assertTruncations(LinkType.ETHERNET, pppoe, List.of(
                new Boundary(14, 20, "decode.pppoe.truncated_header"),
                new Boundary(20, 22, "decode.ppp.truncated_header"),
                new Boundary(22, 42, "decode.ipv4.truncated_header")));
        byte[] sll = Hex.concat(Hex.bytes("00 04 00 01 00 06 00 66 77 88 99 aa 00 00 08 00"), slice(ETH_IPV4_UDP, 14));
        assertTruncations(LinkType.LINUX_SLL, sll, List.of(new Boundary(0, 16, "decode.sll.truncated_header")));
        byte[] sll2 = Hex.concat(Hex.bytes("08 00 00 00 00 00 00 03 00 01 04 06 00 66 77 88 99 aa 00 00"), slice(ETH_IPV4_UDP, 14));
        assertTruncations(LinkType.LINUX_SLL2, sll2, List.of(new Boundary(0, 20, "decode.sll2.truncated_header")));
        assertTruncations(LinkType.NULL, Hex.concat(Hex.bytes("02 00 00 00"), slice(ETH_IPV4_UDP, 14)),
                List.of(new Boundary(0, 4, "decode.null.truncated_header")));
        byte[] tcp = Hex.bytes("""
                45 00 00 28  00 01 40 00  40 06 00 00  c0 a8 01 0a  cb 00 71 05   # IPv4 tcp, len 40
                c0 00 13 c4  00 00 00 01  00 00 00 00  50 02 ff ff  00 00 00 00   # TCP SYN 49152 > 5060
                """);
        assertTruncations(LinkType.RAW, tcp, List.of(new Boundary(20, 40, "decode.tcp.truncated_header")));
        byte[] v6 = Hex.bytes("""
                60 00 00 00  00 10 00 40  fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 01
                fd 17 00 00 00 00 00 00 00 00 00 00 00 00 00 02
                11 00 01 04 00 00 00 00   13 c4 13 c4 00 08 00 00
                """);
        assertTruncations(LinkType.RAW, v6, List.of(
                new Boundary(1, 40, "decode.ipv6.truncated_header"),
                new Boundary(40, 48, "decode.ipv6.truncated_extension_header"),
                new Boundary(48, 56, "decode.udp.truncated_header")));
        byte[] icmp = Hex.bytes("45 00 00 1c  00 01 00 00  40 01 00 00  c0 a8 01 0a  cb 00 71 05  08 00 00 00 00 01 00 01");
        assertTruncations(LinkType.RAW, icmp, List.of(new Boundary(20, 28, "decode.icmp.truncated_header")));
    }

    @Test
    void snaplenCutKeepsHeadersAndSaysSo() {
        var f = Hex.frame(LinkType.ETHERNET, ETH_IPV4_UDP, 44);
        f.originalLength = ETH_IPV4_UDP.length;
        assertEquals(Disposition.DECODED, decoder.decode(f, p, anomalies));
        assertTrue(p.truncated);
        assertEquals(1, anomalies.count("decode.truncated_by_snaplen"));
        assertEquals(0, anomalies.count("decode.ipv4.total_length_exceeds_frame"));
        assertEquals(2, p.payloadLength);
    }

    @Test
    void dhcpAckIsALinkEvent() {
        byte[] bootp = new byte[300];
        bootp[0] = 2; // BOOTREPLY
        bootp[16] = (byte) 203; bootp[17] = 0; bootp[18] = 113; bootp[19] = 9; // yiaddr
        bootp[236] = 0x63; bootp[237] = (byte) 0x82; bootp[238] = 0x53; bootp[239] = 0x63;
        bootp[240] = 53; bootp[241] = 1; bootp[242] = 5; bootp[243] = (byte) 255; // message type ACK
        byte[] b = dev.natrecon.testing.Frames.udp("203.0.113.1", 67, "203.0.113.9", 68, 1, 64, bootp);
        assertEquals(Disposition.DECODED, decode(LinkType.ETHERNET, b));
        assertEquals(LinkEvent.DHCP, p.linkEvent);
        assertEquals(5, p.linkEventCode);
        assertEquals("203.0.113.9", Addresses.format(0, Addresses.v4(p.linkEventAddress)));
    }

    @Test
    void arpRequestsAndRepliesNameTheAddressAskedForAndAnswered() {
        byte[] request = Hex.bytes("""
                ff ff ff ff ff ff  02 00 00 00 00 05  08 06
                00 01 08 00 06 04 00 01                       # Ethernet/IPv4, request
                02 00 00 00 00 05  cb 00 71 05                # sender 203.0.113.5
                00 00 00 00 00 00  cb 00 71 02                # target 203.0.113.2
                """);
        assertEquals(Disposition.NOT_IP, decode(LinkType.ETHERNET, request));
        assertEquals(LinkEvent.ARP, p.linkEvent);
        assertEquals(1, p.linkEventCode);
        assertEquals("203.0.113.2", Addresses.format(0, Addresses.v4(p.linkEventAddress)));
        byte[] reply = Hex.bytes("""
                02 00 00 00 00 05  02 00 00 00 00 02  08 06
                00 01 08 00 06 04 00 02                       # Ethernet/IPv4, reply
                02 00 00 00 00 02  cb 00 71 02                # sender 203.0.113.2
                02 00 00 00 00 05  cb 00 71 05                # target 203.0.113.5
                """);
        assertEquals(Disposition.NOT_IP, decode(LinkType.ETHERNET, reply));
        assertEquals(LinkEvent.ARP, p.linkEvent);
        assertEquals(2, p.linkEventCode);
        assertEquals("203.0.113.2", Addresses.format(0, Addresses.v4(p.linkEventAddress)));
        // cut short: a plain non-IP frame, no event
        assertEquals(Disposition.NOT_IP, decode(LinkType.ETHERNET, java.util.Arrays.copyOf(request, 30)));
        assertEquals(LinkEvent.NONE, p.linkEvent);
    }

    static byte[] slice(byte[] b, int from) {
        return java.util.Arrays.copyOfRange(b, from, b.length);
    }
}
