package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.conntrack.Timeouts.Key;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimeoutsTest {
    static final long S = 1_000_000_000L;

    @Test
    void linux6DefaultsAreTheLabKernels() {
        Timeouts t = Timeouts.profile(null);
        assertEquals("linux-6", t.profileName());
        assertEquals(30, t.seconds(Key.UDP));
        assertEquals(120, t.seconds(Key.UDP_STREAM));
        assertEquals(432000, t.tcp(TcpState.ESTABLISHED));
        assertEquals(120, t.tcp(TcpState.SYN_SENT));
        assertEquals(120, t.tcp(TcpState.SYN_SENT2));
        assertEquals(60, t.tcp(TcpState.SYN_RECV));
        assertEquals(120, t.tcp(TcpState.FIN_WAIT));
        assertEquals(60, t.tcp(TcpState.CLOSE_WAIT));
        assertEquals(30, t.tcp(TcpState.LAST_ACK));
        assertEquals(120, t.tcp(TcpState.TIME_WAIT));
        assertEquals(10, t.tcp(TcpState.CLOSE));
        assertEquals(30, t.forProtocol(1, false));
        assertEquals(30, t.forProtocol(58, false));
        assertEquals(600, t.forProtocol(47, false));
        assertTrue(t.udpTwoSecondRule());
        assertTrue(t.tcpLoose());
        assertEquals("profile linux-6: nf_conntrack_proto_udp.c:udp_timeouts[UDP_CT_UNREPLIED]", t.source(Key.UDP));
    }

    @Test
    void linux4DiffersOnlyInTheUdpStream() {
        Timeouts a = Timeouts.linux6(), b = Timeouts.profile("linux-4");
        assertEquals(180, b.seconds(Key.UDP_STREAM));
        assertFalse(b.udpTwoSecondRule());
        for (Key k : Key.values()) if (k != Key.UDP_STREAM) assertEquals(a.seconds(k), b.seconds(k), k.sysctl);
        assertThrows(IllegalArgumentException.class, () -> Timeouts.profile("bsd"));
    }

    @Test
    void sysctlDumpOverridesTheProfile() throws IOException {
        // the keepalive-gap lab router ran with udp 4/8 s, acct and timestamps on
        String dump = Files.readString(Path.of("samples/keepalive-gap/router.sysctl"));
        Timeouts t = Timeouts.profile("linux-4").withSysctlDump(dump, "router.sysctl");
        assertEquals(4, t.seconds(Key.UDP));
        assertEquals(8, t.seconds(Key.UDP_STREAM));
        assertFalse(t.udpTwoSecondRule(), "a dump changes values, not the profile's behaviour");
        assertTrue(t.accounting());
        assertTrue(t.timestamps());
        assertTrue(t.source(Key.UDP).startsWith("router.sysctl:"), t.source(Key.UDP));
        assertEquals(432000, t.tcp(TcpState.ESTABLISHED));
        assertTrue(t.describe().contains("nf_conntrack_udp_timeout = 4 (" + t.source(Key.UDP) + ")"));
    }

    @Test
    void dumpLinesInBothSpellingsUnknownNamesSkipped() {
        Timeouts t = Timeouts.linux6().withSysctlDump("""
                # comment
                net.netfilter.nf_conntrack_udp_timeout = 60
                nf_conntrack_udp_timeout_stream=180
                net.netfilter.nf_conntrack_frag6_timeout = 60
                net.netfilter.nf_log.2 = nf_log_ipv4
                net.ipv4.ip_forward = 1
                """, "x");
        assertEquals(60, t.seconds(Key.UDP));
        assertEquals(180, t.seconds(Key.UDP_STREAM));
        assertEquals("x:2", t.source(Key.UDP));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Timeouts.linux6().withSysctlDump("net.netfilter.nf_conntrack_udp_timeout = soon\n", "f"));
        assertTrue(e.getMessage().startsWith("f: line 1: "), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Timeouts.linux6().withSysctlDump("net.netfilter.nf_conntrack_acct = 1\ngarbage\n", "f"));
        assertEquals("f: line 2: expected 'name = value' (sysctl output), found 'garbage'", e.getMessage());
    }

    @Test
    void singleSettingsOverrideTheDump() {
        Timeouts t = Timeouts.linux6().withSysctlDump("net.netfilter.nf_conntrack_udp_timeout = 60", "d")
                .with("nf_conntrack_udp_timeout=10").with("net.netfilter.nf_conntrack_tcp_timeout_established = 7440");
        assertEquals(10, t.seconds(Key.UDP));
        assertEquals(7440, t.tcp(TcpState.ESTABLISHED));
        assertEquals("set nf_conntrack_udp_timeout=10", t.source(Key.UDP));
        assertThrows(IllegalArgumentException.class, () -> t.with("nf_conntrack_udp_timeout"));
        assertThrows(IllegalArgumentException.class, () -> t.with("nf_conntrack_bogus=1"));
        assertThrows(IllegalArgumentException.class, () -> t.with("nf_conntrack_udp_timeout=-1"));
    }

    @Test
    void modelUsesOverriddenValues() {
        // keepalive-gap's kernel log: NEW 4, UPDATE 4 (reply), UPDATE 8 [ASSURED] 3 s later
        Timeouts t = Timeouts.linux6().with("nf_conntrack_udp_timeout=4").with("nf_conntrack_udp_timeout_stream=8");
        ConntrackModel m = new ConntrackModel(t, List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        Recorder rec = new Recorder();
        ConntrackTuple out = ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060);
        ConntrackTuple in = ConntrackTuple.of(17, "203.0.113.5", 5060, "203.0.113.2", 5060);
        m.onPacket(0, new FrameRef("lan", 1), out, 0, 388, -1, rec);
        m.onPacket(486_000, new FrameRef("wan", 2), in, 0, 398, -1, rec);
        m.onPacket(3_001_077_000L, new FrameRef("lan", 3), out, 0, 388, -1, rec);
        String o = "src=192.168.1.10 dst=203.0.113.5 sport=5060 dport=5060", r = "src=203.0.113.5 dst=203.0.113.2 sport=5060 dport=5060";
        rec.expect("    [NEW] ipv4     2 udp      17 4 " + o + " [UNREPLIED] " + r,
                " [UPDATE] ipv4     2 udp      17 4 " + o + " " + r,
                " [UPDATE] ipv4     2 udp      17 8 " + o + " " + r + " [ASSURED]");
        m.advanceTo(20 * S, rec);
        assertEquals(3_001_077_000L + 8 * S, rec.events.get(0).nanos());
        rec.events.clear();
        rec.none();
    }

    @Test
    void openwrtProfileIsLinux6WithOpenWrtsSysctlFile() {
        Timeouts w = Timeouts.profile("openwrt"), l = Timeouts.linux6();
        assertEquals(60, w.seconds(Key.UDP));
        assertEquals(180, w.seconds(Key.UDP_STREAM));
        assertEquals(7440, w.tcp(TcpState.ESTABLISHED));
        assertTrue(w.accounting());
        assertEquals(5, w.seconds(Key.TCP_MAX_RETRANS_COUNT));
        assertTrue(w.udpTwoSecondRule());
        for (Key k : Key.values()) {
            if (!java.util.Set.of(Key.UDP, Key.UDP_STREAM, Key.TCP_ESTABLISHED, Key.ACCT, Key.TCP_MAX_RETRANS_COUNT).contains(k)) {
                assertEquals(l.seconds(k), w.seconds(k), k.sysctl);
            }
        }
        assertEquals("profile openwrt: openwrt/openwrt package/kernel/linux/files/sysctl-nf-conntrack.conf",
                w.source(Key.UDP));
        assertTrue(w.source(Key.TCP_MAX_RETRANS_COUNT).contains("unverified"), w.source(Key.TCP_MAX_RETRANS_COUNT));
        assertEquals("profile openwrt: nf_conntrack_proto_icmp.c:nf_ct_icmp_timeout", w.source(Key.ICMP));
    }

    @Test
    void routerosProfileIsTheMikrotikWikisAndSaysWhatIsUnverified() {
        Timeouts r = Timeouts.profile("routeros");
        assertEquals(10, r.seconds(Key.UDP));
        assertEquals(180, r.seconds(Key.UDP_STREAM));
        assertEquals(86400, r.tcp(TcpState.ESTABLISHED));
        assertEquals(5, r.tcp(TcpState.SYN_SENT));
        assertEquals(5, r.tcp(TcpState.SYN_RECV));
        for (TcpState s : List.of(TcpState.FIN_WAIT, TcpState.CLOSE_WAIT, TcpState.LAST_ACK, TcpState.TIME_WAIT,
                TcpState.CLOSE)) {
            assertEquals(10, r.tcp(s), s.name());
        }
        assertEquals(10, r.forProtocol(1, false));
        assertEquals(600, r.forProtocol(47, false));
        assertFalse(r.udpTwoSecondRule());
        assertTrue(r.source(Key.UDP).contains("wiki.mikrotik.com"), r.source(Key.UDP));
        assertTrue(r.source(Key.TCP_UNACKNOWLEDGED).startsWith("profile routeros: unverified"), r.source(Key.TCP_UNACKNOWLEDGED));
        assertTrue(r.source(Key.ICMPV6).contains("unverified"));
        // the model runs on it like on any profile: a RouterOS UDP flow lives 10 s unanswered
        ConntrackModel m = new ConntrackModel(r, List.of(NatRule.masquerade("203.0.113.2", "192.168.1.0/24")));
        Recorder rec = new Recorder();
        m.onPacket(0, new FrameRef("lan", 1), ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060), 0, 28, -1, rec);
        assertEquals(10 * S, m.entries().iterator().next().deadlineNanos());
        rec.events.clear();
    }

    @Test
    void everyValueIsListedWithItsSource() {
        for (String name : Timeouts.profiles()) {
            Timeouts t = Timeouts.profile(name).withSysctlDump("net.netfilter.nf_conntrack_max = 1024", "router.sysctl")
                    .with("sip_timeout=120");
            List<String> lines = t.describe();
            assertEquals(Key.values().length + 1, lines.size(), name);
            for (Key k : Key.values()) {
                String line = k.sysctl + " = " + t.seconds(k) + " (" + t.source(k) + ")";
                assertTrue(lines.contains(line), name + ": " + line);
                assertFalse(t.source(k).endsWith("null"), name + ": " + k);
            }
            assertTrue(lines.contains("nf_conntrack_max = 1024 (router.sysctl:1)"), name);
            assertTrue(lines.contains("sip_timeout = 120 (set sip_timeout=120)"), name);
            assertTrue(lines.get(lines.size() - 1).startsWith("udp stream after 2 s = "), name);
        }
    }
}
