package dev.natrecon.alg.sip;

/** One address:port the router translated in a packet: {@code in} as the router received it, {@code out} as it sent it. */
public record Translation(Endpoint in, Endpoint out) {
    @Override
    public String toString() {
        return in + "->" + out;
    }
}
