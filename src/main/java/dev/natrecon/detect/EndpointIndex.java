package dev.natrecon.detect;

import dev.natrecon.correlate.FlowId;

/**
 * A map from a media endpoint as one side shows it (side, address, port) to a value, in primitive arrays with open
 * addressing and linear probing: the per-packet lookup of {@link MediaDetector} reads the key arrays and the value,
 * with no key object, no boxing and no node to follow. Removed slots are marked (tombstones) and dropped when the
 * table is rebuilt, which happens when live plus removed slots pass half the table.
 *
 * <p>A frame's own destination can also be asked by its flow number ({@link #get(long, int, long, long, int)}): the
 * answer is kept per flow and holds while no endpoint with a port of its group was put or removed since,
 * so a packet of a flow seen before costs one comparison of two longs instead of the hash and the probe.
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
     * Changes of the mapping (put, remove) per group of ports (the port's low bits): a per-flow answer for an endpoint
     * holds while its group's count stays the same, so registering one call's endpoints leaves the answers for the
     * other calls' ports standing.
     */
    private final long[] versions = new long[PORT_GROUPS];
    /** Groups of ports for {@link #versions} (a power of two). */
    private static final int PORT_GROUPS = 1024;
    /** Slots of the per-flow answers (a power of two): several times the live flows of a busy site. */
    private static final int FLOW_SLOTS = 2048;
    /** Per flow slot: the flow number, then the version (shifted) and side the answer was read at. */
    private final long[] flowKeys = new long[2 * FLOW_SLOTS];
    private final Object[] flowAnswers = new Object[FLOW_SLOTS];
    /**
     * Per flow slot, for {@link #getVia}: the flow number, the version and side, the address (high, low) and port
     * asked, and the answer.
     */
    private final long[] viaKeys = new long[5 * FLOW_SLOTS];
    private final Object[] viaAnswers = new Object[FLOW_SLOTS];

    int size() {
        return live;
    }

    boolean isEmpty() {
        return live == 0;
    }

    /** The value of the endpoint, or null. */
    @SuppressWarnings("unchecked")
    V get(int side, long addressHi, long addressLo, int port) {
        int key = key(side, port), mask = state.length - 1;
        for (int i = (int) (hash(addressHi, addressLo, key) & mask); ; i = (i + 1) & mask) {
            byte s = state[i];
            if (s == EMPTY) return null;
            if (s == LIVE && sidePort[i] == key && lo[i] == addressLo && hi[i] == addressHi) return (V) values[i];
        }
    }

    /**
     * {@link #get(int, long, long, int)} of the destination of a frame of flow {@code flow} ({@link FlowId}; the
     * endpoint must be that flow's destination on {@code side}, 0 or 1): the answer kept for the flow on that side
     * while the map has not changed, else the map's (then kept).
     */
    @SuppressWarnings("unchecked")
    V get(long flow, int side, long addressHi, long addressLo, int port) {
        if (flow == FlowId.NONE) return get(side, addressHi, addressLo, port);
        int i = FlowId.index(flow, FLOW_SLOTS - 1);
        long at = versions[port & PORT_GROUPS - 1] << 1 | side;
        if (flowKeys[2 * i] == flow && flowKeys[2 * i + 1] == at) return (V) flowAnswers[i];
        V v = get(side, addressHi, addressLo, port);
        flowKeys[2 * i] = flow;
        flowKeys[2 * i + 1] = at;
        flowAnswers[i] = v;
        return v;
    }

    /**
     * {@link #get(int, long, long, int)} of an endpoint a frame of flow {@code flow} leads to without being its own
     * destination (its counterpart's on the other side, which a NAT may change from one packet to the next): the answer
     * kept for the flow when the same endpoint was asked last time and the map has not changed since, else the map's
     * (then kept).
     */
    @SuppressWarnings("unchecked")
    V getVia(long flow, int side, long addressHi, long addressLo, int port) {
        if (flow == FlowId.NONE) return get(side, addressHi, addressLo, port);
        int i = FlowId.index(flow, FLOW_SLOTS - 1), k = 5 * i;
        long at = versions[port & PORT_GROUPS - 1] << 1 | side;
        long[] m = viaKeys;
        if (m[k] == flow && m[k + 1] == at && m[k + 3] == addressLo && m[k + 4] == port && m[k + 2] == addressHi) {
            return (V) viaAnswers[i];
        }
        V v = get(side, addressHi, addressLo, port);
        m[k] = flow;
        m[k + 1] = at;
        m[k + 2] = addressHi;
        m[k + 3] = addressLo;
        m[k + 4] = port;
        viaAnswers[i] = v;
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
