package dev.natrecon.capture;

/**
 * A named, counted kind of malformed or surprising input. Ids are dotted, lower case and stable once released
 * ({@code decode.ipv4.truncated_header}); they appear in summaries, CSV and tests, so people can grep for them.
 */
public interface Anomaly {
    /** Stable dotted id. */
    String id();

    /** One sentence for a person. */
    String description();

    /** Whether this anomaly means a resource bound was reached ({@link Bound}); reports list those as notes. */
    default boolean bound() {
        return false;
    }
}
