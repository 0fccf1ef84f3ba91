package dev.natrecon.detect;

import dev.natrecon.correlate.Binding;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The bindings sharing a key (an internal or external endpoint), found without holding every binding: the case's
 * bindings list reads retired lifetimes back one at a time, and a map of a million keys to lists of bindings would hold
 * them all. Each binding the filter passes becomes one long (its key's hash over the high bits, its index in the low
 * bits), sorted; runs of one hash are split by the key itself (a hash shared by two keys stays correct). Groups come
 * in the order their first binding appears, members in list order: the order a {@code LinkedHashMap} of lists filled
 * in one pass would give.
 */
final class BindingGroups {
    private BindingGroups() {
    }

    /**
     * The groups of at least {@code minSize} bindings of {@code all} that {@code keep} passes, by {@code key}, as
     * index arrays into {@code all}.
     */
    static List<int[]> of(List<Binding> all, Predicate<Binding> keep, Function<Binding, String> key, int minSize) {
        int n = all.size();
        int indexBits = Math.max(1, 32 - Integer.numberOfLeadingZeros(n));
        long indexMask = (1L << indexBits) - 1;
        long[] packed = new long[16];
        int m = 0;
        for (int i = 0; i < n; i++) {
            Binding b = all.get(i);
            if (!keep.test(b)) continue;
            if (m == packed.length) packed = Arrays.copyOf(packed, m * 2);
            // unsigned shift: the sort then orders by hash, then by index within a hash
            packed[m++] = hash(key.apply(b)) >>> indexBits << indexBits | i;
        }
        Arrays.sort(packed, 0, m);
        List<int[]> groups = new ArrayList<>();
        for (int start = 0; start < m; ) {
            int end = start + 1;
            while (end < m && packed[end] >>> indexBits == packed[start] >>> indexBits) end++;
            if (end - start >= minSize) split(all, packed, start, end, indexMask, key, minSize, groups);
            start = end;
        }
        groups.sort((a, b) -> Integer.compare(a[0], b[0]));
        return groups;
    }

    /** One hash's run split by the key itself (almost always one key). */
    private static void split(List<Binding> all, long[] packed, int start, int end, long indexMask,
                              Function<Binding, String> key, int minSize, List<int[]> groups) {
        Map<String, int[]> byKey = new LinkedHashMap<>();
        for (int k = start; k < end; k++) {
            int i = (int) (packed[k] & indexMask);
            int[] g = byKey.computeIfAbsent(key.apply(all.get(i)), x -> new int[end - start + 1]);
            g[++g[0]] = i; // g[0] counts
        }
        for (int[] g : byKey.values()) if (g[0] >= minSize) groups.add(Arrays.copyOfRange(g, 1, g[0] + 1));
    }

    /** The bindings of one group, read from {@code all} once (a group is small next to all of them). */
    static List<Binding> members(List<Binding> all, int[] group) {
        List<Binding> out = new ArrayList<>(group.length);
        for (int i : group) out.add(all.get(i));
        return out;
    }

    /**
     * The bindings of {@code all} that {@code keep} passes, as a read-only view holding their indices only (4 bytes
     * each instead of the binding), in list order.
     */
    static List<Binding> filtered(List<Binding> all, Predicate<Binding> keep) {
        int[] at = new int[16];
        int m = 0;
        for (int i = 0; i < all.size(); i++) {
            if (!keep.test(all.get(i))) continue;
            if (m == at.length) at = Arrays.copyOf(at, m * 2);
            at[m++] = i;
        }
        int[] indices = at;
        int size = m;
        return new AbstractList<>() {
            @Override
            public Binding get(int index) {
                if (index >= size) throw new IndexOutOfBoundsException(index);
                return all.get(indices[index]);
            }

            @Override
            public int size() {
                return size;
            }
        };
    }

    /** 64-bit FNV-1a over the key's characters. */
    private static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        return h;
    }
}
