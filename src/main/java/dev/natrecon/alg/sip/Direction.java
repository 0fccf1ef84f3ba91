package dev.natrecon.alg.sip;

/**
 * Which way a message crossed the router: {@link #OUTBOUND} from the LAN to the WAN (the router's input is the LAN
 * copy, its output the WAN copy), {@link #INBOUND} from the WAN to the LAN (input WAN, output LAN).
 */
public enum Direction {
    OUTBOUND("out"),
    INBOUND("in");

    private final String label;

    Direction(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}
