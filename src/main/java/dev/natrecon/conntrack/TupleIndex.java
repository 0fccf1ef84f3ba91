package dev.natrecon.conntrack;

import java.util.Arrays;

/**
 * The table's hash: both tuples of every live entry, each pointing at its entry and saying which direction it is
 * (the kernel's tuplehash[IP_CT_DIR_ORIGINAL / IP_CT_DIR_REPLY]). Open addressing with linear probing over parallel
 * arrays, so a lookup on the per-packet path is one probe sequence with no nodes, no boxing and one tuple comparison
 * against the entry's own tuple.
 */
final class TupleIndex {
    private int[] hashes = new int[256];
    private ConntrackEntry[] entries = new ConntrackEntry[256];
    private byte[] directions = new byte[256];
    private int size;
    /** Direction of the tuple the last successful {@link #get} found: 0 original, 1 reply. */
    private int lastDirection;

    /** The entry one of whose tuples equals {@code t}, or null; {@link #lastDirection()} then tells which one. */
    ConntrackEntry get(ConntrackTuple t) {
        int h = t.hashCode();
        int mask = entries.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            ConntrackEntry e = entries[i];
            if (e == null) return null;
            if (hashes[i] == h) {
                int dir = directions[i];
                if ((dir == 0 ? e.original : e.reply).equals(t)) {
                    lastDirection = dir;
                    return e;
                }
            }
        }
    }

    /**
     * {@link #get(ConntrackTuple)} for the TCP or UDP tuple these fields make, without making it: the entry and the
     * direction ({@link #lastDirection()}) a packet's own fields find, so a packet of a live flow needs no tuple of its
     * own. {@code protocolPorts} is {@code protocol << 32 | srcPort << 16 | dstPort}: five arguments, all passed in
     * registers, and the hash and comparison written out here (C1 inlines neither a ten-argument hash nor compare).
     */
    ConntrackEntry getPorts(long srcHi, long srcLo, long dstHi, long dstLo, long protocolPorts) {
        int protocol = (int) (protocolPorts >>> 32), srcPort = (int) (protocolPorts >>> 16) & 0xffff;
        int dstPort = (int) protocolPorts & 0xffff;
        // ConntrackTuple.hash with ICMP type, code and id all -1
        long x = protocol * 0x9E3779B97F4A7C15L;
        x = ConntrackTuple.mix(x ^ srcLo);
        x = ConntrackTuple.mix(x ^ dstLo);
        x = ConntrackTuple.mix(x ^ (srcHi * 31 + dstHi));
        x = ConntrackTuple.mix(x ^ (((long) srcPort << 32) | dstPort));
        x = ConntrackTuple.mix(x ^ NO_ICMP);
        int h = (int) (x ^ (x >>> 32));
        int mask = entries.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            ConntrackEntry e = entries[i];
            if (e == null) return null;
            if (hashes[i] == h) {
                int dir = directions[i];
                ConntrackTuple t = dir == 0 ? e.original : e.reply;
                if (t.srcLo() == srcLo && t.dstLo() == dstLo && t.srcPort() == srcPort && t.dstPort() == dstPort
                        && t.protocol() == protocol && t.srcHi() == srcHi && t.dstHi() == dstHi && t.icmpType() == -1
                        && t.icmpCode() == -1 && t.icmpId() == -1) {
                    lastDirection = dir;
                    return e;
                }
            }
        }
    }

    /** The ICMP part of {@link ConntrackTuple#hash} for a tuple with ports (type, code and id -1). */
    private static final long NO_ICMP = (-1L << 40) ^ (-1L << 20) ^ -1L;

    int lastDirection() {
        return lastDirection;
    }

    boolean contains(ConntrackTuple t) {
        return get(t) != null;
    }

    /** Indexes both tuples of {@code e}; a tuple already present is re-pointed at {@code e} (as a map put would). */
    void add(ConntrackEntry e) {
        put(e.original, e, 0);
        put(e.reply, e, 1);
    }

    /** Removes both tuples of {@code e}, where they still point at it. */
    void remove(ConntrackEntry e) {
        remove(e.original, e);
        remove(e.reply, e);
    }

    int size() {
        return size;
    }

    private void put(ConntrackTuple t, ConntrackEntry e, int dir) {
        if ((size + 1) * 2 > entries.length) grow();
        int h = t.hashCode();
        int mask = entries.length - 1;
        for (int i = spread(h) & mask; ; i = (i + 1) & mask) {
            ConntrackEntry c = entries[i];
            if (c == null) {
                hashes[i] = h;
                entries[i] = e;
                directions[i] = (byte) dir;
                size++;
                return;
            }
            if (hashes[i] == h && (directions[i] == 0 ? c.original : c.reply).equals(t)) {
                if (c != e) { // a tuple equal to its own inverse keeps its original direction
                    entries[i] = e;
                    directions[i] = (byte) dir;
                }
                return;
            }
        }
    }

    private void remove(ConntrackTuple t, ConntrackEntry e) {
        int h = t.hashCode();
        int mask = entries.length - 1;
        int i = spread(h) & mask;
        while (true) {
            ConntrackEntry c = entries[i];
            if (c == null) return;
            if (c == e && hashes[i] == h && (directions[i] == 0 ? c.original : c.reply).equals(t)) break;
            i = (i + 1) & mask;
        }
        entries[i] = null;
        size--;
        // backward-shift deletion keeps every probe sequence unbroken without tombstones
        int j = i;
        while (true) {
            j = (j + 1) & mask;
            ConntrackEntry c = entries[j];
            if (c == null) return;
            int home = spread(hashes[j]) & mask;
            boolean between = i <= j ? (i < home && home <= j) : (i < home || home <= j);
            if (!between) {
                hashes[i] = hashes[j];
                entries[i] = c;
                directions[i] = directions[j];
                entries[j] = null;
                i = j;
            }
        }
    }

    private void grow() {
        int[] oldHashes = hashes;
        ConntrackEntry[] oldEntries = entries;
        byte[] oldDirections = directions;
        int n = oldEntries.length * 2;
        hashes = new int[n];
        entries = new ConntrackEntry[n];
        directions = new byte[n];
        size = 0;
        int mask = n - 1;
        for (int k = 0; k < oldEntries.length; k++) {
            if (oldEntries[k] == null) continue;
            int i = spread(oldHashes[k]) & mask;
            while (entries[i] != null) i = (i + 1) & mask;
            hashes[i] = oldHashes[k];
            entries[i] = oldEntries[k];
            directions[i] = oldDirections[k];
            size++;
        }
        Arrays.fill(oldEntries, null);
    }

    private static int spread(int h) {
        return h ^ (h >>> 16);
    }
}
