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
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads {@code nft list ruleset} output (the normalised form nft prints: one rule per line, blocks closed by a line
 * with {@code }}) into a {@link NatRuleset}. See {@link NatRuleset} for what is read and refused.
 */
final class NftParser {
    private NftParser() {
    }

    /** Named chain priorities of the ip/ip6/inet families (nftables' chain priority names). */
    private static final Map<String, Integer> PRIORITIES = Map.of("raw", -300, "mangle", -150, "dstnat", -100,
            "filter", 0, "security", 50, "srcnat", 100);

    private record Line(int number, String text) {
    }

    private static final class Table {
        final String family;
        final String name;
        final Map<String, List<String>> sets = new HashMap<>();
        final Map<String, String[]> helpers = new HashMap<>(); // name -> {type, l4proto}
        final List<Chain> chains = new ArrayList<>();

        Table(String family, String name) {
            this.family = family;
            this.name = name;
        }
    }

    private static final class Chain {
        final Table table;
        final String name;
        final int line;
        String type;
        NatRule.Hook hook;
        String hookName;
        int priority;
        String policy = "accept";
        final List<Line> rules = new ArrayList<>();
        final int order;

        Chain(Table table, String name, int line, int order) {
            this.table = table;
            this.name = name;
            this.line = line;
            this.order = order;
        }
    }

    static NatRuleset parse(String text) {
        String[] raw = text.split("\n", -1);
        List<Table> tables = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Table table = null;
        Chain chain = null;
        int chains = 0;
        for (int i = 0; i < raw.length; i++) {
            int number = i + 1;
            String line = raw[i].trim();
            if (line.isEmpty() || line.startsWith("#")) continue;
            // a rule or element list may continue on the next lines until its braces balance
            while (balance(line) > 0 && !opensBlock(line) && i + 1 < raw.length) line = line + " " + raw[++i].trim();
            if (line.equals("}")) {
                if (chain != null) chain = null;
                else if (table != null) table = null;
                else throw new ParseException(number, line, "unbalanced }");
                continue;
            }
            if (table == null) {
                String[] w = line.split("\\s+");
                if (w[0].equals("table") && w.length == 4 && w[3].equals("{")) {
                    table = new Table(w[1], w[2]);
                    tables.add(table);
                    if (!Set.of("ip", "ip6", "inet").contains(w[1])) {
                        warnings.add("line " + number + ": " + line + ": family " + w[1] + " has no NAT or helper rules the model reads");
                    }
                    continue;
                }
                throw new ParseException(number, line, "expected a table block");
            }
            if (chain == null) {
                String[] w = line.split("\\s+");
                if (w[0].equals("chain") && w.length == 3 && w[2].equals("{")) {
                    chain = new Chain(table, w[1], number, chains++);
                    table.chains.add(chain);
                    continue;
                }
                if (opensBlock(line)) { // set, map, ct helper, other objects: read to the closing brace
                    List<String> body = new ArrayList<>();
                    int depth = balance(line);
                    while (depth > 0 && i + 1 < raw.length) {
                        String next = raw[++i].trim();
                        depth += balance(next);
                        if (depth > 0) body.add(next); // the line that closes the block is its "}"
                    }
                    object(table, number, line, body, warnings);
                    continue;
                }
                if (line.startsWith("flags ") || line.startsWith("comment ")) continue; // table flags/comment
                throw new ParseException(number, line, "unexpected line in table " + table.name);
            }
            if (line.startsWith("type ")) {
                chainHeader(chain, number, line);
                continue;
            }
            if (line.startsWith("comment ") || line.startsWith("devices ")) continue; // chain comment, netdev devices
            chain.rules.add(new Line(number, line));
        }
        if (table != null) throw new ParseException(raw.length, "", "table " + table.name + " is not closed");

        List<NatRule> rules = new ArrayList<>();
        List<HelperRule> helperRules = new ArrayList<>();
        List<Chain> all = new ArrayList<>();
        for (Table t : tables) all.addAll(t.chains);
        all.sort(Comparator.<Chain>comparingInt(c -> c.hook == null ? 99 : c.hook.ordinal())
                .thenComparingInt(c -> c.priority).thenComparingInt(c -> c.order));
        for (Chain c : all) {
            if (!Set.of("ip", "ip6", "inet").contains(c.table.family)) continue;
            boolean nat = "nat".equals(c.type);
            if (c.hookName == null && !c.rules.isEmpty()) {
                warnings.add("line " + c.line + ": chain " + c.table.name + "/" + c.name + ": a regular chain is reached only by "
                        + "jump/goto, which the model does not follow; its " + c.rules.size() + " rule(s) are not evaluated");
                continue;
            }
            if (!nat && !"accept".equals(c.policy)) {
                warnings.add("line " + c.line + ": chain " + c.table.name + "/" + c.name + ": policy " + c.policy
                        + " is not modelled (the captures show what it dropped)");
            }
            int filterRules = 0, firstFilter = 0;
            for (Line l : c.rules) {
                if (nat) {
                    NatRule r = natRule(c, l);
                    if (r != null) rules.add(r);
                } else if (l.text.contains("ct helper set ")) {
                    HelperRule h = helperRule(c, l, warnings);
                    if (h != null) helperRules.add(h);
                } else {
                    if (filterRules++ == 0) firstFilter = l.number;
                }
            }
            if (filterRules > 0) {
                warnings.add("line " + firstFilter + ": chain " + c.table.name + "/" + c.name + ": " + filterRules + " "
                        + (c.type == null ? "" : c.type + " ") + "rule(s) not modelled (the captures show their effect)");
            }
        }
        return new NatRuleset(rules, helperRules, warnings);
    }

