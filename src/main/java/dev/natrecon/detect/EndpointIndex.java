package dev.natrecon.detect;

import dev.natrecon.correlate.FlowRecord;

/**
 * A map from a media endpoint as one side shows it (side, address, port) to a value, in primitive arrays with open
 * addressing and linear probing: the per-packet lookup of {@link MediaDetector} reads the key arrays and the value,
 * with no key object, no boxing and no node to follow. Removed slots are marked (tombstones) and dropped when the
 * table is rebuilt, which happens when live plus removed slots pass half the table.
 *
 * <p>A frame's own destination can also be asked through its flow's record ({@link #get(FlowRecord, int, long, long,
 * int)}): the answer is kept in the record and holds while no endpoint with a port of its group was put or removed
 * since, so a packet of a flow seen before costs one comparison instead of the hash and the probe. A port no live
 * endpoint has is answered without a probe ({@link #livePerPort}).
 *
 * @param <V> the value
 */
final class EndpointIndex<V> {
    private static final int EMPTY = 0, LIVE = 1, REMOVED = 2;
    private long[] hi = new long[64], lo = new long[64];
    /** side (bit 16) and port (bits 0-15) of each slot. */
    private int[] sidePort = new int[64];
    private byte[] state = new byte[64];
    private Object[] values = new Object[64];
    private int live, used;
    /**
     * Changes of the mapping (put, remove) per group of ports (the port's low bits): an answer kept in a flow's record
     * holds while its port's group's count stays the same, so registering one call's endpoints leaves the answers for
     * the other calls' ports standing.
     */
    private final long[] versions = new long[PORT_GROUPS];
    /** Groups of ports for {@link #versions} (a power of two). */
    private static final int PORT_GROUPS = 1024;
    /** Live endpoints per port (either side, any address): a port with none is answered without a probe. */
    private final int[] livePerPort = new int[65536];

    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    /** The value of the endpoint, or null. */
    @SuppressWarnings("unchecked")
    V get(int side, long addressHi, long addressLo, int port) {
        if (livePerPort[port & 0xffff] == 0) return null;
        int key = key(side, port), mask = state.length - 1;
        for (int i = (int) (hash(addressHi, addressLo, key) & mask); ; i = (i + 1) & mask) {
            byte s = state[i];
            if (s == EMPTY) return null;
            if (s == LIVE && sidePort[i] == key && lo[i] == addressLo && hi[i] == addressHi) return (V) values[i];
        }
    }

    /**
     * {@link #get(int, long, long, int)} of the destination of a frame whose flow's record is {@code r} (null: none;
     * the endpoint must be that flow's destination on its side, {@code side}): the answer kept in the record while the
     * map has not changed for the port, else the map's (then kept).
     */
    @SuppressWarnings("unchecked")
    V get(FlowRecord r, int side, long addressHi, long addressLo, int port) {
        if (r == null) return get(side, addressHi, addressLo, port);
        long at = versions[port & PORT_GROUPS - 1] << 1 | side;
        if (r.mediaOwner != this) {
            r.mediaOwner = this;
            r.mediaAt = r.viaAt = -1;
        } else if (r.mediaAt == at) {
            return (V) r.media;
        }
        V v = get(side, addressHi, addressLo, port);
        r.mediaAt = at;
        r.media = v;
        return v;
    }

    /**
     * {@link #get(int, long, long, int)} of an endpoint a frame whose flow's record is {@code r} (null: none) leads to
     * without being its own destination (its counterpart's on the other side, which a NAT may change from one packet
     * to the next): the answer kept in the record when the same endpoint was asked last time and the map has not
     * changed for the port since, else the map's (then kept).
     */
    @SuppressWarnings("unchecked")
    V getVia(FlowRecord r, int side, long addressHi, long addressLo, int port) {
        if (r == null) return get(side, addressHi, addressLo, port);
        long at = versions[port & PORT_GROUPS - 1] << 1 | side;
        if (r.mediaOwner != this) {
            r.mediaOwner = this;
            r.mediaAt = r.viaAt = -1;
        } else if (r.viaAt == at && r.viaLo == addressLo && r.viaPort == port && r.viaHi == addressHi) return (V) r.via;
        V v = get(side, addressHi, addressLo, port);
        r.viaAt = at;
        r.viaHi = addressHi;
        r.viaLo = addressLo;
        r.viaPort = port;
        r.via = v;
        return v;
    }

    /** Maps the endpoint to {@code value} (replacing any), returning the value it had or null. */
    @SuppressWarnings("unchecked")
    V put(int side, long addressHi, long addressLo, int port, V value) {
        versions[port & PORT_GROUPS - 1]++;
        if (2 * (used + 1) > state.length) rebuild(2 * (live + 1) > state.length / 2 ? state.length * 2 : state.length);
        int key = key(side, port), mask = state.length - 1, free = -1;
        for (int i = (int) (hash(addressHi, addressLo, key) & mask); ; i = (i + 1) & mask) {
            byte s = state[i];
            if (s == LIVE && sidePort[i] == key && lo[i] == addressLo && hi[i] == addressHi) {
                V old = (V) values[i];
                values[i] = value;
                return old;
            }
            if (s == REMOVED && free < 0) free = i;
            if (s == EMPTY) {
                if (free < 0) {
                    free = i;
                    used++;
                }
                hi[free] = addressHi;
                lo[free] = addressLo;
                sidePort[free] = key;
                state[free] = LIVE;
                values[free] = value;
                live++;
                livePerPort[port & 0xffff]++;
                return null;
            }
        }
    }

    /** Removes the endpoint's mapping, returning its value or null. */
    @SuppressWarnings("unchecked")
    V remove(int side, long addressHi, long addressLo, int port) {
        versions[port & PORT_GROUPS - 1]++;
        int key = key(side, port), mask = state.length - 1;
        for (int i = (int) (hash(addressHi, addressLo, key) & mask); ; i = (i + 1) & mask) {
            byte s = state[i];
            if (s == EMPTY) return null;
            if (s == LIVE && sidePort[i] == key && lo[i] == addressLo && hi[i] == addressHi) {
                V old = (V) values[i];
                state[i] = REMOVED;
                values[i] = null;
                live--;
                livePerPort[port & 0xffff]--;
                return old;
            }
        }
    }

    private static int key(int side, int port) {
        return side << 16 | (port & 0xffff);
    }

    private static long hash(long addressHi, long addressLo, int key) {
        long h = (addressLo * 0x9E3779B97F4A7C15L) ^ (addressHi * 0xC2B2AE3D27D4EB4FL) ^ (key * 0x165667B19E3779F9L);
        return h ^ (h >>> 32) ^ (h >>> 17);
    }

    private void rebuild(int capacity) {
        long[] oldHi = hi, oldLo = lo;
        int[] oldKeys = sidePort;
        byte[] oldState = state;
        Object[] oldValues = values;
        hi = new long[capacity];
        lo = new long[capacity];
        sidePort = new int[capacity];
        state = new byte[capacity];
        values = new Object[capacity];
        int mask = capacity - 1;
        for (int j = 0; j < oldState.length; j++) {
            if (oldState[j] != LIVE) continue;
            int i = (int) (hash(oldHi[j], oldLo[j], oldKeys[j]) & mask);
            while (state[i] != EMPTY) i = (i + 1) & mask;
            hi[i] = oldHi[j];
            lo[i] = oldLo[j];
            sidePort[i] = oldKeys[j];
            state[i] = LIVE;
            values[i] = oldValues[j];
        }
        used = live;
    }
}
