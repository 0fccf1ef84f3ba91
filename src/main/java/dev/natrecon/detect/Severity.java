package dev.natrecon.detect;

import java.util.Locale;

/** How bad a finding is, in increasing order; {@code analyze --fail-on} compares against it. */
public enum Severity {
    /** Context a support engineer wants to see (the NAT's behaviour class, the SIP NAT tests); never a problem by itself. */
    INFO,
    /** Something that can break calls or registrations under some conditions, or a departure from a clean setup. */
    WARNING,
    /** Something that breaks calls or registrations, or shows the router doing something wrong. */
    ERROR;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The severity named (case-insensitive), or null. */
    public static Severity parse(String s) {
        for (Severity v : values()) if (v.name().equalsIgnoreCase(s)) return v;
        return null;
    }
}
