package dev.natrecon.engine;

import dev.natrecon.conntrack.NatRule;
import dev.natrecon.conntrack.Timeouts;
import java.util.ArrayList;
import java.util.List;

/**
 * How to set up the router model for one case: the timeout profile with the customer's sysctl dump and single
 * overrides over it, the NAT rules (given, or inferred from the matched traffic when null), the networks behind the
 * router, the router's own addresses, and the SIP helper.
 *
 * @param profile        timeout profile name ({@link Timeouts#profiles()})
 * @param sysctlText     a {@code sysctl -a} / {@code sysctl net.netfilter} dump, or null
 * @param sysctlSource   where the dump came from (a file name), printed beside each value it set
 * @param overrides      {@code name=value} settings applied last
 * @param natSource      where the ruleset came from, for the report
 * @param inside         networks behind the router (empty: the private ranges and shared space, {@link
 *                       dev.natrecon.correlate.Inside})
 * @param routerAddresses the router's own addresses on either side, when known (traffic to them is local)
 * @param sipHelper      whether the SIP helper is attached to SIP signalling entries
 * @param sipPorts       the ports the helper is attached to
 * @param sipProtocols   the transports (17 UDP, 6 TCP) the helper is attached to
 * @param snapshotNanos  instants (corrected time, ns) at which to list the table like {@code conntrack -L}
 * @param ruleset        the router's {@code nft list ruleset} or {@code iptables-save} text (NAT and helper rules), or
 *                       null: a masquerade rule on the WAN interface, inferred from the traffic
 * @param lanInterface   the router's interface names on each side (as the ruleset names them)
 * @param wanNetwork     the WAN interface's connected prefix length ("/24"), or null for a host address
 * @param linkChanges    link and address changes of the router, in time order
 * @param moduleParameters the SIP helper's module parameters ({@code /sys/module/nf_conntrack_sip/parameters} dump)
 * @param otherUplinks   uplinks no capture shows, "NAME=ADDRESS/PREFIX" (a backup the default route goes out of once
 *                       the WAN's connected route is gone; {@link OtherPath})
 */
public record ModelSettings(String profile, String sysctlText, String sysctlSource, List<String> overrides,
                            String natSource, List<NatRule.Prefix> inside,
                            List<String> routerAddresses, SipHelper sipHelper, List<Integer> sipPorts,
                            List<Integer> sipProtocols, List<Long> snapshotNanos, String ruleset, String lanInterface,
                            String wanInterface, String wanNetwork, List<LinkChange> linkChanges,
                            String moduleParameters, List<String> otherUplinks) {
    /**
     * A change of the router's WAN link or address: {@code down}/{@code up} (the link), {@code remove}/{@code add}
     * (an address, with its prefix for add). {@code nanos} is absolute, or seconds after the first packet when
     * {@code relative}; {@code precisionNanos} is half the last digit given (a time written "3.6" lies within
     * ±0.05 s), 0 for exact: the flush it causes is then known within that window only.
     */
    public record LinkChange(long nanos, boolean relative, String kind, String address, long precisionNanos) {
        /** Exact: the instant as given. */
        public LinkChange(long nanos, boolean relative, String kind, String address) {
            this(nanos, relative, kind, address, 0);
        }
    }
    /**
     * The SIP helper: attached (on {@code sipPorts} and {@code sipProtocols}), not attached, or decided from the
     * captures before the replay, per transport and port, from what the router changed in the SIP text
     * ({@link SipHelperDecision}).
     */
    public enum SipHelper {
        ON, OFF, AUTO
    }

    public static ModelSettings defaults() {
        return new ModelSettings(Timeouts.DEFAULT_PROFILE, null, null, List.of(), null, List.of(), List.of(),
                SipHelper.AUTO, List.of(5060), List.of(17, 6), List.of(), null, "lan", "wan", null, List.of(), null, List.of());
    }

    /** The timeout profiles the model knows. */
    public static List<String> profiles() {
        return Timeouts.profiles();
    }

    /** {@link #withInside} from prefix texts ("192.168.1.0/24"); a bad prefix is an IllegalArgumentException. */
    public ModelSettings withInsideNetworks(List<String> prefixes, List<String> addresses) {
        List<NatRule.Prefix> nets = new ArrayList<>();
        for (String p : prefixes) nets.add(NatRule.Prefix.parse(p));
        return withInside(nets, addresses);
    }

    /** The timeouts these settings give: the profile, then the sysctl dump, then the overrides. */
    public Timeouts timeouts() {
        Timeouts t = Timeouts.profile(profile);
        if (sysctlText != null) t = t.withSysctlDump(sysctlText, sysctlSource == null ? "sysctl dump" : sysctlSource);
        if (moduleParameters != null) t = t.withModuleParameters(moduleParameters, "nf_conntrack_sip parameters");
        for (String o : overrides) t = t.with(o);
        return t;
    }

    public ModelSettings withProfile(String p) {
        return new ModelSettings(p, sysctlText, sysctlSource, overrides, natSource, inside, routerAddresses,
                sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withSysctl(String text, String source) {
        return new ModelSettings(profile, text, source, overrides, natSource, inside, routerAddresses,
                sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withOverrides(List<String> o) {
        return new ModelSettings(profile, sysctlText, sysctlSource, List.copyOf(o), natSource, inside,
                routerAddresses, sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withInside(List<NatRule.Prefix> networks, List<String> addresses) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource,
                List.copyOf(networks), List.copyOf(addresses), sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withSipHelper(SipHelper h, List<Integer> ports) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource, inside,
                routerAddresses, h, List.copyOf(ports), sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withSipProtocols(List<Integer> protocols) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource, inside,
                routerAddresses, sipHelper, sipPorts, List.copyOf(protocols), snapshotNanos, ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    public ModelSettings withRouter(String rulesetText, String source, String lan, String wan, String wanPrefix,
                                    List<LinkChange> changes) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, source, inside,
                routerAddresses, sipHelper, sipPorts, sipProtocols, snapshotNanos, rulesetText, lan, wan, wanPrefix,
                List.copyOf(changes), moduleParameters, otherUplinks);
    }

    public ModelSettings withModuleParameters(String text) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource, inside,
                routerAddresses, sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface,
                wanNetwork, linkChanges, text, otherUplinks);
    }

    public ModelSettings withSnapshots(List<Long> nanos) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource, inside,
                routerAddresses, sipHelper, sipPorts, sipProtocols, List.copyOf(nanos), ruleset, lanInterface, wanInterface, wanNetwork, linkChanges, moduleParameters, otherUplinks);
    }

    /** With uplinks no capture shows ("wan1=198.51.100.2/24"), the default route's. */
    public ModelSettings withOtherUplinks(List<String> uplinks) {
        return new ModelSettings(profile, sysctlText, sysctlSource, overrides, natSource, inside,
                routerAddresses, sipHelper, sipPorts, sipProtocols, snapshotNanos, ruleset, lanInterface, wanInterface,
                wanNetwork, linkChanges, moduleParameters, List.copyOf(uplinks));
    }

    /** Whether the settings give the WAN's link or address changes (an operator's flush is not one). */
    public boolean givesLinkChanges() {
        for (LinkChange c : linkChanges) if (!c.kind().equals("flush")) return true;
        return false;
    }
}
