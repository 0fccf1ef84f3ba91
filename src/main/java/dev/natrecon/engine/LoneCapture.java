package dev.natrecon.engine;

import dev.natrecon.capture.AnomalyCounts;
import dev.natrecon.capture.CaptureReader;
import dev.natrecon.capture.RawFrame;
import dev.natrecon.decode.Disposition;
import dev.natrecon.decode.Packet;
import java.io.IOException;
import java.nio.file.Path;

/**
 * What one capture given alone is ({@code analyze FILE}, a lone capture in a batch): a router capture when its IP
 * packets come from two or more interfaces (pcapng interfaces, or the interface index of Linux cooked v2), which the
 * router form analyses as its LAN and WAN; else one capture of one side ({@link AnalysisInputs#single}). A Linux
 * cooked v1 capture ({@code tcpdump -i any} without {@code -y LINUX_SLL2}) records no interface: it is a router's
 * when it holds both copies of forwarded packets ({@link Analysis#routerCopyPairs}), else one side's.
 */
public final class LoneCapture {
    /**
     * Frames read to look for a forwarded packet's two copies in a Linux cooked v1 capture: a router forwards within
     * milliseconds, so a router's {@code -i any} shows pairs from its first packets on; the bound keeps the probe
     * cheap on a long capture of one side.
     */
    static final long COPY_PAIR_PROBE_FRAMES = 200_000;

    private LoneCapture() {
    }

    /** The inputs for {@code file} given alone; {@code side} is {@code --side} ("lan", "wan") or null. */
    public static AnalysisInputs inputs(Path file, String side) throws IOException {
        if (side == null && routerCapture(file)) {
            return new AnalysisInputs(null, null, file, null, null, null, AnalysisInputs.DEFAULT_MATCH_WINDOW_SECONDS);
        }
        return AnalysisInputs.single(file, side);
    }

    /**
     * Whether {@code file} is a router's capture: two or more interfaces with IP, or a Linux cooked v1 capture (no
     * interface recorded) holding both copies of forwarded packets; the copy-pair probe reads the file again only then.
     */
    static boolean routerCapture(Path file) throws IOException {
        int n = interfacesWithIp(file);
        return n >= 2 || n == COOKED_V1 && Analysis.routerCopyPairs(file, COPY_PAIR_PROBE_FRAMES) > 0;
    }

    /** {@link #interfacesWithIp}: one Linux cooked v1 "interface", which may hide several. */
    private static final int COOKED_V1 = -1;

    /**
     * How many interfaces carry IP packets other than loopback/link-local in {@code file} (stops counting at two);
     * {@link #COOKED_V1} when they all came through Linux cooked v1, which records no interface.
     */
    static int interfacesWithIp(Path file) throws IOException {
        try (CaptureReader reader = CaptureReader.open(file)) {
            FrameDecoder dec = new FrameDecoder(new AnomalyCounts());
            RawFrame f = new RawFrame();
            Packet p = dec.packet;
            int first = Integer.MIN_VALUE;
            boolean cooked = true;
            while (reader.next(f)) {
                if (dec.decode(f, f.timestampNanos) != Disposition.DECODED) continue;
                // the capturing host's own loopback/link-local traffic (an 'any' or 'lo' interface beside the real
                // one) is no side of a router
                if (dev.natrecon.decode.Addresses.eitherHostOrLinkScope(p.srcHi, p.srcLo, p.dstHi, p.dstLo)) continue;
                cooked &= CookedSides.applies(p);
                int key = Analysis.interfaceKey(f, p, null);
                if (first == Integer.MIN_VALUE) first = key;
                else if (key != first) return 2;
            }
            return first == Integer.MIN_VALUE ? 0 : cooked ? COOKED_V1 : 1;
        }
    }
}
