package dev.natrecon.detect;

import java.util.List;

/**
 * The documentation of one finding id, as {@code natrecon explain ID} prints it.
 *
 * @param id         stable dotted id ({@code nat.private_source_leak})
 * @param severity   the severity its findings usually carry (a detector may lower or raise one finding's)
 * @param title      one line
 * @param rule       when it fires, precisely enough to check by hand against the captures
 * @param thresholds the numbers it uses and where they come from (sysctl, kernel source), empty when none
 * @param fix        what to change on the router, the phone or the provider
 * @param references kernel sources, RFCs, ../shared/reference sections
 */
public record Rule(String id, Severity severity, String title, String rule, List<String> thresholds, String fix,
                   List<String> references) {
    public Rule {
        thresholds = List.copyOf(thresholds);
        references = List.copyOf(references);
        if (!id.matches("[a-z]+(\\.[a-z0-9_]+)+")) throw new IllegalArgumentException("not a dotted id: " + id);
    }
}
