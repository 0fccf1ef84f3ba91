package dev.natrecon.engine;

import dev.natrecon.correlate.ClockEstimate;
import dev.natrecon.correlate.Inside;
import dev.natrecon.decode.Addresses;
import dev.natrecon.decode.LinkType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Two captures that make no sense as a router's LAN and WAN sides, found before the replay: the same file for both
 * sides (refused), a capture of Linux's {@code any} pseudo-interface or of a loopback interface as one side (refused:
 * use {@code --router}, or capture the interface itself), and the two sides swapped (corrected, with a note). Each
 * refusal is an {@link IllegalArgumentException} whose message is one line naming the file, the reason and what to do.
 */
final class InputChecks {
    /** {@code ARPHRD_ETHER} (include/uapi/linux/if_arp.h): an Ethernet interface in a cooked capture. */
    static final int ARPHRD_ETHER = 1;
    /** {@code ARPHRD_LOOPBACK} (include/uapi/linux/if_arp.h): the loopback interface in a cooked capture. */
    static final int ARPHRD_LOOPBACK = 772;

    private InputChecks() {
    }

    /** Refuses one file, by path or by content, given for both sides. */
    static void notSameFile(Path lan, Path wan) throws IOException {
        if (Files.isSameFile(lan, wan)) {
            throw new IllegalArgumentException(lan + ": given as both the LAN and the WAN capture; give the capture of "
                    + "the router's LAN side and the capture of its WAN side (or one capture taken on the router with "
                    + "--router)");
        }
        if (Files.size(lan) == Files.size(wan) && Files.mismatch(lan, wan) < 0) {
            throw new IllegalArgumentException(wan + ": the same bytes as the LAN capture " + lan + " (a copy of one "
                    + "capture given for both sides); give the capture of the router's WAN side");
        }
    }

    /**
     * Refuses a side capture that is of the {@code any} pseudo-interface or of loopback, from the link type, the
     * pcapng interface names, the cooked header's interface type and index, and the addresses (pass 1's survey).
     */
    static void sideCapture(Path file, String role, CaptureStats stats, Map<Integer, Analysis.InterfaceEvidence> ev) {
        long frames = 0, sllEther = 0, sllLoopback = 0, loopback = 0;
        int sll2Interfaces = 0;
        boolean namedAny = false;
        for (Analysis.InterfaceEvidence e : ev.values()) {
            if (e.frames == 0) continue;
            frames += e.frames;
            sllEther += e.sllEther;
            sllLoopback += e.sllLoopback;
            loopback += e.loopback;
            if (e.key >= 1_000_000) sll2Interfaces++;
            if ("any".equals(e.name)) namedAny = true;
        }
        String side = "given as the " + role + " capture, but it is ";
        String own = "capture the router's " + role + " interface itself (tcpdump -i IFACE -w "
                + role.toLowerCase(Locale.ROOT) + ".pcap)";
        boolean bsdLoop = stats.linkTypes.containsKey(LinkType.name(LinkType.NULL))
                || stats.linkTypes.containsKey(LinkType.name(LinkType.LOOP));
        if (bsdLoop || frames > 0 && loopback == frames) {
            throw new IllegalArgumentException(file + ": " + side + "a loopback capture ("
                    + (bsdLoop ? "BSD loopback link type" : "every packet is to or from a loopback address")
                    + "): it holds what one machine sent itself, never what crossed a router; " + own);
        }
        boolean sll = stats.linkTypes.containsKey(LinkType.name(LinkType.LINUX_SLL));
        boolean sll2 = stats.linkTypes.containsKey(LinkType.name(LinkType.LINUX_SLL2));
        if (namedAny || (sll || sll2) && (sllEther > 0 || sllLoopback > 0) || sll2Interfaces >= 2) {
            List<String> what = new ArrayList<>();
            if (namedAny) what.add("interface 'any'");
            if (sllEther > 0) what.add(sllEther + " frames from Ethernet interfaces");
            if (sllLoopback > 0) what.add(sllLoopback + " frames from the loopback interface");
            if (sll2Interfaces >= 2) what.add(sll2Interfaces + " interfaces");
            throw new IllegalArgumentException(file + ": " + side + "a capture of the 'any' pseudo-interface (Linux "
                    + "cooked capture: " + String.join(", ", what) + "), which mixes every interface of the machine; "
                    + (sll2 || namedAny ? "give it as --router " + file + ", or " + own
                    : "if it was taken on the router, give it as --router " + file + " (Linux cooked v1 records no "
                            + "interface; the sides are told apart by pairing each forwarded packet's copies), or "
                            + own));
        }
    }

    /**
     * The note saying the two captures were swapped, or null when they are the right way round. Swapped when the
     * evidence is clear both ways: the matched translations make the router's "public" address a private one, the
     * capture given as LAN is mostly between public addresses, and the one given as WAN mostly between a private
     * and a public address. (A router behind another NAT has a private WAN address too, but then its WAN capture is
     * private-public as well, so it never qualifies.)
     */
    static String swapped(Path lan, Path wan, Map<Integer, Analysis.InterfaceEvidence> lanEv,
                          Map<Integer, Analysis.InterfaceEvidence> wanEv, ClockEstimate est, Inside inside) {
        if (est.matches() == 0 || est.externalAddresses().isEmpty()) return null;
        long[] a = new long[2];
        for (String x : est.externalAddresses()) {
            if (!Addresses.parse(x, a) || !inside.contains(a[0], a[1])) return null;
        }
        long lanPp = 0, lanPub = 0, wanPp = 0, wanPub = 0;
        for (Analysis.InterfaceEvidence e : lanEv.values()) {
            lanPp += e.privatePublic;
            lanPub += e.publicPublic;
        }
        for (Analysis.InterfaceEvidence e : wanEv.values()) {
            wanPp += e.privatePublic;
            wanPub += e.publicPublic;
        }
        if (lanPub <= lanPp || wanPp <= wanPub) return null;
        return String.format(Locale.ROOT, "the LAN and WAN captures were given the wrong way round and were swapped: "
                + "%s, given as LAN, has %d packets between public addresses and %d between a private and a public "
                + "one, %s, given as WAN, has %d and %d, and %d packets seen in both make the router's public address "
                + "the private %s; analysed with %s as the LAN capture and %s as the WAN capture",
                lan, lanPub, lanPp, wan, wanPub, wanPp, est.matches(), String.join(", ", est.externalAddresses()),
                wan, lan);
    }
}
