package dev.natrecon.engine;

import dev.natrecon.conntrack.Arrival;
import dev.natrecon.correlate.Seen;
import dev.natrecon.correlate.Side;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The WAN's carrier as the case settings record it ({@code event.wan.carrier.down.t} / {@code .up.t}: a cable pulled,
 * the modem rebooting): not an address change and not NETDEV_DOWN, so masquerade flushes nothing
 * (nf_nat_masquerade.c reacts to NETDEV_DOWN and address removal only). What happens to a LAN packet meanwhile
 * depends on {@code net.ipv4.conf.{all,WAN}.ignore_routes_with_linkdown} (net/ipv4/fib_semantics.c, the routes of a
 * device without carrier get RTNH_F_LINKDOWN; with the sysctl set (IN_DEV_ORCONF: {@code all} or the device) the
 * lookup skips them):
 * <ul>
 *   <li>0 (the default): the connected route stays usable; the packet goes through conntrack and NAT, its entry is
 *       confirmed in POSTROUTING, and the device's queue drops it: the model takes it as leaving through the WAN
 *       (lab: carrier-loss).</li>
 *   <li>1: the route is ignored and the packet dies in routing, before confirmation: no entry (it stays dropped; lab:
 *       carrier-loss-linkdown).</li>
 * </ul>
 * Per packet: one comparison while the carrier is up; nothing allocated.
 */
final class WanCarrier {
    /** Settings' link-change kinds of the carrier (no address). */
    static final String DOWN = "carrier-down", UP = "carrier-up";

    private static final Pattern IGNORE_LINKDOWN = Pattern.compile(
            "(?m)^net\\.ipv4\\.conf\\.([^.\\s]+)\\.ignore_routes_with_linkdown\\s*=\\s*1\\s*$");

    private final String wanIf;
    private final List<String> decisions;
    private boolean ignoreRoutesWithLinkdown;
    private boolean down;
    private long downSince;
    private int kept;

    WanCarrier(String wanIf, String sysctlDump, List<String> decisions) {
        this.wanIf = wanIf;
        this.decisions = decisions;
        if (sysctlDump != null) {
            var m = IGNORE_LINKDOWN.matcher(sysctlDump);
            while (m.find()) {
                if (m.group(1).equals("all") || m.group(1).equals(wanIf)) ignoreRoutesWithLinkdown = true;
            }
        }
    }

    /** Applies a settings' carrier change at {@code nanos}; false when {@code kind} is not a carrier change. */
    boolean apply(String kind, long nanos) {
        if (DOWN.equals(kind)) {
            if (!down) downSince = nanos;
            down = true;
            kept = 0;
            decisions.add("model link change: " + wanIf + " lost its carrier at " + dev.natrecon.capture.Times.iso(nanos)
                    + " (no flush: masquerade reacts to NETDEV_DOWN and address removal only; routes with link down "
                    + (ignoreRoutesWithLinkdown ? "ignored, ignore_routes_with_linkdown=1: LAN packets die in routing, no entry)"
                    : "kept, ignore_routes_with_linkdown=0: LAN packets pass conntrack and NAT, lost at the device)"));
            return true;
        }
        if (UP.equals(kind)) {
            if (down) {
                decisions.add("model link change: " + wanIf + " carrier back at " + dev.natrecon.capture.Times.iso(nanos)
                        + (kept == 0 ? "" : " (" + kept + " LAN packet(s) without WAN copy taken as confirmed and lost at "
                        + wanIf + " since " + dev.natrecon.capture.Times.iso(downSince) + ")"));
            }
            down = false;
            return true;
        }
        return false;
    }

    /**
     * A LAN packet with no WAN copy while the carrier is down and the route is kept: it left through the WAN as far as
     * conntrack and NAT are concerned.
     */
    void beforeArrival(Seen s, Arrival a) {
        if (!down || ignoreRoutesWithLinkdown) return;
        if (s.side == Side.LAN && a.ingress == Arrival.Ingress.LAN && a.egress == Arrival.Egress.DROPPED) {
            a.egress = Arrival.Egress.WAN;
            kept++;
        }
    }
}
