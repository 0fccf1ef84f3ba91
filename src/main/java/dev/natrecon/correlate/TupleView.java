package dev.natrecon.correlate;

import dev.natrecon.decode.Addresses;

/** A packet's addresses and ports as one capture point saw them. */
public record TupleView(long srcHi, long srcLo, int srcPort, long dstHi, long dstLo, int dstPort) {
    public boolean sameSource(TupleView o) {
        return srcHi == o.srcHi && srcLo == o.srcLo && srcPort == o.srcPort;
    }

    public boolean sameDestination(TupleView o) {
        return dstHi == o.dstHi && dstLo == o.dstLo && dstPort == o.dstPort;
    }

    public String source() {
        return Addresses.endpoint(srcHi, srcLo, srcPort);
    }

    public String destination() {
        return Addresses.endpoint(dstHi, dstLo, dstPort);
    }
}
