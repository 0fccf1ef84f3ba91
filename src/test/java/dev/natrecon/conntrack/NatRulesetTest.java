package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.NatRule.Hook;
import dev.natrecon.conntrack.NatRule.Kind;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The ruleset parser: every lab sample's router.nft, the nft and iptables-save constructs it reads, what it refuses. */
class NatRulesetTest {
    static ConntrackTuple udp(String src, int sport, String dst, int dport) {
        return ConntrackTuple.of(17, src, sport, dst, dport);
    }

    static ConntrackTuple tcp(String src, int sport, String dst, int dport) {
        return ConntrackTuple.of(6, src, sport, dst, dport);
    }

    @Test
    void everySamplesRulesetParsesWithoutWarnings() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Path.of("samples"))) {
            files = s.map(d -> d.resolve("router.nft")).filter(Files::isRegularFile).sorted().toList();
        }
        assertEquals(34, files.size(), files.toString());
        for (Path f : files) {
            NatRuleset r = NatRuleset.parse(Files.readString(f));
            assertEquals(List.of(), r.warnings(), f.toString());
            for (NatRule rule : r.rules()) {
                assertEquals(Hook.POSTROUTING, rule.hook(), f.toString());
                assertFalse(rule.match().oif().matches("lan0"), f.toString());
                assertEquals(4, rule.match().family(), f.toString());
            }
            // one rule for the captured WAN; nat-late's ruleset before the traffic has no nat table at all
            long wan = r.rules().stream().filter(x -> x.match().oif().matches("wan0")).count();
            assertEquals(f.startsWith("samples/nat-late") ? 0 : 1, wan, f + ": " + r);
        }
        // backup-uplink-*: a second rule for the backup uplink (not captured); nat-late: the rule loaded later
        assertEquals(2, NatRuleset.parse(Files.readString(Path.of("samples/backup-uplink-snat/router.nft"))).rules().size());
        NatRuleset late = NatRuleset.parse(Files.readString(Path.of("samples/nat-late/router-final.nft")));
        assertEquals(List.of(), late.warnings());
        assertEquals(1, late.rules().size(), late.toString());
        assertEquals(Kind.MASQUERADE, late.rules().get(0).kind());
    }

    @Test
    void baselineRulesetMasqueradesOutOfWan0AndGivesUdp5060TheSipHelper() throws IOException {
        NatRuleset r = NatRuleset.parse(Files.readString(Path.of("samples/baseline/router.nft")));
        NatRule m = r.rules().get(0);
        assertEquals(Kind.MASQUERADE, m.kind());
        assertFalse(m.random());
        assertNull(m.to());
        assertTrue(m.matches(udp("192.168.1.10", 5060, "203.0.113.5", 5060), "lan0", "wan0"));
        assertFalse(m.matches(udp("192.168.1.10", 5060, "203.0.113.5", 5060), "lan0", "lan0"));
        assertEquals("sip", r.helperFor(udp("192.168.1.10", 5060, "203.0.113.5", 5060)));
        assertEquals("sip", r.helperFor(udp("203.0.113.5", 5060, "203.0.113.2", 5060)));
        assertNull(r.helperFor(tcp("192.168.1.10", 5060, "203.0.113.5", 5060))); // the helper object is udp
        assertNull(r.helperFor(udp("192.168.1.10", 5060, "203.0.113.5", 5061)));
        NatRuleset tcpHelper = NatRuleset.parse(Files.readString(Path.of("samples/sip-over-tcp/router.nft")));
        assertEquals("sip", tcpHelper.helperFor(tcp("192.168.1.10", 40000, "203.0.113.5", 5060)));
        assertNull(tcpHelper.helperFor(udp("192.168.1.10", 40000, "203.0.113.5", 5060)));
        NatRuleset none = NatRuleset.parse(Files.readString(Path.of("samples/alg-off/router.nft")));
        assertNull(none.helperFor(udp("192.168.1.10", 5060, "203.0.113.5", 5060)));
    }

    @Test
    void leakedPrivateSourceRuleMatchesOnlyTheLowerHalfAndUdp() throws IOException {
        NatRule m = NatRuleset.parse(Files.readString(Path.of("samples/leaked-private-source/router.nft"))).rules().get(0);
        assertTrue(m.matches(udp("192.168.1.10", 5060, "203.0.113.5", 5060), "lan0", "wan0"));
        assertTrue(m.matches(udp("192.168.1.127", 5060, "203.0.113.5", 5060), "lan0", "wan0"));
        assertFalse(m.matches(udp("192.168.1.200", 5060, "203.0.113.5", 5060), "lan0", "wan0"));
        assertFalse(m.matches(tcp("192.168.1.10", 5060, "203.0.113.5", 5060), "lan0", "wan0"));
    }

    @Test
    void flagsAndSnatTargetsOfTheSamples() throws IOException {
        NatRule random = NatRuleset.parse(Files.readString(Path.of("samples/keepalive-gap-random/router.nft"))).rules().get(0);
        assertTrue(random.random());
        NatRule snat = NatRuleset.parse(Files.readString(Path.of("samples/wan-address-change-snat/router.nft"))).rules().get(0);
        assertEquals(Kind.SNAT, snat.kind());
        assertEquals("203.0.113.2", snat.to().toString());
        assertFalse(snat.hasPortRange());
    }

    static final String NFT = """
            table inet nat {
            \tset lan_nets {
            \t\ttype ipv4_addr
            \t\tflags interval
            \t\telements = { 192.168.1.0/24,
            \t\t\t     10.0.0.0/8 }
            \t}

            \tchain prerouting {
            \t\ttype nat hook prerouting priority dstnat; policy accept;
            \t\tiifname "wan0" udp dport { 5060, 5070-5080 } counter packets 3 bytes 1200 dnat ip to 192.168.1.10:5060
            \t\tiifname "wan0" tcp dport 8080 redirect to :80
            \t}

            \tchain postrouting_late {
            \t\ttype nat hook postrouting priority srcnat + 10; policy accept;
            \t\toifname "wan0" masquerade random,persistent comment "catch-all"
            \t}

            \tchain postrouting {
            \t\ttype nat hook postrouting priority srcnat; policy accept;
            \t\tip daddr @lan_nets accept
            \t\toifname "ppp*" ip saddr != 192.168.1.128/25 meta l4proto { tcp, udp } snat ip to 198.51.100.1-198.51.100.4:1024-2047 fully-random
            \t\toifname != { "lan0", "wan0" } ip saddr 192.168.1.0/24 masquerade to :40000-40100
            \t}
            }
            table ip filter {
            \tchain forward {
            \t\ttype filter hook forward priority filter; policy drop;
            \t\tct state established,related accept
            \t\tiifname "lan0" accept
            \t}
            }
            """;

    @Test
    void nftConstructs() {
        NatRuleset r = NatRuleset.parse(NFT);
        assertEquals(List.of(
                "line 28: chain filter/forward: policy drop is not modelled (the captures show what it dropped)",
                "line 30: chain filter/forward: 2 filter rule(s) not modelled (the captures show their effect)"), r.warnings());
        List<NatRule> pre = r.rules(Hook.PREROUTING), post = r.rules(Hook.POSTROUTING);
        assertEquals(2, pre.size());
        NatRule dnat = pre.get(0);
        assertEquals(Kind.DNAT, dnat.kind());
        assertEquals("192.168.1.10", dnat.to().toString());
        assertEquals(5060, dnat.portMin());
        assertEquals(5060, dnat.portMax());
        assertTrue(dnat.matches(udp("203.0.113.5", 1, "203.0.113.2", 5075), "wan0", ""));
        assertFalse(dnat.matches(udp("203.0.113.5", 1, "203.0.113.2", 5069), "wan0", ""));
        assertFalse(dnat.matches(udp("203.0.113.5", 1, "203.0.113.2", 5060), "lan0", ""));
        assertFalse(dnat.matches(tcp("203.0.113.5", 1, "203.0.113.2", 5060), "wan0", ""));
        assertEquals(Kind.REDIRECT, pre.get(1).kind());
        assertEquals(80, pre.get(1).portMin());
        assertEquals("line 12: iifname \"wan0\" tcp dport 8080 redirect to :80", pre.get(1).origin());

        // chains of one hook by priority: srcnat (100) before srcnat + 10
        assertEquals(List.of(Kind.ACCEPT, Kind.SNAT, Kind.MASQUERADE, Kind.MASQUERADE), post.stream().map(NatRule::kind).toList());
        NatRule accept = post.get(0);
        assertTrue(accept.matches(udp("192.168.1.10", 1, "10.1.2.3", 2), "lan0", "wan0"));
        assertFalse(accept.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), "lan0", "wan0"));
        NatRule snat = post.get(1);
        assertEquals("198.51.100.1-198.51.100.4", snat.to().toString());
        assertEquals(1024, snat.portMin());
        assertEquals(2047, snat.portMax());
        assertEquals(NatRule.FULLY_RANDOM, snat.flags());
        assertTrue(snat.random());
        assertTrue(snat.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), "lan0", "ppp0"));
        assertFalse(snat.matches(udp("192.168.1.200", 1, "203.0.113.5", 2), "lan0", "ppp0"));
        assertFalse(snat.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), "lan0", "wan0"));
        assertFalse(snat.matches(ConntrackTuple.icmp(1, 0, ConntrackTuple.address("192.168.1.10")[1], 0,
                ConntrackTuple.address("203.0.113.5")[1], 8, 0, 1), "lan0", "ppp0"));
        NatRule other = post.get(2);
        assertEquals(40000, other.portMin());
        assertTrue(other.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), "lan0", "eth9"));
        assertFalse(other.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), "lan0", "wan0"));
        NatRule late = post.get(3);
        assertEquals(NatRule.RANDOM | NatRule.PERSISTENT, late.flags());
        assertEquals("inet nat/postrouting_late", late.chain());
        assertEquals(0, late.match().family()); // inet table, no address match: both families
    }

    @Test
    void nftRefusesWhatItCannotModelInANatChainAndNamesTheLine() {
        String head = "table ip nat {\n\tchain postrouting {\n\t\ttype nat hook postrouting priority srcnat; policy accept;\n";
        for (String[] c : new String[][]{
                {"oifname \"wan0\" jump masq", "\"jump\" is not modelled in a NAT chain"},
                {"meta mark 0x1 masquerade", "meta mark is not modelled"},
                {"ip saddr . ip daddr { 1.2.3.4 . 5.6.7.8 } masquerade", "concatenations are not modelled"},
                {"snat to ip saddr map { 192.168.1.10 : 203.0.113.7 }", "NAT maps are not modelled"},
                {"ct state established masquerade", "ct state other than new is not modelled in a NAT chain"},
                {"oifname \"wan0\" masquerade log", "unexpected \"log\" after the NAT statement"},
                {"ip saddr 192.168.1.0/24 dnat to 192.168.1.10", "dnat outside prerouting/output"},
                {"udp dport 5060 snat to 203.0.113.2:x", "not a port or port range: x"}}) {
            NatRuleset.ParseException e = assertThrows(NatRuleset.ParseException.class,
                    () -> NatRuleset.parse(head + "\t\t" + c[0] + "\n\t}\n}\n"), c[0]);
            assertEquals(4, e.line(), c[0]);
            assertEquals("line 4: " + c[0] + ": " + c[1], e.getMessage());
        }
        assertThrows(NatRuleset.ParseException.class, () -> NatRuleset.parse("hello world\n"));
        assertThrows(NatRuleset.ParseException.class, () -> NatRuleset.parse("table ip nat {\n\tchain x {\n"));
    }

    @Test
    void nftWarnsAboutRegularChainsAndHelperRulesWithInterfaces() {
        NatRuleset r = NatRuleset.parse("""
                table ip nat {
                \tchain masq {
                \t\tmasquerade
                \t}
                }
                table ip raw {
                \tct helper sip-5060 {
                \t\ttype "sip" protocol udp
                \t\tl3proto ip
                \t}
                \tchain pre {
                \t\ttype filter hook prerouting priority raw; policy accept;
                \t\tiifname "lan0" udp dport 5060 ct helper set "sip-5060"
                \t\tudp dport 5061 ct helper set "nope"
                \t}
                }
                """);
        assertEquals(List.of(), r.rules());
        assertEquals(3, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("line 13: iifname \"lan0\" udp dport 5060 ct helper set \"sip-5060\": the interface"));
        assertEquals("line 14: udp dport 5061 ct helper set \"nope\": no ct helper object \"nope\" in table raw", r.warnings().get(1));
        assertTrue(r.warnings().get(2).startsWith("line 2: chain nat/masq: a regular chain is reached only by jump/goto"));
        assertEquals("sip", r.helperFor(udp("192.168.1.10", 1, "203.0.113.5", 5060)));
    }

    static final String IPTABLES = """
            # Generated by iptables-save v1.8.9 (nf_tables) on Sat Nov 21 02:00:00 2026
            *raw
            :PREROUTING ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            -A PREROUTING -p udp -m udp --dport 5060 -j CT --helper sip
            COMMIT
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            -A PREROUTING -i eth1 -p udp -m udp --dport 5060 -j DNAT --to-destination 192.168.1.10:5060
            -A PREROUTING -i eth1 -p tcp -m multiport --dports 80,8000:8100 -m comment --comment "web, to the NAS" -j DNAT --to-destination 192.168.1.20
            -A POSTROUTING -d 192.168.0.0/16 -j RETURN
            -A POSTROUTING -s 192.168.1.0/24 ! -d 10.0.0.0/8 -o eth1 -p udp -j SNAT --to-source 198.51.100.1:1024-65535 --persistent
            -A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE --to-ports 20000-30000 --random
            -A POSTROUTING -o ppp+ -j MASQUERADE
            COMMIT
            *filter
            :INPUT ACCEPT [0:0]
            :FORWARD DROP [0:0]
            :OUTPUT ACCEPT [0:0]
            -A FORWARD -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
            -A FORWARD -i eth0 -j ACCEPT
            COMMIT
            """;

    @Test
    void iptablesSaveConstructs() {
        NatRuleset r = NatRuleset.parse(IPTABLES);
        assertEquals(List.of(
                "line 21: :FORWARD DROP [0:0]: policy DROP is not modelled (the captures show what it dropped)",
                "line 23: filter/FORWARD: 2 rule(s) not modelled (the captures show their effect)"), r.warnings());
        assertEquals("sip", r.helperFor(udp("192.168.1.10", 5060, "203.0.113.5", 5060)));
        assertNull(r.helperFor(tcp("192.168.1.10", 5060, "203.0.113.5", 5060)));
        List<NatRule> pre = r.rules(Hook.PREROUTING), post = r.rules(Hook.POSTROUTING);
        assertEquals(2, pre.size());
        assertTrue(pre.get(0).matches(udp("203.0.113.5", 40000, "203.0.113.2", 5060), "eth1", ""));
        assertFalse(pre.get(0).matches(udp("203.0.113.5", 40000, "203.0.113.2", 5060), "eth0", ""));
        assertEquals("192.168.1.10", pre.get(0).to().toString());
        assertEquals(5060, pre.get(0).portMin());
        assertTrue(pre.get(1).matches(tcp("203.0.113.5", 40000, "203.0.113.2", 8050), "eth1", ""));
        assertFalse(pre.get(1).matches(tcp("203.0.113.5", 40000, "203.0.113.2", 8101), "eth1", ""));
        assertFalse(pre.get(1).hasPortRange());
        assertEquals(List.of(Kind.ACCEPT, Kind.SNAT, Kind.MASQUERADE, Kind.MASQUERADE), post.stream().map(NatRule::kind).toList());
        NatRule snat = post.get(1);
        assertTrue(snat.matches(udp("192.168.1.10", 1, "203.0.113.5", 2), null, "eth1"));
        assertFalse(snat.matches(udp("192.168.1.10", 1, "10.1.1.1", 2), null, "eth1"));
        assertFalse(snat.matches(tcp("192.168.1.10", 1, "203.0.113.5", 2), null, "eth1"));
        assertEquals(NatRule.PERSISTENT, snat.flags());
        assertEquals(1024, snat.portMin());
        assertEquals(65535, snat.portMax());
        NatRule masq = post.get(2);
        assertEquals(NatRule.RANDOM, masq.flags());
        assertEquals(20000, masq.portMin());
        assertEquals(30000, masq.portMax());
        assertTrue(post.get(3).matches(udp("192.168.1.10", 1, "203.0.113.5", 2), null, "ppp0"));
        assertFalse(post.get(3).matches(udp("192.168.1.10", 1, "203.0.113.5", 2), null, "eth1"));
        assertEquals("line 15: -A POSTROUTING -s 192.168.1.0/24 ! -d 10.0.0.0/8 -o eth1 -p udp -j SNAT --to-source "
                + "198.51.100.1:1024-65535 --persistent", snat.origin());
    }

    @Test
    void iptablesRefusesJumpsAndUnknownMatchesInTheNatTable() {
        String head = "*nat\n:POSTROUTING ACCEPT [0:0]\n";
        for (String[] c : new String[][]{
                {"-A POSTROUTING -o eth1 -j MASQ_CHAIN", "-j MASQ_CHAIN is not modelled in the nat table (jumps to user chains are not followed)"},
                {"-A POSTROUTING -m mark --mark 1 -j MASQUERADE", "match module mark is not modelled"},
                {"-A POSTROUTING -o eth1 -j SNAT", "-j SNAT without --to-source"},
                {"-A PREROUTING -i eth1 -j MASQUERADE", "-j MASQUERADE in PREROUTING"},
                {"-A POSTROUTING -f -j MASQUERADE", "option -f is not modelled"}}) {
            NatRuleset.ParseException e = assertThrows(NatRuleset.ParseException.class,
                    () -> NatRuleset.parse(head + c[0] + "\nCOMMIT\n"), c[0]);
            assertEquals("line 3: " + c[0] + ": " + c[1], e.getMessage());
        }
    }

    @Test
    void handMadeRulesKeepTheirFirstMeaning() {
        NatRule masq = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
        assertTrue(masq.matches(udp("192.168.1.10", 1, "203.0.113.5", 2)));
        assertFalse(masq.matches(udp("192.168.1.10", 1, "192.168.1.20", 2))); // inside to inside
        assertFalse(masq.matches(udp("10.0.0.1", 1, "203.0.113.5", 2)));
        assertEquals(Kind.MASQUERADE, masq.kind());
        assertTrue(masq.withRandomPorts().random());
        assertFalse(masq.matches(ConntrackTuple.of(17, "2001:db8::1", 1, "2001:db8:1::5", 2)));
    }
}
