package dev.natrecon.conntrack;

import static dev.natrecon.conntrack.Packets.udp;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The model's parts: a helper's timeout policy is the helper's (the core applies whatever a registered helper says,
 * by no name of its own), and each part cites the kernel file it mirrors and names no helper in its code.
 */
class ConntrackPartsTest {
    static final long S = 1_000_000_000L;
    static final NatRule MASQ = NatRule.masquerade("203.0.113.2", "192.168.1.0/24");
    static final Path SOURCES = Path.of("src/main/java/dev/natrecon/conntrack");
    /** Each part and the kernel file its class comment must cite. */
    static final Map<String, String> KERNEL_FILES = Map.of(
            "ConntrackTable", "nf_conntrack_core.c",
            "ConntrackCore", "nf_conntrack_core.c",
            "UdpTracker", "nf_conntrack_proto_udp.c",
            "TcpTracker", "nf_conntrack_proto_tcp.c",
            "TcpWindowTracker", "nf_conntrack_proto_tcp.c",
            "IcmpTracker", "nf_conntrack_proto_icmp.c",
            "GenericTracker", "nf_conntrack_proto_generic.c",
            "ExpectationTable", "nf_conntrack_expect.c",
            "ConntrackHelpers", "nf_conntrack_helper.c",
            "MasqueradeEvents", "nf_nat_masquerade.c");

    /** A helper the model has never heard of, with a policy of its own: 77 s on packets with data, once established. */
    record PolicyHelper(String name) implements Helper {
        @Override
        public List<ExpectPolicy> policies() {
            return List.of();
        }

        @Override
        public boolean help(HelperContext ctx) {
            return true;
        }

        @Override
        public long timeoutSeconds(ConntrackEntry master, boolean established, boolean hasData, Timeouts settings) {
            return hasData && established ? 77 : -1;
        }
    }

    final Recorder rec = new Recorder();

    @Test
    void theCoreAppliesWhateverTheEntrysHelperSays() {
        ConntrackModel model = new ConntrackModel(Timeouts.linux6(), List.of(MASQ), t -> t.dstPort() == 7000 ? "x-77" : "sip");
        model.addHelper(new PolicyHelper("x-77"));
        // NEW is not established: the tracker's 30 s; the reply is, and carries data: the helper's 77 s over it
        model.onPacket(udp(0, "lan", "192.168.1.10", 7000, "203.0.113.5", 7000, 100), rec);
        model.onPacket(udp(S, "wan", "203.0.113.5", 7000, "203.0.113.2", 7000, 100), rec);
        ConntrackEntry e = model.find(ConntrackTuple.of(17, "192.168.1.10", 7000, "203.0.113.5", 7000));
        assertEquals(S + 77 * S, e.deadlineNanos());
        // an empty datagram: the helper says nothing, the tracker's value stands
        model.onPacket(udp(2 * S, "lan", "192.168.1.10", 7000, "203.0.113.5", 7000, 0), rec);
        assertEquals(2 * S + 30 * S, e.deadlineNanos());
        // "sip" with no helper registered under that name: a name alone sets no timeout
        model.onPacket(udp(3 * S, "lan", "192.168.1.10", 5060, "203.0.113.5", 5060, 300), rec);
        assertEquals(3 * S + 30 * S, model.find(ConntrackTuple.of(17, "192.168.1.10", 5060, "203.0.113.5", 5060)).deadlineNanos());
        rec.events.clear();
    }

    @Test
    void eachPartCitesItsKernelFileAndNamesNoHelperInItsCode() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> part : KERNEL_FILES.entrySet()) {
            String text = Files.readString(SOURCES.resolve(part.getKey() + ".java"));
            String classComment = text.substring(0, text.indexOf("final class " + part.getKey()));
            if (!classComment.contains(part.getValue())) problems.add(part.getKey() + " does not cite " + part.getValue());
            String code = withoutComments(text).toLowerCase(Locale.ROOT);
            if (code.contains("sip")) problems.add(part.getKey() + " names the SIP helper in its code");
        }
        assertEquals(List.of(), problems);
        assertTrue(withoutComments("int a; // sip\n/* sip */ int b;").equals("int a; \n int b;"), "the comment filter works");
    }

    /** The source without its comments (string literals kept: a helper's name in a string is what must not be there). */
    static String withoutComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\n]*", "");
    }
}
