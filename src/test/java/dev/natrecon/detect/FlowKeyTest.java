package dev.natrecon.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link Flow}'s written-out equals and hashCode: equal by every component and by nothing else, and the hash the
 * record's generated one gives (31 * h + component hash, in component order), so that hash-ordered output is unchanged.
 */
class FlowKeyTest {
    @Test
    void equalByEveryComponentAndHashedAsTheGeneratedHash() {
        Flow f = new Flow(17, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061);
        assertEquals(f, new Flow(17, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061));
        assertEquals(f.hashCode(), new Flow(17, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061).hashCode());
        Flow[] others = {new Flow(6, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061), new Flow(17, 9, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061),
            new Flow(17, 1, 0xc0a8010bL, 5060, 2, 0xc6336402L, 5061), new Flow(17, 1, 0xc0a8010aL, 5062, 2, 0xc6336402L, 5061),
            new Flow(17, 1, 0xc0a8010aL, 5060, 3, 0xc6336402L, 5061), new Flow(17, 1, 0xc0a8010aL, 5060, 2, 0xc6336403L, 5061),
            new Flow(17, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5063)};
        for (Flow o : others) assertNotEquals(f, o, o.toString());
        assertNotEquals(f, "udp");
        int h = 0;
        // every component here is below 2^32, where Long.hashCode and Integer.hashCode both give the value itself
        for (long c : new long[] {17, 1, 0xc0a8010aL, 5060, 2, 0xc6336402L, 5061}) h = h * 31 + (int) c;
        assertEquals(h, f.hashCode());
        assertEquals(f.reversed().reversed(), f);
    }
}
