package dev.natrecon.correlate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.correlate.FlowId;
import org.junit.jupiter.api.Test;

/** The bindings' per-side cache answers only for the exact tuple it was given, and only until the index changes. */
class BindingCacheTest {
    @Test
    void anAnswerHoldsForItsTupleUntilTheIndexChanges() {
        BindingCache cache = new BindingCache();
        Binding b = new Binding(1, 1, 17, 0, 10, 4000, 0, 20, 30000, 0, 30, 5060);
        long pp = BindingCache.packed(17, 4000, 5060);
        int slot = BindingCache.slot(0, 10, 30, pp);
        assertFalse(cache.hit(slot, 0, 10, 0, 30, pp), "an empty slot");
        cache.put(slot, 0, 10, 0, 30, pp, 99, b, 1);
        assertTrue(cache.hit(slot, 0, 10, 0, 30, pp));
        assertSame(b, cache.binding(slot));
        assertEquals(99, cache.hash(slot));
        assertEquals(1, cache.direction(slot));
        // any other field is another tuple
        assertFalse(cache.hit(slot, 1, 10, 0, 30, pp));
        assertFalse(cache.hit(slot, 0, 11, 0, 30, pp));
        assertFalse(cache.hit(slot, 0, 10, 2, 30, pp));
        assertFalse(cache.hit(slot, 0, 10, 0, 31, pp));
        assertFalse(cache.hit(slot, 0, 10, 0, 30, BindingCache.packed(6, 4000, 5060)));
        assertFalse(cache.hit(slot, 0, 10, 0, 30, BindingCache.packed(17, 5060, 4000)));
        // "no binding" is an answer too
        int other = BindingCache.slot(1, 10, 30, pp);
        cache.put(other, 0, 10, 0, 30, pp, 98, null, 0);
        assertTrue(cache.hit(other, 0, 10, 0, 30, pp));
        assertNull(cache.binding(other));
        cache.invalidate();
        assertFalse(cache.hit(slot, 0, 10, 0, 30, pp), "the index changed");
        assertFalse(cache.hit(other, 0, 10, 0, 30, pp), "the index changed");
    }

    @Test
    void aFlowsAnswerHoldsForThatFlowOnThatSideUntilTheIndexChanges() {
        BindingCache cache = new BindingCache();
        FlowRecords records = new FlowRecords();
        Binding b = new Binding(1, 1, 17, 0, 10, 4000, 0, 20, 30000, 0, 30, 5060);
        long flow = FlowId.of(0, 7), otherFile = FlowId.of(1, 7);
        FlowRecord lan = records.of(flow, 0);
        assertFalse(cache.hit(lan), "an empty record");
        cache.put(lan, 77, b, 1);
        assertTrue(cache.hit(records.of(flow, 0)));
        assertSame(b, lan.binding);
        assertEquals(77, lan.bindingHash);
        assertEquals(1, lan.bindingDirection);
        assertFalse(cache.hit(records.of(flow, 1)), "the same flow on the other side (a router capture) is not cached");
        assertFalse(cache.hit(records.of(FlowId.of(0, 8), 0)), "another flow of the file");
        assertFalse(cache.hit(records.of(otherFile, 0)), "the same count of another file");
        assertTrue(cache.hit(records.of(flow, 0)));
        assertFalse(new BindingCache().hit(lan), "another table's cache at the same version");
        // a flow that takes the record's slot over finds nothing of the first flow's
        FlowRecord taken = records.of(FlowId.of(0, 7 + 4096), 0);
        assertSame(lan, taken, "one slot");
        assertFalse(cache.hit(taken));
        cache.put(records.of(flow, 0), 77, b, 1);
        assertTrue(cache.hit(lan));
        cache.invalidate();
        assertFalse(cache.hit(lan), "the index changed: a lifetime ended or began");
    }

    @Test
    void onlyExactPackingsAreCached() {
        assertEquals(-1, BindingCache.packed(17, -1, 5060));
        assertEquals(-1, BindingCache.packed(17, 5060, 65536));
        assertEquals(-1, BindingCache.packed(256, 1, 1));
        assertEquals(-1, BindingCache.packed(-1, 1, 1));
        assertTrue(BindingCache.packed(255, 65535, 65535) > 0);
        assertEquals(0, BindingCache.packed(0, 0, 0));
        assertTrue(BindingCache.packed(17, 1, 0) != BindingCache.packed(17, 0, 1));
    }
}
