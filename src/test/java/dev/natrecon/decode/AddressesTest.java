package dev.natrecon.decode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

    private static boolean test(String address, java.util.function.BiPredicate<Long, Long> p) {
        long[] a = new long[2];
        assertTrue(Addresses.parse(address, a), address);
        return p.test(a[0], a[1]);
    }

    /** Private is RFC 1918 and RFC 4193 only; shared space, loopback and link-local have their own names. */
    @Test
    void privateIsRfc1918AndRfc4193Only() {
        for (String p : new String[] {"10.0.0.1", "10.255.255.255", "172.16.0.1", "172.31.255.254", "192.168.0.1",
                "fc00::1", "fd17::5"}) {
            assertTrue(test(p, Addresses::isPrivate), p);
        }
        for (String n : new String[] {"100.64.0.2", "100.127.255.254", "127.0.0.1", "169.254.1.1", "172.15.0.1",
                "172.32.0.1", "192.169.0.1", "11.0.0.1", "203.0.113.5", "fe80::1", "::1", "fe00::1", "2001:db8::1"}) {
            assertFalse(test(n, Addresses::isPrivate), n);
        }
        assertTrue(test("100.64.0.0", Addresses::isSharedAddressSpace));
        assertTrue(test("100.127.255.255", Addresses::isSharedAddressSpace));
        assertFalse(test("100.63.255.255", Addresses::isSharedAddressSpace));
        assertFalse(test("100.128.0.0", Addresses::isSharedAddressSpace));
        assertTrue(test("169.254.0.1", Addresses::isLinkLocal));
        assertTrue(test("fe80::1", Addresses::isLinkLocal));
        assertTrue(test("febf::1", Addresses::isLinkLocal));
        assertFalse(test("fec0::1", Addresses::isLinkLocal));
        assertFalse(test("169.253.0.1", Addresses::isLinkLocal));
        assertTrue(test("127.8.9.10", Addresses::isHostOrLinkScope));
        assertTrue(test("::1", Addresses::isHostOrLinkScope));
    }

    /**
     * The per-frame forms (one family test for loopback and link-local, the bit-shift RFC 1918 and RFC 6598 tests)
     * say what the range-by-range definitions say, for every first and second octet of IPv4 and IPv6 edges.
     */
    @Test
    void perFrameFormsAgreeWithTheRanges() {
        for (int o1 = 0; o1 < 256; o1++) {
            for (int o2 = 0; o2 < 256; o2++) {
                int a = o1 << 24 | o2 << 16 | 0x0102;
                long lo = Addresses.v4(a);
                boolean loopback = o1 == 127, linkLocal = o1 == 169 && o2 == 254;
                assertEquals(loopback || linkLocal, Addresses.isHostOrLinkScope(0, lo), o1 + "." + o2);
                assertEquals(Addresses.isLoopback(0, lo) || Addresses.isLinkLocal(0, lo), Addresses.isHostOrLinkScope(0, lo));
                boolean rfc1918 = o1 == 10 || o1 == 172 && o2 >= 16 && o2 <= 31 || o1 == 192 && o2 == 168;
                assertEquals(rfc1918, Addresses.isPrivate(0, lo), o1 + "." + o2);
                assertEquals(o1 == 100 && o2 >= 64 && o2 <= 127, Addresses.isSharedAddressSpace(0, lo), o1 + "." + o2);
                long public4 = Addresses.v4(0xcb007105); // 203.0.113.5
                assertEquals(loopback || linkLocal, Addresses.eitherHostOrLinkScope(0, lo, 0, public4));
                assertEquals(loopback || linkLocal, Addresses.eitherHostOrLinkScope(0, public4, 0, lo));
            }
        }
        for (String v6 : new String[] {"::1", "::2", "fe80::1", "febf::1", "fec0::1", "fd00::1", "2001:db8::1", "::"}) {
            long[] a = new long[2];
            assertTrue(Addresses.parse(v6, a), v6);
            assertEquals(Addresses.isLoopback(a[0], a[1]) || Addresses.isLinkLocal(a[0], a[1]),
                    Addresses.isHostOrLinkScope(a[0], a[1]), v6);
        }
    }
}
