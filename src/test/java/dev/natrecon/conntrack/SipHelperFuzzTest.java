package dev.natrecon.conntrack;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.natrecon.FuzzContract;
import dev.natrecon.alg.sip.LinuxSipHelper;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Fuzz target for the Linux SIP helper in the conntrack model: a fuzz SIP payload from the phone behind masquerade to
 * the provider, then fuzz payloads both ways on the same entry (replies, re-INVITEs), so the helper parses, rewrites,
 * creates expectations and drops as the kernel would, on anything. Packets as in {@link SipHelperModelTest}.
 */
class SipHelperFuzzTest {
    private static final String PHONE = "192.168.1.10", PROVIDER = "203.0.113.5", ROUTER = "203.0.113.2";
    private static final int MAX_MESSAGES = 6;
    private static final long MS = 1_000_000L;

    @FuzzTest(maxDuration = "30s")
    void udpMessages(FuzzedDataProvider fuzz) {
        FuzzContract.run(() -> {
            ConntrackModel model = new ConntrackModel(Timeouts.linux6(),
                    List.of(NatRule.masquerade(ROUTER, "192.168.1.0/24")), t -> t.dstPort() == 5060 ? "sip" : null);
            model.addHelper(new LinuxSipHelper("sip"));
            for (int i = 0; i < MAX_MESSAGES && fuzz.remainingBytes() > 0; i++) {
                boolean fromPhone = i == 0 || fuzz.consumeBoolean();
                String text = new String(fuzz.consumeBytes(fuzz.consumeInt(0, 4000)), StandardCharsets.ISO_8859_1);
                Arrival a = fromPhone ? Packets.udp(i * 10 * MS, "lan", PHONE, 5060, PROVIDER, 5060, text)
                        : Packets.udp(i * 10 * MS, "wan", PROVIDER, 5060, ROUTER, 5060, text);
                model.onPacket(a, EventSink.IGNORE);
            }
        });
    }
}
