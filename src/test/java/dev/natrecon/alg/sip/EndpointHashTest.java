package dev.natrecon.alg.sip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Endpoint's written-out equals and hashCode give what the record's generated methods gave (hash maps keyed by
 * endpoints keep their iteration order, so the outputs keep their bytes): checked against a record of the same
 * components, whose methods are still generated.
 */
class EndpointHashTest {
    private record Generated(String host, int port) {
    }

    @Test
    void sameHashAndEqualityAsTheGeneratedMethods() {
        for (String host : List.of("192.0.2.1", "2001:db8::1", "pbx.example.com", "", "10.0.0.255")) {
            for (int port : new int[] {-1, 0, 5060, 65535}) {
                Endpoint e = new Endpoint(host, port);
                assertEquals(new Generated(e.host(), port).hashCode(), e.hashCode(), e.toString());
                assertEquals(e, new Endpoint(host, port));
                assertNotEquals(e, new Endpoint(host, port + 1));
                assertNotEquals(e, new Endpoint(host + "x", port));
                assertNotEquals(e, new Generated(e.host(), port));
            }
        }
    }
}
