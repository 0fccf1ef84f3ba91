package dev.natrecon.conntrack;

import dev.natrecon.conntrack.NatMatch.AddressRange;
import dev.natrecon.conntrack.NatMatch.AddressSet;
import dev.natrecon.conntrack.NatMatch.Names;
import dev.natrecon.conntrack.NatMatch.PortRange;
import dev.natrecon.conntrack.NatMatch.Ports;
import dev.natrecon.conntrack.NatMatch.Protocols;
import dev.natrecon.conntrack.NatRuleset.HelperRule;
import dev.natrecon.conntrack.NatRuleset.ParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code iptables-save} / {@code ip6tables-save} output into a {@link NatRuleset}: the {@code *nat} table's
 * built-in chains (PREROUTING, INPUT, OUTPUT, POSTROUTING, each one chain in rule order) and {@code -j CT --helper}
 * rules of any table. See {@link NatRuleset} for what is read and refused.
 */
final class IptablesSaveParser {
    private IptablesSaveParser() {
    }

    private static final Set<String> BUILTIN = Set.of("PREROUTING", "INPUT", "OUTPUT", "POSTROUTING", "FORWARD");

    static NatRuleset parse(String text) {
        String[] lines = text.split("\n", -1);
        int family = text.contains("ip6tables-save") ? 6 : 4;
        List<NatRule> rules = new ArrayList<>();
        List<HelperRule> helpers = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, int[]> notModelled = new LinkedHashMap<>(); // "table/chain" -> {first line, count}
        String table = null;
        for (int n = 0; n < lines.length; n++) {
            int number = n + 1;
            String line = lines[n].trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            if (line.startsWith("*")) {
                table = line.substring(1);
                continue;
            }
            if (line.equals("COMMIT")) {
                table = null;
                continue;
            }
            if (table == null) throw new ParseException(number, line, "outside a *table … COMMIT block");
            if (line.startsWith(":")) {
                String[] w = line.substring(1).split("\\s+");
                if (!table.equals("nat") && w.length > 1 && (w[1].equals("DROP") || w[1].equals("REJECT"))) {
                    warnings.add("line " + number + ": " + line + ": policy " + w[1] + " is not modelled (the captures show what it dropped)");
                }
                continue;
            }
            if (line.startsWith("[")) line = line.substring(line.indexOf(']') + 1).trim(); // iptables-save -c counters
            List<String> t = tokens(line, number);
            if (t.size() < 2 || !t.get(0).equals("-A")) throw new ParseException(number, line, "expected -A CHAIN …");
            Rule r = new Rule(number, line, t, family);
            r.read();
            String chain = t.get(1);
            if (r.helper != null) {
                if (r.error != null) {
                    warnings.add("line " + number + ": " + line + ": " + r.error + " (helper rule not read)");
                    continue;
                }
                if (r.iifOrOif) {
                    warnings.add("line " + number + ": " + line + ": the interface match of a helper rule is not evaluated "
                            + "(the model assigns helpers by tuple)");
                }
                helpers.add(new HelperRule(r.match(), -1, r.helper, "line " + number + ": " + line));
                continue;
            }
            if (!table.equals("nat")) {
                notModelled.computeIfAbsent(table + "/" + chain, k -> new int[]{number, 0})[1]++;
                continue;
            }
            if (!BUILTIN.contains(chain)) {
                warnings.add("line " + number + ": " + line + ": chain " + chain + " is reached only by a jump, which the model "
                        + "does not follow; rule not evaluated");
                continue;
            }
            if (r.error != null) throw new ParseException(number, line, r.error);
            rules.add(r.natRule(chain));
        }
        for (Map.Entry<String, int[]> e : notModelled.entrySet()) {
            warnings.add("line " + e.getValue()[0] + ": " + e.getKey() + ": " + e.getValue()[1]
                    + " rule(s) not modelled (the captures show their effect)");
        }
        // one nat chain per hook: order by hook, keep rule order
        List<NatRule> ordered = new ArrayList<>();
        for (NatRule.Hook h : NatRule.Hook.values()) for (NatRule r : rules) if (r.hook() == h) ordered.add(r);
        return new NatRuleset(ordered, helpers, warnings);
    }

