package dev.natrecon.batch;

import java.util.Set;
import java.util.TreeSet;

/**
 * One case found in a batch's inputs.
 *
 * @param name      unique within the batch; the name of its output folder
 * @param rule      which discovery rule made it ("case settings", "pair by name: -lan/-wan", "lone capture" (a router capture or one side's),
 *                  "manifest row 3")
 * @param container where its files are (null for manifest rows, whose files are used in place)
 * @param settings  the case settings member (case.properties), or null
 * @param lan       the LAN capture member, or null (with a WAN member alone: that side's capture analysed alone)
 * @param wan       the WAN capture member, or null (with a LAN member alone: likewise)
 * @param router    the router capture member, or null
 * @param members   every member the case needs (settings, captures and the files its settings name)
 */
public record CaseSpec(String name, String rule, Container container, String settings, String lan, String wan,
                       String router, Set<String> members) {
    public CaseSpec {
        members = Set.copyOf(new TreeSet<>(members));
    }

    /** Where the case comes from, for tables: "tickets.tgz!4711/lan.pcap + …". */
    public String origin() {
        String where = container == null ? "" : container.label() + "!";
        if (settings != null) return where + settings;
        if (router != null) return where + router;
        if (lan == null || wan == null) return where + (lan == null ? wan : lan);
        return where + lan + " + " + wan;
    }

    CaseSpec withName(String n) {
        return new CaseSpec(n, rule, container, settings, lan, wan, router, members);
    }
}
