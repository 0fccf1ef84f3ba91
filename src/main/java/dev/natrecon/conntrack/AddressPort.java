package dev.natrecon.conntrack;

/**
 * A protocol, an address (two longs, see {@link dev.natrecon.decode.Addresses}) and a port or ICMP id: the hash key of
 * the table's by-source index ({@link ConntrackTable}) and of the expectations' by-destination index
 * ({@link ExpectationTable}).
 *
 * <p>equals and hashCode are written out: a record's generated ones are method-handle chains spun at run time (some
 * 30 classes for this record) and run through those chains under C1, on every SIP message's expectation lookup. The
 * hash is the generated one's own formula (31 * h + component hash, in component order), so hash orders are unchanged.
 */
record AddressPort(int protocol, long hi, long lo, int port) {
    @Override
    public boolean equals(Object o) {
        return o instanceof AddressPort k && k.protocol == protocol && k.hi == hi && k.lo == lo && k.port == port;
    }

    @Override
    public int hashCode() {
        return ((Integer.hashCode(protocol) * 31 + Long.hashCode(hi)) * 31 + Long.hashCode(lo)) * 31 + Integer.hashCode(port);
    }
}
