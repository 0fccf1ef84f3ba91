package dev.natrecon.decode;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.pcap4j.packet.IcmpV4CommonPacket;
import org.pcap4j.packet.IcmpV6CommonPacket;
import org.pcap4j.packet.IpV4Packet;
import org.pcap4j.packet.IpV6Packet;
import org.pcap4j.packet.TcpPacket;
import org.pcap4j.packet.UdpPacket;
import org.pcap4j.packet.factory.PacketFactories;
import org.pcap4j.packet.namednumber.DataLinkType;

/**
 * Differential test: every frame of every bundled and public capture is decoded by natrecon and, independently, by
 * pcap4j's packet classes (fed the bytes our reader produced). Wherever pcap4j finds an IP header, both must agree on
 * the addresses, the transport protocol and the ports. pcap4j does not know every link type or tunnel natrecon
 * follows; those frames are counted as not comparable, and the test requires a large number of compared frames.
 */
class Pcap4jDifferentialTest {
    static List<Path> captures() throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path root : List.of(Path.of("src/test/resources/public"), Path.of("samples"))) {
            try (Stream<Path> s = Files.walk(root)) {
                s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void natreconAndPcap4jAgreeOnAddressesProtocolsAndPorts() throws IOException {
        PacketDecoder decoder = new PacketDecoder();
        Packet p = new Packet();
        long compared = 0, portsCompared = 0, notComparable = 0;
        List<String> mismatches = new ArrayList<>();
        for (Path file : captures()) {
            try (CaptureReader r = CaptureReader.open(file)) {
                RawFrame f = new RawFrame();
                while (r.next(f)) {
                    byte[] bytes = Arrays.copyOfRange(f.data, f.offset, f.offset + f.capturedLength);
                    Disposition d = decoder.decode(f, p, new AnomalyCounts());
                    org.pcap4j.packet.Packet theirs;
                    try {
                        theirs = PacketFactories.getFactory(org.pcap4j.packet.Packet.class, DataLinkType.class)
                                .newInstance(bytes, 0, bytes.length, DataLinkType.getInstance(f.linkType));
                    } catch (RuntimeException e) {
                        notComparable++;
                        continue;
                    }
                    IpV4Packet v4 = theirs.get(IpV4Packet.class);
                    IpV6Packet v6 = theirs.get(IpV6Packet.class);
                    if ((v4 == null && v6 == null) || p.tunnelDepth > 0 || !p.isIp()) {
                        notComparable++;
                        continue;
                    }
                    String where = file + " frame " + f.frameNumber;
                    InetAddress src = v4 != null ? v4.getHeader().getSrcAddr() : v6.getHeader().getSrcAddr();
                    InetAddress dst = v4 != null ? v4.getHeader().getDstAddr() : v6.getHeader().getDstAddr();
                    if (!Addresses.format(p.srcHi, p.srcLo).equals(norm(src)) || !Addresses.format(p.dstHi, p.dstLo).equals(norm(dst))) {
                        mismatches.add(where + ": addresses " + p.src() + " > " + p.dst() + " vs " + src + " > " + dst);
                        continue;
                    }
                    compared++;
                    if (d != Disposition.DECODED || (p.layers & Packet.L_REASSEMBLED) != 0 || p.fragment) continue;
                    // An ICMP error quotes a UDP/TCP header, which pcap4j also returns from get(): ICMP first.
                    boolean icmp4 = theirs.get(IcmpV4CommonPacket.class) != null;
                    boolean icmp6 = theirs.get(IcmpV6CommonPacket.class) != null;
                    UdpPacket udp = icmp4 || icmp6 ? null : theirs.get(UdpPacket.class);
                    TcpPacket tcp = icmp4 || icmp6 ? null : theirs.get(TcpPacket.class);
                    if (icmp4 && p.protocol != Protocols.ICMP) {
                        mismatches.add(where + ": " + p.tuple() + " vs ICMP");
                    } else if (icmp6 && p.protocol != Protocols.ICMPV6) {
                        mismatches.add(where + ": " + p.tuple() + " vs ICMPv6");
                    } else if (udp != null) {
                        portsCompared++;
                        if (p.protocol != Protocols.UDP || p.srcPort != udp.getHeader().getSrcPort().valueAsInt()
                                || p.dstPort != udp.getHeader().getDstPort().valueAsInt()) {
                            mismatches.add(where + ": " + p.tuple() + " vs UDP " + udp.getHeader().getSrcPort() + " > " + udp.getHeader().getDstPort());
                        }
                    } else if (tcp != null) {
                        portsCompared++;
                        if (p.protocol != Protocols.TCP || p.srcPort != tcp.getHeader().getSrcPort().valueAsInt()
                                || p.dstPort != tcp.getHeader().getDstPort().valueAsInt()) {
                            mismatches.add(where + ": " + p.tuple() + " vs TCP " + tcp.getHeader().getSrcPort() + " > " + tcp.getHeader().getDstPort());
                        }
                    }
                }
            }
        }
        assertTrue(mismatches.isEmpty(), mismatches.size() + " mismatches, first: " + mismatches.subList(0, Math.min(10, mismatches.size())));
        assertTrue(compared > 30_000, "compared " + compared + " frames (not comparable: " + notComparable + ")");
        assertTrue(portsCompared > 30_000, "compared ports of " + portsCompared + " frames");
        System.out.printf("pcap4j differential: %d frames compared (%d with ports), %d not comparable%n", compared,
                portsCompared, notComparable);
    }

    private static String norm(InetAddress a) {
        byte[] b = a.getAddress();
        if (b.length == 4) return Addresses.format(0, Addresses.v4(Bytes.i32(b, 0)));
        return Addresses.format(Bytes.i64(b, 0), Bytes.i64(b, 8));
    }
}
