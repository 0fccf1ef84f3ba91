package dev.natrecon.testing;

import dev.natrecon.capture.PcapWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the LAN and WAN captures of the hostile SIP cases under {@code src/test/resources/cases/}: a phone
 * 192.168.1.10 behind a masquerading router (WAN 203.0.113.2) talking to a provider 203.0.113.5, every message seen on
 * both sides (the WAN copy with the phone's address translated in the IP header only, as a router without the SIP
 * helper would), over UDP and over one TCP connection. Deterministic (fixed times, no randomness), so the committed
 * files can be checked against a fresh run ({@code HostileCasesTest}); rerun with
 * {@code mvn -q test-compile exec:java}-free: {@code java -cp target/classes:target/test-classes
 * dev.natrecon.testing.HostileCases src/test/resources/cases}.
 */
public final class HostileCases {
    static final String PHONE = "192.168.1.10", ROUTER_WAN = "203.0.113.2", PROVIDER = "203.0.113.5";
    /** 2026-11-21T00:00:00Z, the labs' day. */
    static final long START_NANOS = 1_795_219_200_000_000_000L;
    /** The TCP connection's phone port (the UDP messages use 5060). */
    static final int TCP_PORT = 5062;

    /** The secret tokens the credentials case carries: none may reach an output unless --no-redact is given. */
    public static final List<String> SECRETS = List.of("RESP-UDP-SP", "CNONCE-UDP-SP", "NONCE-UDP-SP", "RESP-UDP-TAB",
            "CNONCE-UDP-TAB", "RESP-TCP-TAB", "CNONCE-TCP-TAB", "RESP-TCP-SP", "RESP-LAN-DIFF", "RESP-WAN-DIFF",
            "CNONCE-LAN-DIFF", "CNONCE-WAN-DIFF", "dXNlcjpTRUNSRVQtQkFTSUM", "RESP-TCP-SPLIT");

    private HostileCases() {
    }

    public static void main(String[] args) throws IOException {
        Path root = Path.of(args.length > 0 ? args[0] : "src/test/resources/cases");
        writeCredentials(root.resolve("credentials"));
        writeMarkdownInjection(root.resolve("markdown-injection"));
    }

    /** One SIP message as seen on each side: {@code wan} null means the same text. */
    record Msg(boolean fromPhone, boolean tcp, String lan, String wan) {
    }

    private static String register(int cseq, String callId, String transport, String auth) {
        return "REGISTER sip:203.0.113.5 SIP/2.0\r\n"
                + "Via: SIP/2.0/" + transport + " 192.168.1.10:5060;branch=z9hG4bK-" + callId.replaceAll("@.*", "") + "-" + cseq + ";rport\r\n"
                + "Max-Forwards: 70\r\nFrom: <sip:1001@203.0.113.5>;tag=ph-" + callId.replaceAll("@.*", "") + "\r\nTo: <sip:1001@203.0.113.5>\r\n"
                + "Call-ID: " + callId + "\r\nCSeq: " + cseq + " REGISTER\r\nContact: <sip:1001@192.168.1.10:5060>\r\n"
                + auth + "Expires: 600\r\nContent-Length: 0\r\n\r\n";
    }

    private static String ok(String request) {
        StringBuilder sb = new StringBuilder("SIP/2.0 200 OK\r\n");
        for (String l : request.split("\r\n")) {
            if (l.startsWith("Via:") || l.startsWith("From:") || l.startsWith("Call-ID:") || l.startsWith("CSeq:")) {
                sb.append(l).append("\r\n");
            } else if (l.startsWith("To:")) {
                sb.append(l).append(";tag=pv-1\r\n");
            }
        }
        return sb.append("Content-Length: 0\r\n\r\n").toString();
    }

