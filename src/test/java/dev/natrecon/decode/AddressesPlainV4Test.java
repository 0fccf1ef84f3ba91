package dev.natrecon.decode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.alg.sip.Endpoint;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * {@link Addresses#plainV4}, the shortcut {@link Addresses#parse} takes for an IPv4 address written as
 * {@link Addresses#format} writes it, reads what {@code InetAddress} reads (the path every other literal takes), and
 * {@link Addresses#parse} gives the same answer as that path for every dotted quad, accepted by the shortcut or not.
 */
class AddressesPlainV4Test {
    private static final java.util.regex.Pattern DOTTED_QUAD = java.util.regex.Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    @Test
    void readsWhatInetAddressReadsAndRefusesTheRest() throws Exception {
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
        int plain = 0, quads = 0;
        for (String t : texts) {
            long v = Addresses.plainV4(t, 0, t.length());
            long[] a = new long[2];
            boolean parsed = Addresses.parse(t, a);
            if (v >= 0) {
                plain++;
                assertTrue(parsed, t);
                assertEquals(t, Addresses.format(a[0], a[1]), t);
                assertEquals((int) v, (int) a[1], t);
            }
            if (!DOTTED_QUAD.matcher(t).matches()) {
                assertEquals(-1, v, t);
                continue;
            }
            quads++;
            // the reference: InetAddress on a dotted quad (digits and dots only: never a name lookup)
            boolean reference;
            long referenceLo = 0;
            try {
                byte[] b = InetAddress.getByName(t).getAddress();
                reference = b.length == 4;
                referenceLo = Addresses.v4(Bytes.i32(b, 0));
            } catch (java.net.UnknownHostException e) {
                reference = false;
            }
            assertEquals(reference, parsed, t);
            if (parsed) assertEquals(referenceLo, a[1], t);
        }
        assertTrue(plain > 300 && quads > plain, plain + " plain of " + quads + " dotted quads");
    }

    @Test
    void readsARangeOfALongerText() {
        String via = "SIP/2.0/UDP 192.168.1.10:5060;branch=z9hG4bK1";
        int from = via.indexOf('1'), to = via.indexOf(':');
        assertEquals(0xC0A8010AL, Addresses.plainV4(via, from, to));
        assertEquals(-1, Addresses.plainV4(via, from, to + 1));
        assertEquals(-1, Addresses.plainV4(via, from - 1, to));
    }

    @Test
    void endpointsUseIt() {
        assertEquals("1.2.3.4", Endpoint.normalize("[1.2.3.4]"));
        assertTrue(Endpoint.isPrivate("10.1.2.3"));
        assertFalse(Endpoint.isPrivate("8.8.8.8"));
        assertTrue(Endpoint.isIp("8.8.8.8"));
    }
}