    private static boolean opensBlock(String line) {
        if (!line.endsWith("{")) return false;
        String first = line.split("\\s+")[0];
        return Set.of("table", "chain", "set", "map", "ct", "flowtable", "counter", "quota", "limit", "secmark", "synproxy",
                "tunnel").contains(first);
    }

    /** Opening minus closing braces outside quotes. */
    private static int balance(String s) {
        int b = 0;
        boolean q = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') q = !q;
            else if (!q && c == '{') b++;
            else if (!q && c == '}') b--;
        }
        return b;
    }

    private static void object(Table table, int number, String head, List<String> body, List<String> warnings) {
        String[] w = head.split("\\s+");
        if (w[0].equals("set") && w.length == 3) {
            StringBuilder elements = null;
            for (String b : body) {
                if (b.startsWith("elements = ")) elements = new StringBuilder(b.substring("elements = ".length()));
                else if (elements != null && balance(elements.toString()) > 0) elements.append(' ').append(b);
            }
            List<String> values = new ArrayList<>();
            if (elements != null) {
                for (String tok : tokens(elements.toString())) if (!tok.equals("{") && !tok.equals("}") && !tok.equals(",")) values.add(tok);
            }
            table.sets.put(w[1], values);
            return;
        }
        if (w[0].equals("ct") && w.length == 4 && w[1].equals("helper")) {
            String type = null, proto = null;
            for (String b : body) {
                List<String> t = tokens(b.replace(";", " "));
                for (int k = 0; k + 1 < t.size(); k++) {
                    if (t.get(k).equals("type")) type = unquote(t.get(k + 1));
                    if (t.get(k).equals("protocol")) proto = t.get(k + 1);
                }
            }
            if (type == null) {
                warnings.add("line " + number + ": " + head + ": helper object without a type");
                return;
            }
            table.helpers.put(unquote(w[2]), new String[]{type, proto});
            return;
        }
        warnings.add("line " + number + ": " + head + " … }: object not modelled");
    }

    private static void chainHeader(Chain c, int number, String line) {
        for (String part : line.split(";")) {
            List<String> t = tokens(part.trim());
            if (t.isEmpty()) continue;
            if (t.get(0).equals("type")) {
                if (t.size() < 4 || !t.get(2).equals("hook")) throw new ParseException(number, line, "unreadable chain type");
                c.type = t.get(1);
                c.hookName = t.get(3);
                c.hook = switch (t.get(3)) {
                    case "prerouting" -> NatRule.Hook.PREROUTING;
                    case "input" -> NatRule.Hook.INPUT;
                    case "output" -> NatRule.Hook.OUTPUT;
                    case "postrouting" -> NatRule.Hook.POSTROUTING;
                    default -> null; // forward, ingress: no NAT there
                };
                int p = t.indexOf("priority");
                if (p > 0) c.priority = priority(t.subList(p + 1, t.size()), number, line);
                if (c.hook == null && "nat".equals(c.type)) throw new ParseException(number, line, "nat chain on hook " + t.get(3));
            } else if (t.get(0).equals("policy") && t.size() > 1) {
                c.policy = t.get(1);
            }
        }
    }

    private static int priority(List<String> t, int number, String line) {
        int value = 0, sign = 1;
        for (String s : t) {
            if (s.equals("+")) sign = 1;
            else if (s.equals("-")) sign = -1;
            else if (PRIORITIES.containsKey(s)) value += sign * PRIORITIES.get(s);
            else {
                try {
                    value += sign * Integer.parseInt(s);
                } catch (NumberFormatException e) {
                    throw new ParseException(number, line, "unknown chain priority " + s);
                }
            }
        }
        return value;
    }

    // ---- rules

    /** Tokens of an nft rule: quoted strings (with their quotes), braces, commas, "!=", and words. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int j = s.indexOf('"', i + 1);
                if (j < 0) j = s.length() - 1;
                out.add(s.substring(i, j + 1));
                i = j + 1;
            } else if (c == '{' || c == '}' || c == ',') {
                out.add(String.valueOf(c));
                i++;
            } else {
                int j = i;
                while (j < s.length() && !Character.isWhitespace(s.charAt(j)) && "{},\"".indexOf(s.charAt(j)) < 0) j++;
                out.add(s.substring(i, j));
                i = j;
            }
        }
        return out;
    }

    private static String unquote(String s) {
        return s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"") ? s.substring(1, s.length() - 1) : s;
    }

    /** Reads one rule's tokens; keeps the match and the statement words. */
    private static final class RuleReader {
        final Chain chain;
        final Line line;
        final List<String> t;
        int i;
        int family;
        NatMatch m = NatMatch.ANY;
        boolean interfaceMatch;

        RuleReader(Chain chain, Line line) {
            this.chain = chain;
            this.line = line;
            this.t = tokens(line.text);
            this.family = switch (chain.table.family) {
                case "ip" -> 4;
                case "ip6" -> 6;
                default -> 0;
            };
        }

        ParseException error(String why) {
            return new ParseException(line.number, line.text, why);
        }

        boolean more() {
            return i < t.size();
        }

        String peek() {
            return i < t.size() ? t.get(i) : "";
        }

        String next() {
            if (i >= t.size()) throw error("unexpected end of rule");
            return t.get(i++);
        }

        /** Reads the matches; stops at the first word that is not a match (the statement), returns it (or ""). */
        String matches() {
            while (more()) {
                String w = peek();
                switch (w) {
                    case "iifname", "oifname", "iif", "oif" -> {
                        i++;
                        names(w.startsWith("i"));
                    }
                    case "meta" -> {
                        i++;
                        String key = next();
                        switch (key) {
                            case "iifname", "oifname", "iif", "oif" -> names(key.startsWith("i"));
                            case "l4proto" -> protocols();
                            case "nfproto" -> {
                                boolean neg = negation();
                                String f = next();
                                int fam = f.equals("ipv4") ? 4 : f.equals("ipv6") ? 6 : -1;
                                if (fam < 0 || neg) throw error("meta nfproto " + f + " is not modelled");
                                family(fam);
                            }
                            default -> throw error("meta " + key + " is not modelled");
                        }
                    }
                    case "ip", "ip6" -> {
                        i++;
                        String key = next();
                        family(w.equals("ip") ? 4 : 6);
                        switch (key) {
                            case "saddr", "daddr" -> addresses(key.equals("saddr"));
                            case "protocol", "nexthdr" -> protocols();
                            default -> throw error(w + " " + key + " is not modelled");
                        }
                    }
                    case "udp", "tcp", "udplite", "sctp", "dccp", "th" -> {
                        if (i + 1 >= t.size() || !Set.of("sport", "dport").contains(t.get(i + 1))) return w;
                        i++;
                        boolean src = next().equals("sport");
                        ports(src);
                        if (!w.equals("th") && m.protocol() == null) m = m.withProtocol(Protocols.of(protocolNumber(w)));
                    }
                    case "ct" -> {
                        if (i + 1 < t.size() && t.get(i + 1).equals("state")) {
                            i += 2;
                            boolean neg = negation();
                            List<String> states = values();
                            if (neg || !states.contains("new")) throw error("ct state other than new is not modelled in a NAT chain");
                        } else {
                            return w; // ct helper set … (statement)
                        }
                    }
                    case "counter" -> {
                        i++;
                        if (peek().equals("packets")) i += 4; // counter packets N bytes M
                    }
                    case "comment" -> {
                        i++;
                        next();
                    }
                    case "log" -> {
                        i++;
                        while (Set.of("prefix", "level", "flags", "group", "snaplen", "queue-threshold").contains(peek())) i += 2;
                    }
                    default -> {
                        return w;
                    }
                }
            }
            return "";
        }

        void family(int f) {
            if (family != 0 && family != f) throw error("the rule mixes IPv4 and IPv6");
            family = f;
        }

        boolean negation() {
            if (peek().equals("!=")) {
                i++;
                return true;
            }
            if (peek().equals("==")) i++;
            return false;
        }

        /** One value, an anonymous set "{ a, b }" or a named set "@name". */
        List<String> values() {
            String v = next();
            List<String> out = new ArrayList<>();
            if (v.equals("{")) {
                while (!peek().equals("}")) {
                    String x = next();
                    if (!x.equals(",")) out.add(x);
                }
                i++;
            } else if (v.startsWith("@")) {
                List<String> set = chain.table.sets.get(v.substring(1));
                if (set == null) throw error("unknown set " + v);
                out.addAll(set);
            } else if (v.equals(".")) {
                throw error("concatenations are not modelled");
            } else {
                out.add(v);
            }
            if (peek().equals(".")) throw error("concatenations are not modelled");
            if (peek().equals("map") || peek().equals("vmap")) throw error("maps are not modelled");
            return out;
        }

        void names(boolean input) {
            boolean neg = negation();
            List<String> v = new ArrayList<>();
            for (String s : values()) v.add(unquote(s));
            if ((input ? m.iif() : m.oif()) != null) throw error("two interface matches on one side are not modelled");
            interfaceMatch = true;
            m = input ? m.withIif(new Names(v, neg)) : m.withOif(new Names(v, neg));
        }

        void addresses(boolean source) {
            boolean neg = negation();
            List<AddressRange> r = new ArrayList<>();
            for (String s : values()) {
                try {
                    r.add(AddressRange.parse(s));
                } catch (IllegalArgumentException e) {
                    throw error("not an address, prefix or range: " + s);
                }
            }
            if ((source ? m.saddr() : m.daddr()) != null) throw error("two address matches on one side are not modelled");
            AddressSet set = new AddressSet(r, neg);
            m = source ? m.withSaddr(set) : m.withDaddr(set);
        }

        void protocols() {
            boolean neg = negation();
            Set<Integer> s = new TreeSet<>();
            for (String v : values()) s.add(protocolNumber(v));
            if (m.protocol() != null) throw error("two protocol matches are not modelled");
            m = m.withProtocol(new Protocols(s, neg));
        }

        int protocolNumber(String name) {
            int n = NftParser.protocolNumber(name);
            if (n < 0) throw error("unknown protocol " + name);
            return n;
        }

        void ports(boolean source) {
            boolean neg = negation();
            List<PortRange> r = new ArrayList<>();
            for (String v : values()) r.add(portRange(v, '-'));
            if ((source ? m.sport() : m.dport()) != null) throw error("two port matches on one side are not modelled");
            Ports p = new Ports(r, neg);
            m = source ? m.withSport(p) : m.withDport(p);
        }

        PortRange portRange(String v, char dash) {
            try {
                int d = v.indexOf(dash);
                return d < 0 ? new PortRange(Integer.parseInt(v), Integer.parseInt(v))
                        : new PortRange(Integer.parseInt(v.substring(0, d)), Integer.parseInt(v.substring(d + 1)));
            } catch (IllegalArgumentException e) {
                throw error("not a port or port range: " + v);
            }
        }

        NatMatch match() {
            int f = family;
            if (f == 0 && m.saddr() != null) f = m.saddr().family();
            if (f == 0 && m.daddr() != null) f = m.daddr().family();
            return m.withFamily(f);
        }

        /** Flags after a NAT statement: "random", "fully-random", "persistent", possibly comma-separated. */
        int flags() {
            int flags = 0;
            while (more()) {
                String w = peek();
                if (w.equals(",")) {
                    i++;
                } else if (w.equals("random")) {
                    flags |= NatRule.RANDOM;
                    i++;
                } else if (w.equals("fully-random")) {
                    flags |= NatRule.FULLY_RANDOM;
                    i++;
                } else if (w.equals("persistent")) {
                    flags |= NatRule.PERSISTENT;
                    i++;
                } else {
                    break;
                }
            }
            return flags;
        }

        void end() {
            while (more()) {
                String w = next();
                if (w.equals("comment")) next();
                else throw error("unexpected \"" + w + "\" after the NAT statement");
            }
        }
    }

    static int protocolNumber(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "tcp" -> 6;
            case "udp" -> 17;
            case "icmp" -> 1;
            case "ipv6-icmp", "icmpv6" -> 58;
            case "udplite" -> 136;
            case "sctp" -> 132;
            case "dccp" -> 33;
            case "gre" -> 47;
            case "esp" -> 50;
            case "ah" -> 51;
            default -> {
                try {
                    int n = Integer.parseInt(name);
                    yield n >= 0 && n <= 255 ? n : -1;
                } catch (NumberFormatException e) {
                    yield -1;
                }
            }
        };
    }

    private static NatRule natRule(Chain c, Line l) {
        RuleReader r = new RuleReader(c, l);
        String stmt = r.matches();
        if (stmt.isEmpty()) return null; // matches and counters only: no effect on NAT
        r.i++;
        String chainName = c.table.family + " " + c.table.name + "/" + c.name;
        String origin = "line " + l.number + ": " + l.text;
        switch (stmt) {
            case "accept", "return" -> {
                r.end();
                return new NatRule(NatRule.Kind.ACCEPT, c.hook, chainName, r.match(), null, -1, -1, 0, origin);
            }
            case "masquerade", "redirect" -> {
                boolean masq = stmt.equals("masquerade");
                if (masq && c.hook != NatRule.Hook.POSTROUTING) throw r.error("masquerade outside postrouting");
                if (!masq && c.hook != NatRule.Hook.PREROUTING && c.hook != NatRule.Hook.OUTPUT) throw r.error("redirect outside prerouting/output");
                int[] ports = {-1, -1};
                if (r.peek().equals("to")) {
                    r.i++;
                    String spec = r.next();
                    if (!spec.startsWith(":")) throw r.error("expected \"to :port\" after " + stmt);
                    PortRange p = r.portRange(spec.substring(1), '-');
                    ports = new int[]{p.min(), p.max()};
                }
                int flags = r.flags();
                r.end();
                return new NatRule(masq ? NatRule.Kind.MASQUERADE : NatRule.Kind.REDIRECT, c.hook, chainName, r.match(), null,
                        ports[0], ports[1], flags, origin);
            }
            case "snat", "dnat" -> {
                boolean snat = stmt.equals("snat");
                if (snat && c.hook != NatRule.Hook.POSTROUTING && c.hook != NatRule.Hook.INPUT) throw r.error("snat outside postrouting/input");
                if (!snat && c.hook != NatRule.Hook.PREROUTING && c.hook != NatRule.Hook.OUTPUT) throw r.error("dnat outside prerouting/output");
                if (r.peek().equals("ip") || r.peek().equals("ip6")) r.family(r.next().equals("ip") ? 4 : 6);
                if (!r.next().equals("to")) throw r.error("expected \"to\" after " + stmt);
                String spec = r.next();
                if (r.peek().equals("map") || spec.equals("ip") || spec.equals("ip6")) throw r.error("NAT maps are not modelled");
                Target target = target(spec, r);
                int flags = r.flags();
                r.end();
                NatMatch m = r.match();
                if (m.family() == 0 && target.to != null) m = m.withFamily(target.to.isV4() ? 4 : 6);
                return new NatRule(snat ? NatRule.Kind.SNAT : NatRule.Kind.DNAT, c.hook, chainName, m, target.to,
                        target.portMin, target.portMax, flags, origin);
            }
            default -> throw r.error("\"" + stmt + "\" is not modelled in a NAT chain");
        }
    }

    record Target(AddressRange to, int portMin, int portMax) {
    }

    /** "a.b.c.d", "a.b.c.d:p", "a.b.c.d-e.f.g.h:p-q", "[v6]:p", "v6", "v6-v6". */
    static Target target(String spec, RuleReader r) {
        String addr = spec, ports = null;
        if (spec.startsWith("[")) {
            int close = spec.indexOf(']');
            if (close < 0) throw r.error("unclosed [ in " + spec);
            addr = spec.substring(1, close);
            String rest = spec.substring(close + 1);
            if (rest.startsWith(":")) ports = rest.substring(1);
            else if (!rest.isEmpty()) throw r.error("unreadable NAT target " + spec);
        } else if (spec.indexOf(':') == spec.lastIndexOf(':')) { // IPv4 (at most one colon): address[-address][:ports]
            int colon = spec.indexOf(':');
            if (colon >= 0) {
                addr = spec.substring(0, colon);
                ports = spec.substring(colon + 1);
            }
        }
        AddressRange to = null;
        if (!addr.isEmpty()) {
            try {
                to = AddressRange.parse(addr);
            } catch (IllegalArgumentException e) {
                throw r.error("not an address or address range: " + addr);
            }
            if (addr.contains("/")) throw r.error("a prefix as NAT target is not modelled: " + addr);
        }
        int min = -1, max = -1;
        if (ports != null) {
            PortRange p = r.portRange(ports, '-');
            min = p.min();
            max = p.max();
        }
        if (to == null && min < 0) throw r.error("empty NAT target " + spec);
        return new Target(to, min, max);
    }

    private static HelperRule helperRule(Chain c, Line l, List<String> warnings) {
        RuleReader r = new RuleReader(c, l);
        String stmt;
        try {
            stmt = r.matches();
        } catch (ParseException e) {
            warnings.add(e.getMessage() + " (helper rule not read)");
            return null;
        }
        if (!stmt.equals("ct") || r.i + 3 >= r.t.size() || !r.t.subList(r.i, r.i + 3).equals(List.of("ct", "helper", "set"))) {
            warnings.add("line " + l.number + ": " + l.text + ": rule not modelled");
            return null;
        }
        r.i += 3;
        String name = unquote(r.next());
        String[] helper = c.table.helpers.get(name);
        if (helper == null) {
            warnings.add("line " + l.number + ": " + l.text + ": no ct helper object \"" + name + "\" in table " + c.table.name);
            return null;
        }
        if (c.hook != NatRule.Hook.PREROUTING && c.hook != NatRule.Hook.OUTPUT) {
            warnings.add("line " + l.number + ": " + l.text + ": helper assignment on hook " + c.hookName + " not modelled");
            return null;
        }
        if (r.interfaceMatch) {
            warnings.add("line " + l.number + ": " + l.text + ": the interface match of a helper rule is not evaluated "
                    + "(the model assigns helpers by tuple)");
        }
        int proto = helper[1] == null ? -1 : protocolNumber(helper[1]);
        return new HelperRule(r.match(), proto, helper[0], "line " + l.number + ": " + l.text);
    }
}
