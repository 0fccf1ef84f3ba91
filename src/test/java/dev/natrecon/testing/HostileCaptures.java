package dev.natrecon.testing;

import dev.natrecon.capture.PcapWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generated hostile LAN/WAN capture pairs (too big to commit): what a capture can make natrecon hold in memory.
 */
public final class HostileCaptures {
    /** The router's WAN address in every generated pair. */
    public static final String WAN_ADDRESS = "203.0.113.2";
    private static final long START = 1_700_000_000_000_000_000L;

    private HostileCaptures() {
    }

    /**
     * {@code endpoints} LAN endpoints (192.168.x.y:40000), each talking to its own remote (198.18.a.b:7000) through
     * the same external port 203.0.113.2:40000 (Linux keeps the port: the remotes differ), once a second for
     * {@code seconds} seconds each way: every pair of them is a port clash at overlapping times.
     */
    public static void portClashes(Path lan, Path wan, int endpoints, int seconds) throws IOException {
        portClashes(lan, wan, endpoints, endpoints, seconds);
    }

    /**
     * As {@link #portClashes(Path, Path, int, int)}, with {@code perPort} endpoints per source port (40000, 40001, ...):
     * {@code endpoints / perPort} external ports, each shared by {@code perPort} endpoints.
     */
    public static void portClashes(Path lan, Path wan, int endpoints, int perPort, int seconds) throws IOException {
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            byte[] payload = new byte[40];
            int ipId = 1;
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < endpoints; i++) {
                    long t = START + s * 1_000_000_000L + i * 200_000L;
                    String inside = "192.168." + (i / 250) + "." + (i % 250 + 2);
                    String remote = "198.18." + (i >> 8) + "." + (i & 255);
                    int port = 40000 + i / perPort;
                    l.write(t, Frames.udp(inside, port, remote, 7000, ipId, 64, payload));
                    w.write(t + 50_000, Frames.udp(WAN_ADDRESS, port, remote, 7000, ipId, 63, payload));
                    ipId = (ipId + 1) & 0xffff;
                    w.write(t + 100_000, Frames.udp(remote, 7000, WAN_ADDRESS, port, ipId, 50, payload));
                    l.write(t + 150_000, Frames.udp(remote, 7000, inside, port, ipId, 49, payload));
                    ipId = (ipId + 1) & 0xffff;
                }
            }
        }
    }

    /**
     * {@code endpoints} LAN hosts (10.1.x.y), all sending from port 5060 to the same remote 198.51.100.10:5060, three
     * datagrams a second each way for {@code seconds} seconds: the first keeps 203.0.113.2:5060, every other one is
     * remapped by the router to 203.0.113.2:(20000 + i) (the WAN copies show it), so there are
     * {@code endpoints - 1} port clashes, all behind one external address.
     */
    public static void remappedPorts(Path lan, Path wan, int endpoints, int seconds) throws IOException {
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            byte[] payload = new byte[40];
            int ipId = 1;
            String remote = "198.51.100.10";
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < endpoints; i++) {
                    long t = START + s * 1_000_000_000L + i * 1_000_000L;
                    String inside = "10.1." + (i / 250) + "." + (i % 250 + 2);
                    int external = i == 0 ? 5060 : 20000 + i;
                    l.write(t, Frames.udp(inside, 5060, remote, 5060, ipId, 64, payload));
                    w.write(t + 50_000, Frames.udp(WAN_ADDRESS, external, remote, 5060, ipId, 63, payload));
                    ipId = (ipId + 1) & 0xffff;
                    w.write(t + 300_000, Frames.udp(remote, 5060, WAN_ADDRESS, external, ipId, 50, payload));
                    l.write(t + 350_000, Frames.udp(remote, 5060, inside, 5060, ipId, 49, payload));
                    ipId = (ipId + 1) & 0xffff;
                }
            }
        }
    }

    /**
     * {@code hosts} LAN hosts (10.2.x.y:40000) whose datagrams to 198.51.100.20:7000 leave the WAN untranslated (a NAT
     * rule that does not cover them), once a second for {@code seconds} seconds: one private source leak per host,
     * each a finding of its own (the cause is the internal host).
     */
    public static void leakingHosts(Path lan, Path wan, int hosts, int seconds) throws IOException {
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            byte[] payload = new byte[40];
            int ipId = 1;
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < hosts; i++) {
                    long t = START + s * 1_000_000_000L + i * 1_000_000L;
                    String inside = "10.2." + (i / 250) + "." + (i % 250 + 2);
                    l.write(t, Frames.udp(inside, 40000, "198.51.100.20", 7000, ipId, 64, payload));
                    w.write(t + 50_000, Frames.udp(inside, 40000, "198.51.100.20", 7000, ipId, 63, payload));
                    ipId = (ipId + 1) & 0xffff;
                }
            }
        }
    }

    /**
     * One REGISTER with {@code headers} extra header lines (a UDP datagram near its 64 KiB maximum when there are a
     * few thousand), sent by 192.168.1.10:5060 to 198.51.100.10:5060 and seen on the WAN as 203.0.113.2:5060, then
     * an ordinary REGISTER: the parser must stop at its header bound and go on.
     */
    public static void hugeSip(Path lan, Path wan, int headers) throws IOException {
        StringBuilder big = new StringBuilder("REGISTER sip:198.51.100.10 SIP/2.0\r\n"
                + "Via: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-huge\r\nFrom: <sip:1001@198.51.100.10>;tag=1\r\n"
                + "To: <sip:1001@198.51.100.10>\r\nCall-ID: huge-1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\n");
        for (int i = 0; i < headers; i++) big.append("X-").append(i).append(": y\r\n");
        big.append("Content-Length: 0\r\n\r\n");
        String small = "REGISTER sip:198.51.100.10 SIP/2.0\r\nVia: SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK-2\r\n"
                + "From: <sip:1001@198.51.100.10>;tag=1\r\nTo: <sip:1001@198.51.100.10>\r\nCall-ID: huge-2\r\n"
                + "CSeq: 2 REGISTER\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            String[] messages = {big.toString(), small};
            for (int k = 0; k < messages.length; k++) {
                byte[] m = messages[k].getBytes(java.nio.charset.StandardCharsets.US_ASCII);
                long t = START + k * 1_000_000_000L;
                l.write(t, Frames.udp("192.168.1.10", 5060, "198.51.100.10", 5060, 10 + k, 64, m));
                w.write(t + 80_000, Frames.udp(WAN_ADDRESS, 5060, "198.51.100.10", 5060, 10 + k, 63, m));
            }
        }
    }
}
