package dev.natrecon.detect;

import java.util.HashSet;
import java.util.Set;

/**
 * The distinct keys a bounded detector left out once its bound was reached, counted each once as far as a second bound
 * of the same size allows (past it every further occurrence counts: the count is then an upper bound, and the report's
 * limit notice says the bound was hit either way). Keeps the state of a flood bounded while a limit notice stays
 * truthful about "how many".
 */
final class OverflowCount {
    private final int max;
    private final Set<String> seen = new HashSet<>();

    /** {@code max}: distinct keys remembered at most. */
    OverflowCount(int max) {
        this.max = max;
    }

    /** Whether {@code key} is to be counted: the first time it is seen, or always once {@code max} keys are held. */
    boolean add(String key) {
        if (seen.size() >= max) return true;
        return seen.add(key);
    }
}
