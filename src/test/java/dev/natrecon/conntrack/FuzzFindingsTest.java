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

    /** "tcp 6 431999 ESTABLISHED src=192.168.1.10 dst=203.0.113.5 sport=40000 dport=5060": no reply tuple. */
    @Test
    void entryWithoutReplyTupleIsRejectedNotANullPointer() {
        String line = hex("74637020202020202036203433313939392045535441424c4953484544207372633d3139322e3136382e312e3130"
                + "206473743d3230332e302e3131332e352073706f72743d34303030302064706f72743d35303630");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ConntrackText.entry(line).view());
        assertTrue(e.getMessage().startsWith("no reply tuple"), e.getMessage());
    }
}
