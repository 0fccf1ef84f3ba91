package dev.natrecon.alg.sip;

/** The two capture points the rewrite analysis compares: the router's LAN side and its WAN side. */
public enum CapturePoint {
    LAN("lan"),
    WAN("wan");

    private final String label;

    CapturePoint(String label) {
        this.label = label;
    }

    /** "lan" or "wan", as in the CSV outputs. */
    public String label() {
        return label;
    }
}
