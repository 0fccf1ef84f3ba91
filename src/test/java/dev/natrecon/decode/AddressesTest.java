package dev.natrecon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Address literals from captures and router files: literals only, never a name for the resolver. */
class AddressesTest {
    @Test
    void literalsParse() {
        long[] a = new long[2];
        assertTrue(Addresses.parse("192.0.2.1", a));
        assertArrayEquals(new long[] {0, Addresses.v4(0xc0000201)}, a);
        assertTrue(Addresses.parse("2001:db8::1", a));
        assertArrayEquals(new long[] {0x20010db800000000L, 1}, a);
        assertTrue(Addresses.parse("::ffff:192.0.2.1", a));
    }

    /**
     * Fuzzing campaign finding: anything with a colon went to InetAddress, which hands a non-literal to the system
     * resolver ("zz:1": a DNS query for a name from the input) and resolves a zone to a local interface
     * ("fe80::1%eth0" parsed on a machine with an eth0). Only hex digits, colons and dots are literal.
     */
    @Test
    void namesWithAColonAreNotLookedUp() {
        long[] a = new long[2];
        for (String name : new String[] {"zz:1", "localhost:5060", "example.com:80", "fe80::1%eth0", "fe80::1%1", "a:b:c",
                "[::1]"}) {
            assertFalse(Addresses.parse(name, a), name);
        }
    }
}
