package dev.natrecon.conntrack;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Function;

/**
 * The router's NAT rules and helper assignments, in evaluation order, read from {@code nft list ruleset} or
 * {@code iptables-save} text ({@link #parse}); no file I/O here, the caller hands in the text.
 *
 * <p>What is read: base chains of {@code type nat} (nftables) or the {@code *nat} table (iptables) with their hook,
 * priority and rules — matches on {@code iifname/oifname} ({@code -i/-o}, wildcards {@code *}/{@code +}), source and
 * destination addresses (prefixes, ranges, anonymous and named sets, negation), layer-4 protocol, source and
 * destination ports (sets, ranges, {@code -m multiport}); statements {@code masquerade}, {@code snat}, {@code dnat},
 * {@code redirect} with an optional port range and the flags {@code random}, {@code fully-random},
 * {@code persistent}, and {@code accept}/{@code return}; {@code counter}, {@code comment} and {@code log} are ignored.
 * Helper assignments: {@code ct helper set "name"} (nftables, with the {@code ct helper} object's type and protocol)
 * and {@code -j CT --helper name} (iptables).
 *
 * <p>What is refused: anything in a NAT chain the model cannot evaluate (jumps, maps, concatenations, marks, other
 * statements) throws {@link ParseException} naming the line — a NAT rule read wrongly would silently change every
 * mapping. Things outside NAT (filter rules and policies, other objects) and a helper rule's interface matches are
 * recorded in {@link #warnings()} with their line: the model does not evaluate them; the captures show their effect.
 */
public final class NatRuleset {
    private final List<NatRule> rules;
    private final List<HelperRule> helpers;
    private final List<String> warnings;

    public NatRuleset(List<NatRule> rules, List<HelperRule> helpers, List<String> warnings) {
        this.rules = List.copyOf(rules);
        this.helpers = List.copyOf(helpers);
        this.warnings = List.copyOf(warnings);
    }

    public static NatRuleset of(NatRule... rules) {
        return new NatRuleset(List.of(rules), List.of(), List.of());
    }

    public static NatRuleset of(List<NatRule> rules) {
        return new NatRuleset(rules, List.of(), List.of());
    }

    /**
     * Parses {@code nft list ruleset} output (recognised by {@code table} blocks) or {@code iptables-save} /
     * {@code ip6tables-save} output (recognised by {@code *table} lines and {@code -A} rules).
     *
     * @throws ParseException for a construct in a NAT chain that cannot be modelled, or text that is neither format
     */
    /** {@link #parse(String)} of the file {@code source}: an error reads "router.nft: line 4: …". */
    public static NatRuleset parse(String text, String source) {
        try {
            return parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage(), e);
        }
    }

    public static NatRuleset parse(String text) {
        try {
            return parseText(text);
        } catch (ParseException e) {
            throw e;
        } catch (RuntimeException e) { // a parser bug must still read as "this file", never as a crash
            throw new IllegalArgumentException("unreadable ruleset (" + e + ")", e);
        }
    }

    private static NatRuleset parseText(String text) {
        for (String raw : text.split("\n", -1)) {
            String line = raw.trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("table ")) return NftParser.parse(text);
            if (line.startsWith("*") || line.startsWith("-A ") || line.startsWith(":")) return IptablesSaveParser.parse(text);
            throw new ParseException(lineNumber(text, raw), line, "neither nft list ruleset nor iptables-save output");
        }
        return new NatRuleset(List.of(), List.of(), List.of());
    }

    private static int lineNumber(String text, String line) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) if (lines[i].equals(line)) return i + 1;
        return 0;
    }

    /** Every NAT rule, hooks in packet order (PREROUTING, INPUT, OUTPUT, POSTROUTING), chains by priority. */
    public List<NatRule> rules() {
        return rules;
    }

    /** The rules of one hook in evaluation order. */
    public List<NatRule> rules(NatRule.Hook hook) {
        List<NatRule> out = new ArrayList<>();
        for (NatRule r : rules) if (r.hook() == hook) out.add(r);
        return Collections.unmodifiableList(out);
    }

    public List<HelperRule> helpers() {
        return helpers;
    }

    /** Lines the model does not evaluate, each as "line N: text: why". */
    public List<String> warnings() {
        return warnings;
    }

    /**
     * The helper a new entry gets from the ruleset (nft_ct.c:nft_ct_helper_obj_eval assigns it to an unconfirmed
     * entry whose layer-4 protocol is the helper object's), or null: the first helper rule that matches the
     * packet's tuple. Interface matches of helper rules are not evaluated (see {@link #warnings()}).
     */
    public String helperFor(ConntrackTuple t) {
        for (HelperRule h : helpers) {
            if ((h.protocol() < 0 || h.protocol() == t.protocol()) && h.match().matches(t, null, null)) return h.helper();
        }
        return null;
    }

    /** {@link #helperFor} as the function {@link ConntrackModel} takes. */
    public Function<ConntrackTuple, String> helperFunction() {
        return this::helperFor;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (NatRule r : rules) sb.append(r).append('\n');
        for (HelperRule h : helpers) sb.append(h).append('\n');
        return sb.toString();
    }

    /**
     * A helper assignment: packets matching {@code match} (and of {@code protocol}, -1 for any) get helper
     * {@code helper} (the helper's own name as {@code conntrack -E} prints it, e.g. "sip").
     */
    public record HelperRule(NatMatch match, int protocol, String helper, String origin) {
        @Override
        public String toString() {
            return "helper " + helper + ": " + match + (protocol >= 0 ? " proto " + protocol : "");
        }
    }

    /** A ruleset line the model cannot take: names the line, its text and why. */
    public static final class ParseException extends IllegalArgumentException {
        private final int line;

        public ParseException(int line, String text, String why) {
            super("line " + line + ": " + (text.isEmpty() ? "" : text + ": ") + why);
            this.line = line;
        }

        public int line() {
            return line;
        }
    }
}
