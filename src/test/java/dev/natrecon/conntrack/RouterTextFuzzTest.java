package dev.natrecon.conntrack;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.Touch;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz targets for the router evidence parsers: an {@code nft list ruleset}, an {@code iptables-save} dump (each
 * parser directly, and through {@link NatRuleset#parse}'s format detection), and conntrack text, where every line goes
 * through both {@link ConntrackText#entry} (listings and {@code conntrack -E} events) and
 * {@link ConntrackText#expectation} (expectation listings and events). Files are read as UTF-8, as the engine reads
 * them.
 */
class RouterTextFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void ruleset(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        FuzzContract.run(() -> Touch.all(NatRuleset.parse(text)));
    }

    @FuzzTest(maxDuration = "30s")
    void nft(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        FuzzContract.run(() -> Touch.all(NftParser.parse(text)));
    }

    @FuzzTest(maxDuration = "30s")
    void iptablesSave(byte[] file) {
        String text = new String(file, StandardCharsets.UTF_8);
        FuzzContract.run(() -> Touch.all(IptablesSaveParser.parse(text)));
    }

    @FuzzTest(maxDuration = "30s")
    void conntrackLines(byte[] file) {
        for (String line : new String(file, StandardCharsets.UTF_8).split("\n", -1)) {
            FuzzContract.run(() -> Touch.all(ConntrackText.entry(line)));
            FuzzContract.run(() -> Touch.all(ConntrackText.expectation(line)));
        }
    }
}
