package dev.natrecon.conntrack;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/**
 * Inputs the issue 13 fuzzing campaign found in the router evidence parsers, as plain unit tests (the same bytes are
 * regression inputs of {@link RouterTextFuzzTest} under src/test/resources/.../RouterTextFuzzTestInputs/).
 */
class FuzzFindingsTest {
    private static String hex(String h) {
        return new String(HexFormat.of().parseHex(h), StandardCharsets.UTF_8);
    }

    /**
     * RouterTextFuzzTest#conntrackLines, crash-f257d830…: a {@code conntrack -L} line whose reply tuple the fuzzer cut
     * away ("ipv4 2 udp 17 119 src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=300000000 packets=135 bytes=27000
     * [ASSURED] mark=0 use=1") parsed, then KernelEntry.view() threw a NullPointerException on the missing reply.
     */
    @Test
    void entryWithoutReplyTupleIsRejectedNotANullPointer() {
        String line = hex("6970763420202020203220756470202020202020313720313139207372633d3139322e3136382e312e3130206473743d"
                + "3230332e302e3131332e352073706f72743d34303030302064706f72743d333030303030303030207061636b6574733d"
                + "3133352062797465733d3237303030205b415353555245445d206d61726b3d30207573653d31");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConntrackText.entry(line).view());
        assertTrue(e.getMessage().startsWith("expected a second src= and dst= (the reply tuple)"), e.getMessage());
    }
}
