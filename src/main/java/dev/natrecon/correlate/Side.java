package dev.natrecon.correlate;

/** The two capture points of a NAT router. */
public enum Side {
    LAN("lan"),
    WAN("wan");

    private final String label;

    Side(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public Side other() {
        return this == LAN ? WAN : LAN;
    }
}
