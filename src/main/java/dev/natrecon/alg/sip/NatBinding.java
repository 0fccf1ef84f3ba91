package dev.natrecon.alg.sip;

/** A NAT binding the captures showed: an internal endpoint (LAN view) and the external endpoint it had on the WAN. */
public record NatBinding(Endpoint internal, Endpoint external) {
    @Override
    public String toString() {
        return internal + "<->" + external;
    }
}
