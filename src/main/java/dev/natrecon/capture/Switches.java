package dev.natrecon.capture;

/**
 * The one rule of natrecon's comparison switches (system properties such as {@code -Dnatrecon.readAhead=off}, which
 * turn a faster path off to compare it with the plain one): a property is off when its value, spaces around it ignored,
 * is {@code off} in any case; absent or anything else leaves the default on.
 */
public final class Switches {
    private Switches() {
    }

    /** Whether system property {@code property} turns its path off. */
    public static boolean off(String property) {
        return "off".equalsIgnoreCase(System.getProperty(property, "").strip());
    }
}
