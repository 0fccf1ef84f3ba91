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
        try (OutputStream lo = Files.newOutputStream(lan); OutputStream wo = Files.newOutputStream(wan);
             PcapWriter l = new PcapWriter(lo, 1, false); PcapWriter w = new PcapWriter(wo, 1, false)) {
            byte[] payload = new byte[40];
            int ipId = 1;
            for (int s = 0; s < seconds; s++) {
                for (int i = 0; i < endpoints; i++) {
                    long t = START + s * 1_000_000_000L + i * 200_000L;
                    String inside = "192.168." + (i / 250) + "." + (i % 250 + 2);
                    String remote = "198.18." + (i >> 8) + "." + (i & 255);
                    l.write(t, Frames.udp(inside, 40000, remote, 7000, ipId, 64, payload));
                    w.write(t + 50_000, Frames.udp(WAN_ADDRESS, 40000, remote, 7000, ipId, 63, payload));
                    ipId = (ipId + 1) & 0xffff;
                    w.write(t + 100_000, Frames.udp(remote, 7000, WAN_ADDRESS, 40000, ipId, 50, payload));
                    l.write(t + 150_000, Frames.udp(remote, 7000, inside, 40000, ipId, 49, payload));
                    ipId = (ipId + 1) & 0xffff;
                }
            }
        }
    }
}