    /** Words of an iptables-save line; double-quoted strings (comments) are one word. */
    static List<String> tokens(String s, int number) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                StringBuilder sb = new StringBuilder();
                int j = i + 1;
                while (j < s.length() && s.charAt(j) != '"') {
                    if (s.charAt(j) == '\\' && j + 1 < s.length()) j++;
                    sb.append(s.charAt(j++));
                }
                if (j >= s.length()) throw new ParseException(number, s, "unclosed quote");
                out.add(sb.toString());
                i = j + 1;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j))) j++;
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static final class Rule {
        final int number;
        final String text;
        final List<String> t;
        int family;
        NatMatch m = NatMatch.ANY;
        String target;
        AddressRange to;
        int portMin = -1, portMax = -1, flags;
        String helper;
        boolean iifOrOif;
        String error;

        Rule(int number, String text, List<String> t, int family) {
            this.number = number;
            this.text = text;
            this.t = t;
            this.family = family;
        }

        ParseException fail(String why) {
            return new ParseException(number, text, why);
        }

        /** Reads options; an option the model cannot evaluate is kept in {@link #error} (raised for NAT rules only). */
        void read() {
            int i = 2;
            boolean neg = false;
            while (i < t.size()) {
                String o = t.get(i++);
                if (o.equals("!")) {
                    neg = true;
                    continue;
                }
                String v = i < t.size() ? t.get(i) : null;
                switch (o) {
                    case "-s", "--source", "--src", "-d", "--destination", "--dst" -> {
                        i++;
                        List<AddressRange> r = new ArrayList<>();
                        for (String a : need(v, o).split(",")) r.add(address(a));
                        AddressSet set = new AddressSet(r, neg);
                        m = o.startsWith("-s") || o.startsWith("--s") ? m.withSaddr(set) : m.withDaddr(set);
                    }
                    case "-i", "--in-interface", "-o", "--out-interface" -> {
                        i++;
                        Names names = new Names(List.of(need(v, o)), neg);
                        m = o.startsWith("-i") || o.startsWith("--in") ? m.withIif(names) : m.withOif(names);
                        iifOrOif = true;
                    }
                    case "-p", "--protocol" -> {
                        i++;
                        int p = NftParser.protocolNumber(need(v, o));
                        if (p < 0) throw fail("unknown protocol " + v);
                        m = m.withProtocol(new Protocols(Set.of(p), neg));
                    }
                    case "-m", "--match" -> {
                        i++;
                        if (!Set.of("udp", "tcp", "multiport", "comment", "conntrack", "state", "iprange", "sctp", "udplite")
                                .contains(need(v, o))) {
                            if (error == null) error = "match module " + v + " is not modelled";
                        }
                    }
                    case "--dport", "--destination-port", "--sport", "--source-port" -> {
                        i++;
                        Ports p = new Ports(List.of(portRange(need(v, o), ':')), neg);
                        m = o.equals("--dport") || o.equals("--destination-port") ? m.withDport(p) : m.withSport(p);
                    }
                    case "--dports", "--destination-ports", "--sports", "--source-ports" -> {
                        i++;
                        List<PortRange> r = new ArrayList<>();
                        for (String p : need(v, o).split(",")) r.add(portRange(p, ':'));
                        Ports p = new Ports(r, neg);
                        m = o.startsWith("--d") ? m.withDport(p) : m.withSport(p);
                    }
                    case "--src-range", "--dst-range" -> {
                        i++;
                        AddressSet set = new AddressSet(List.of(address(need(v, o))), neg);
                        m = o.startsWith("--src") ? m.withSaddr(set) : m.withDaddr(set);
                    }
                    case "--comment" -> i++;
                    case "--ctstate", "--state" -> {
                        i++;
                        if (neg || !List.of(need(v, o).split(",")).contains("NEW")) {
                            if (error == null) error = "a conntrack state other than NEW is not modelled in the nat table";
                        }
                    }
                    case "-j", "--jump", "-g", "--goto" -> {
                        i++;
                        target = need(v, o);
                    }
                    case "--to-source", "--to-destination", "--to" -> {
                        i++;
                        NftParser.Target tg = target(need(v, o));
                        to = tg.to();
                        portMin = tg.portMin();
                        portMax = tg.portMax();
                    }
                    case "--to-ports" -> {
                        i++;
                        PortRange p = portRange(need(v, o), '-');
                        portMin = p.min();
                        portMax = p.max();
                    }
                    case "--random" -> flags |= NatRule.RANDOM;
                    case "--random-fully" -> flags |= NatRule.FULLY_RANDOM;
                    case "--persistent" -> flags |= NatRule.PERSISTENT;
                    case "--helper" -> {
                        i++;
                        helper = need(v, o);
                    }
                    default -> {
                        if (error == null) error = "option " + o + " is not modelled";
                    }
                }
                neg = false;
            }
            if (m.saddr() != null && m.saddr().family() != 0) family = m.saddr().family();
        }

        String need(String v, String option) {
            if (v == null) throw fail(option + " needs a value");
            return v;
        }

        AddressRange address(String a) {
            try {
                return AddressRange.parse(a);
            } catch (IllegalArgumentException e) {
                throw fail("not an address, prefix or range: " + a);
            }
        }

        PortRange portRange(String v, char sep) {
            try {
                int d = v.indexOf(sep);
                return d < 0 ? new PortRange(Integer.parseInt(v), Integer.parseInt(v))
                        : new PortRange(Integer.parseInt(v.substring(0, d)), Integer.parseInt(v.substring(d + 1)));
            } catch (IllegalArgumentException e) {
                throw fail("not a port or port range: " + v);
            }
        }

        /** "a.b.c.d[-e.f.g.h][:p[-q]]", "[v6]:p", "v6". */
        NftParser.Target target(String spec) {
            String addr = spec, ports = null;
            if (spec.startsWith("[")) {
                int close = spec.indexOf(']');
                if (close < 0) throw fail("unclosed [ in " + spec);
                addr = spec.substring(1, close);
                if (spec.length() > close + 1) {
                    if (spec.charAt(close + 1) != ':') throw fail("unreadable NAT target " + spec);
                    ports = spec.substring(close + 2);
                }
            } else if (spec.indexOf(':') == spec.lastIndexOf(':')) {
                int colon = spec.indexOf(':');
                if (colon >= 0) {
                    addr = spec.substring(0, colon);
                    ports = spec.substring(colon + 1);
                }
            }
            AddressRange a = addr.isEmpty() ? null : address(addr);
            int min = -1, max = -1;
            if (ports != null) {
                PortRange p = portRange(ports, '-');
                min = p.min();
                max = p.max();
            }
            return new NftParser.Target(a, min, max);
        }

        NatMatch match() {
            return m.withFamily(family);
        }

        NatRule natRule(String chain) {
            NatRule.Hook hook = switch (chain) {
                case "PREROUTING" -> NatRule.Hook.PREROUTING;
                case "INPUT" -> NatRule.Hook.INPUT;
                case "OUTPUT" -> NatRule.Hook.OUTPUT;
                case "POSTROUTING" -> NatRule.Hook.POSTROUTING;
                default -> throw fail("no NAT in chain " + chain);
            };
            String origin = "line " + number + ": " + text;
            String chainName = "nat/" + chain;
            if (target == null) throw fail("rule without -j: no effect modelled");
            NatRule.Kind kind = switch (target) {
                case "MASQUERADE" -> NatRule.Kind.MASQUERADE;
                case "SNAT" -> NatRule.Kind.SNAT;
                case "DNAT" -> NatRule.Kind.DNAT;
                case "REDIRECT" -> NatRule.Kind.REDIRECT;
                case "ACCEPT", "RETURN" -> NatRule.Kind.ACCEPT;
                default -> throw fail("-j " + target + " is not modelled in the nat table (jumps to user chains are not followed)");
            };
            boolean ok = switch (kind) {
                case MASQUERADE -> hook == NatRule.Hook.POSTROUTING;
                case SNAT -> hook == NatRule.Hook.POSTROUTING || hook == NatRule.Hook.INPUT;
                case DNAT, REDIRECT -> hook == NatRule.Hook.PREROUTING || hook == NatRule.Hook.OUTPUT;
                case ACCEPT -> true;
            };
            if (!ok) throw fail("-j " + target + " in " + chain);
            if ((kind == NatRule.Kind.SNAT || kind == NatRule.Kind.DNAT) && to == null && portMin < 0) {
                throw fail("-j " + target + " without --to-" + (kind == NatRule.Kind.SNAT ? "source" : "destination"));
            }
            NatMatch mm = match();
            if (to != null && mm.family() == 0) mm = mm.withFamily(to.isV4() ? 4 : 6);
            return new NatRule(kind, hook, chainName, mm, to, portMin, portMax, flags, origin);
        }
    }
}
