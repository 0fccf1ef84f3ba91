package dev.natrecon.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * One instance per distinct short text a detector keeps for many rows or calls ("response 200 INVITE", "BYE from the
 * phone (caller)", "PCMU"): a row then holds a reference instead of its own copy. At most {@link #MAX} distinct
 * values are shared; past that (hostile input with ever-new method names) each text is kept as given.
 */
final class Names {
    /** Far more than the mechanisms, end reasons and codecs of any real case. */
    static final int MAX = 4096;
    private final Map<String, String> shared = new HashMap<>();

    /** The shared instance equal to {@code s} (null stays null). */
    String intern(String s) {
        if (s == null) return null;
        String known = shared.get(s);
        if (known != null) return known;
        if (shared.size() < MAX) shared.put(s, s);
        return s;
    }
}
