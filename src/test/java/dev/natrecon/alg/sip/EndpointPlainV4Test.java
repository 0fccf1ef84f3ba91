package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.decode.Addresses;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Endpoint#plainV4} reads exactly what {@link Addresses#parse} reads, in the form {@link Addresses#format}
 * writes: on every string it accepts the three agree, and what it refuses is left to them (normalize, isIp, isPrivate
 * give what they gave without it).
 */
class EndpointPlainV4Test {
    @Test
    void readsWhatAddressesReadsAndRefusesTheRest() {
        List<String> texts = new ArrayList<>(List.of("0.0.0.0", "255.255.255.255", "10.0.0.2", "192.168.1.1", "172.16.0.1",
                "1.2.3", "1.2.3.4.5", "01.2.3.4", "1.2.3.04", "256.1.1.1", "1.2.3.4 ", " 1.2.3.4", "1..2.3", "1.2.3.", ".1.2.3",
                "1234.1.1.1", "a.b.c.d", "::1", "::ffff:1.2.3.4", "", "1.2.3.4:5060", "example.com", "1.2.3.999"));
        Random r = new Random(7);
        for (int i = 0; i < 5_000; i++) {
            StringBuilder sb = new StringBuilder();
            int parts = 3 + r.nextInt(3);
            for (int k = 0; k < parts; k++) {
                if (k > 0) sb.append(r.nextInt(20) == 0 ? ".." : ".");
                int kind = r.nextInt(10);
                sb.append(kind == 0 ? "0" + r.nextInt(10) : kind == 1 ? String.valueOf(r.nextInt(1000)) : String.valueOf(r.nextInt(256)));
            }
            texts.add(sb.toString());
        }
        int plain = 0;
        for (String t : texts) {
            long v = Endpoint.plainV4(t);
            if (v < 0) continue;
            plain++;
            long[] a = new long[2];
            assertTrue(Addresses.parse(t, a), t);
            assertEquals(t, Addresses.format(a[0], a[1]), t);
            assertEquals((int) v, (int) a[1], t);
            assertEquals(Addresses.isPrivate(a[0], a[1]), Endpoint.isPrivate(t), t);
        }
        assertTrue(plain > 300, plain + " plain");
        assertEquals(-1, Endpoint.plainV4("01.2.3.4"));
        assertEquals("1.2.3.4", Endpoint.normalize("[1.2.3.4]"));
        assertTrue(Endpoint.isPrivate("10.1.2.3") && !Endpoint.isPrivate("8.8.8.8") && Endpoint.isIp("8.8.8.8"));
    }
}