    /** The credentials case: folded (space, tab) Authorization and Proxy-Authorization, UDP and TCP, one changed. */
    static List<Msg> credentials() {
        List<Msg> m = new ArrayList<>();
        String udpSpace = register(1, "cred-udp-space@192.168.1.10", "UDP",
                "Authorization: Digest username=\"1001\", realm=\"nrlab\",\r\n nonce=\"NONCE-UDP-SP\", uri=\"sip:203.0.113.5\",\r\n"
                        + " response=\"RESP-UDP-SP\", cnonce=\"CNONCE-UDP-SP\", qop=auth, nc=00000001\r\n");
        m.add(new Msg(true, false, udpSpace, null));
        m.add(new Msg(false, false, ok(udpSpace), null));
        String udpTab = register(2, "cred-udp-tab@192.168.1.10", "UDP",
                "proxy-authorization :Digest username=\"1001\", realm=\"nrlab\", nonce=\"n2\",\r\n\tresponse=\"RESP-UDP-TAB\",\r\n"
                        + "\t cnonce=\"CNONCE-UDP-TAB\", algorithm=MD5\r\n");
        m.add(new Msg(true, false, udpTab, null));
        m.add(new Msg(false, false, ok(udpTab), null));
        String lanDiff = register(3, "cred-udp-diff@192.168.1.10", "UDP",
                "Authorization: Digest username=\"1001\", realm=\"nrlab\", nonce=\"n3\", uri=\"sip:203.0.113.5\", "
                        + "response=\"RESP-LAN-DIFF\", cnonce=\"CNONCE-LAN-DIFF\"\r\n");
        m.add(new Msg(true, false, lanDiff, lanDiff.replace("LAN-DIFF", "WAN-DIFF")));
        m.add(new Msg(false, false, ok(lanDiff), null));
        String basic = register(4, "cred-basic@192.168.1.10", "UDP", "AUTHORIZATION\t: Basic dXNlcjpTRUNSRVQtQkFTSUM=\r\n");
        m.add(new Msg(true, false, basic, null));
        m.add(new Msg(false, false, ok(basic), null));
        String tcpTab = register(5, "cred-tcp-tab@192.168.1.10", "TCP",
                "Authorization: Digest username=\"1001\", realm=\"nrlab\",\r\n\tnonce=\"n5\", response=\"RESP-TCP-TAB\",\r\n"
                        + "\tcnonce=\"CNONCE-TCP-TAB\"\r\n");
        m.add(new Msg(true, true, tcpTab, null));
        m.add(new Msg(false, true, ok(tcpTab), null));
        String tcpSpace = register(6, "cred-tcp-space@192.168.1.10", "TCP",
                "Proxy-Authorization: Digest username=\"1001\",\r\n   realm=\"nrlab\", nonce=\"n6\",\r\n response=\"RESP-TCP-SP\"\r\n");
        m.add(new Msg(true, true, tcpSpace, null));
        m.add(new Msg(false, true, ok(tcpSpace), null));
        String tcpSplit = register(7, "cred-tcp-split@192.168.1.10", "TCP",
                "Authorization: Digest username=\"1001\", realm=\"nrlab\", nonce=\"n7\",\r\n response=\"RESP-TCP-SPLIT\"\r\n");
        m.add(new Msg(true, true, tcpSplit, tcpSplit.replace("nonce=\"n7\"", "nonce=\"n7b\"")));
        m.add(new Msg(false, true, ok(tcpSplit), null));
        return m;
    }

    /** Writes {@code dir/lan.pcap} and {@code dir/wan.pcap} for the credentials case. */
    public static void writeCredentials(Path dir) throws IOException {
        write(dir, credentials());
    }

    /** Writes {@code dir/lan.pcap} and {@code dir/wan.pcap} for the markdown-injection case. */
    public static void writeMarkdownInjection(Path dir) throws IOException {
        write(dir, MarkdownInjection.messages());
    }

    static void write(Path dir, List<Msg> msgs) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve("lan.pcap"), capture(msgs, true));
        Files.write(dir.resolve("wan.pcap"), capture(msgs, false));
    }

    /** One side's pcap: UDP messages as datagrams, TCP ones on one connection (handshake first, FIN last). */
    static byte[] capture(List<Msg> msgs, boolean lan) throws IOException {
        String phone = lan ? PHONE : ROUTER_WAN;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long t = START_NANOS + (lan ? 0 : 50_000);
        long phoneSeq = 1000, providerSeq = 5000;
        boolean open = false;
        try (PcapWriter w = new PcapWriter(bytes, 1, false)) {
            for (Msg m : msgs) {
                byte[] p = (lan || m.wan() == null ? m.lan() : m.wan()).getBytes(StandardCharsets.UTF_8);
                if (!m.tcp()) {
                    w.write(t, m.fromPhone() ? Frames.udp(phone, 5060, PROVIDER, 5060, 1, 64, p)
                            : Frames.udp(PROVIDER, 5060, phone, 5060, 1, 64, p));
                } else {
                    if (!open) {
                        w.write(t, Frames.tcp(phone, TCP_PORT, PROVIDER, 5060, phoneSeq++, 0, Frames.SYN, new byte[0]));
                        t += 1_000_000;
                        w.write(t, Frames.tcp(PROVIDER, 5060, phone, TCP_PORT, providerSeq++, phoneSeq, Frames.SYN | Frames.ACK, new byte[0]));
                        t += 1_000_000;
                        w.write(t, Frames.tcp(phone, TCP_PORT, PROVIDER, 5060, phoneSeq, providerSeq, Frames.ACK, new byte[0]));
                        t += 1_000_000;
                        open = true;
                    }
                    if (m.fromPhone()) {
                        w.write(t, Frames.tcp(phone, TCP_PORT, PROVIDER, 5060, phoneSeq, providerSeq, Frames.ACK | Frames.PSH, p));
                        phoneSeq += p.length;
                    } else {
                        w.write(t, Frames.tcp(PROVIDER, 5060, phone, TCP_PORT, providerSeq, phoneSeq, Frames.ACK | Frames.PSH, p));
                        providerSeq += p.length;
                    }
                }
                t += 100_000_000;
            }
        }
        return bytes.toByteArray();
    }
}
