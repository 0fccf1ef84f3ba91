package dev.natrecon.conntrack;

import dev.natrecon.conntrack.LabConformanceTest.Frame;
import dev.natrecon.conntrack.LabConformanceTest.Step;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fates {@link LabConformanceTest} gives packets beyond the two captures' plain matching, each from what a lab
 * sample's settings record of the router (never from the kernel's log):
 * <ul>
 *   <li><b>Carrier loss</b> ({@code event.wan.carrier.down.t} / {@code .up.t}): a LAN packet without a WAN copy
 *       while the carrier is down went through conntrack and NAT and was lost at the WAN device (egress WAN, entry
 *       confirmed), unless {@code router.sysctl} sets {@code net.ipv4.conf.{all,WAN}.ignore_routes_with_linkdown=1}:
 *       then its route was ignored and it died in routing (dropped, no entry).</li>
 *   <li><b>An uncaptured uplink</b> ({@code router.backup.interface}, {@code router.backup.address},
 *       {@code router.backup.gateway}: the default route goes through it): the model's interfaces get it, as the
 *       default route (the router's {@code router-routes.txt}); a LAN packet without a WAN copy is routed by the model
 *       (egress unknown: connected subnets, then the default route), and a packet leaving on the LAN that no WAN frame
 *       brought came in through that uplink, as the reply of the entry whose original tuple it answers (its wire
 *       tuple is that entry's reply tuple; its payload is not in the captures and is not fed).</li>
 *   <li><b>NAT loaded late</b> ({@code nat.ruleset.initial.file}, {@code event.nat.loaded.t}): the model starts
 *       with the initial ruleset and gets the NAT rules of {@code nat.ruleset.file} at that time.</li>
 *   <li><b>An operator's deletion</b> ({@code event.conntrack.flush.t}, {@code event.conntrack.flush.command}:
 *       {@code conntrack -D …} or {@code -F}) at that time ({@link ConntrackCommand}).</li>
 * </ul>
 */
final class LabFates {
    private static final Pattern IGNORE_LINKDOWN = Pattern.compile(
            "(?m)^net\\.ipv4\\.conf\\.([^.\\s]+)\\.ignore_routes_with_linkdown\\s*=\\s*1\\s*$");

    final String backupInterface, backupAddress;
    private final long carrierDown, carrierUp;
    private final boolean ignoreRoutesWithLinkdown;

    private LabFates(Properties props, String sysctl, long t0) {
        String wanIf = props.getProperty("wan.interface");
        backupInterface = props.getProperty("router.backup.interface");
        backupAddress = props.getProperty("router.backup.address");
        String down = props.getProperty("event.wan.carrier.down.t"), up = props.getProperty("event.wan.carrier.up.t");
        carrierDown = down == null ? Long.MAX_VALUE : LabConformanceTest.at(t0, down);
        carrierUp = up == null ? Long.MAX_VALUE : LabConformanceTest.at(t0, up);
        boolean ignore = false;
        Matcher m = IGNORE_LINKDOWN.matcher(sysctl);
        while (m.find()) ignore |= m.group(1).equals("all") || m.group(1).equals(wanIf);
        ignoreRoutesWithLinkdown = ignore;
    }

    static LabFates of(Properties props, Path dir, long t0) throws IOException {
        return new LabFates(props, Files.readString(dir.resolve(props.getProperty("conntrack.sysctl.file"))), t0);
    }

    /** The router's interfaces: LAN, the uncaptured uplink first when there is one (the default route), the WAN. */
    static Interfaces interfaces(Properties props) {
        String lanIf = props.getProperty("lan.interface"), wanIf = props.getProperty("wan.interface");
        Interfaces ifs = new Interfaces().add(lanIf, Interfaces.Role.LAN);
        String backup = props.getProperty("router.backup.interface");
        if (backup != null) {
            String gw = props.getProperty("router.backup.gateway");
            String address = props.getProperty("router.backup.address");
            // the connected subnet holding the gateway: the lab's /24 (router-routes.txt)
            String net = gw != null && gw.substring(0, gw.lastIndexOf('.')).equals(address.substring(0, address.lastIndexOf('.')))
                    ? "/24" : "/32";
            ifs.add(backup, Interfaces.Role.WAN).address(backup, address + net);
        }
        ifs.add(wanIf, Interfaces.Role.WAN);
        ifs.address(lanIf, LabConformanceTest.cidr(props.getProperty("router.lan.address"), props.getProperty("router.lan.network")));
        ifs.address(wanIf, LabConformanceTest.cidr(props.getProperty("router.wan.address"), props.getProperty("router.wan.network")));
        return ifs;
    }

    /** The ruleset the router had when the traffic started. */
    static NatRuleset initialRuleset(Properties props, Path dir) throws IOException {
        String initial = props.getProperty("nat.ruleset.initial.file", props.getProperty("nat.ruleset.file", "router.nft"));
        return NatRuleset.parse(Files.readString(dir.resolve(initial)));
    }

    /** The settings' router events as replay steps: NAT loaded late, an operator's deletion. */
    static void steps(Properties props, Path dir, long t0, List<Step> steps) throws IOException {
        String loaded = props.getProperty("event.nat.loaded.t");
        if (loaded != null && props.getProperty("nat.ruleset.initial.file") != null) {
            NatRuleset last = NatRuleset.parse(Files.readString(dir.resolve(props.getProperty("nat.ruleset.file"))));
            long at = LabConformanceTest.at(t0, loaded);
            steps.add(new Step(at, (mm, s) -> mm.onNatRulesLoaded(at, last.rules(), s)));
        }
        String flush = props.getProperty("event.conntrack.flush.t");
        if (flush != null) {
            ConntrackCommand c = ConntrackCommand.parse(props.getProperty("event.conntrack.flush.command", "conntrack -F"));
            long at = LabConformanceTest.at(t0, flush);
            steps.add(new Step(at, (mm, s) -> mm.onUserspaceDelete(at, c, c.text(), s)));
        }
    }

    /**
     * The egress of a LAN arrival without a WAN copy, not routed back and not to the router, while the WAN capture
     * ran: routed by the model where an uncaptured uplink exists; through the WAN while the carrier was down and
     * its route kept; else dropped.
     */
    Arrival.Egress withoutWanCopy(Arrival a) {
        if (backupInterface != null) {
            routedByModel.add(a);
            return Arrival.Egress.UNKNOWN;
        }
        if (a.nanos >= carrierDown && a.nanos < carrierUp && !ignoreRoutesWithLinkdown) return Arrival.Egress.WAN;
        return Arrival.Egress.DROPPED;
    }

    /** LAN arrivals whose way out the model's routing decides, when they reach it. */
    private final java.util.Set<Arrival> routedByModel = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

    /**
     * Feeds {@code a}; one the model routes gets its out-interface from the model's interfaces as they are at that
     * instant (connected subnets, then the default route; no route: dropped), so a masqueraded entry's packet routed
     * out of another interface meets nf_nat_oif_changed as in the kernel.
     */
    void feed(ConntrackModel mm, Arrival a, EventSink s) {
        if (routedByModel.contains(a)) {
            String oif = mm.interfaces().route(a.tuple.dstHi(), a.tuple.dstLo());
            if (oif == null) {
                a.egress = Arrival.Egress.DROPPED;
            } else {
                a.egressInterface = oif;
                a.egress = mm.interfaces().role(oif) == Interfaces.Role.WAN ? Arrival.Egress.WAN : Arrival.Egress.LAN;
            }
        }
        mm.onPacket(a, s);
    }

    /**
     * A packet leaving on the LAN that no WAN frame brought, when there is an uncaptured uplink: the step that feeds it
     * as arriving there, the reply of the live entry whose original tuple it answers; null without such an uplink.
     */
    Step throughUncapturedUplink(Frame f) {
        if (backupInterface == null) return null;
        ConntrackTuple lanForm = Arrival.tupleOf(f.packet());
        return new Step(f.nanos(), (mm, s) -> {
            ConntrackEntry e = mm.find(lanForm.invert());
            if (e == null) throw new AssertionError("LAN frame " + f.number() + " came through " + backupInterface
                    + " but answers no live entry");
            Arrival a = LabConformanceTest.arrival(f, Arrival.Ingress.WAN, Arrival.Egress.LAN, null);
            a.tuple = e.reply();
            a.payload = null; // the wire payload (before the helper's rewrite) is not in the captures
            a.ingressInterface = backupInterface;
            a.observe(lanForm);
            mm.onPacket(a, s);
        });
    }
}
