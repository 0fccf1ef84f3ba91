package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * {@code compare} from the captures alone on outage-no-route-snat: the flush the model inferred under the masquerade
 * it assumed, while the kernel (SNAT) kept the entry, is printed as not observable, with the assumption and the frames
 * it rests on; given the router's ruleset the model assumes nothing and nothing is counted apart.
 */
class AssumedRuleKillOutputTest {
    static final String DIR = "samples/outage-no-route-snat/";

    static MainTest.Run compare(String... more) {
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("compare", "--lan", DIR + "lan.pcap",
                "--wan", DIR + "wan.pcap", "--sysctl", DIR + "router.sysctl", "--kernel-events", DIR + "kernel-events.txt"));
        a.addAll(java.util.List.of(more));
        return MainTest.run(a.toArray(String[]::new));
    }

    @Test
    void compareSaysTheAssumedFlushIsNotObservable() {
        MainTest.Run r = compare();
        assertTrue(r.out().contains("not observable from the captures: 1 kernel line(s) of 1 entry"), r.out());
        assertTrue(r.out().contains("NOT OBSERVABLE from the captures: the model inferred a flush of this entry (model "
                + "entry #1, wan#4, lan#5, lan#6) assuming masquerade on"), r.out());
        assertTrue(r.out().contains("re-created it with the same tuples and NAT (model entry #2, first packet lan#18)"), r.out());
    }

    @Test
    void withTheRulesetNothingIsAssumedOrCountedApart() {
        MainTest.Run r = compare("--ruleset", DIR + "router.nft");
        assertFalse(r.out().contains("NOT OBSERVABLE"), r.out());
        assertFalse(r.out().contains("not observable from the captures"), r.out());
    }
}
