package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code compare} from the captures alone on the backup-uplink samples: entry #2's first packet (LAN frame 5) left by an
 * uplink no capture shows, so its NEW rests on no copy of it. The SNAT backup's address is revealed by the later wan0
 * copies (the kernel's lines matched), the masquerade backup's never (not observable); neither says "the NAT its copy
 * shows".
 */
class UnknownNatCompareTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource({"backup-uplink-snat, a later copy revealed it", "backup-uplink-nat, 'unknown, no WAN copy of it'"})
    void aNewMadeOnAnUncapturedUplinkRestsOnNoCopy(String sample, String how) {
        String dir = "samples/" + sample + "/";
        MainTest.Run r = MainTest.run("compare", "--lan", dir + "lan.pcap", "--wan", dir + "wan.pcap", "--sysctl",
                dir + "router.sysctl", "--kernel-events", dir + "kernel-events.txt");
        assertTrue(r.out().contains("NEW by lan#5, the packet that proves entry #1 gone (inferred: a new entry with the NAT "
                + "of an uplink no capture shows: "), r.out());
        assertTrue(r.out().contains(how), r.out());
        assertFalse(r.out().contains("the NAT its copy shows"), r.out());
    }
}
