package dev.natrecon.batch;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Finds the cases in a batch's inputs, in this order of rules, and lists every file that fits none:
 * <ol>
 * <li>a folder holding {@code case.properties} is one case with everything under it;</li>
 * <li>two captures in one folder whose names mark them as the two sides: exactly {@code lan}/{@code wan} (also
 * inside/outside, int/ext, internal/external, private/public), or one stem with those words as a suffix or prefix
 * ({@code call7-lan.pcap}, {@code call7_wan.pcapng.gz}, {@code lan-call7.pcap});</li>
 * <li>any other capture on its own: a lone capture, analysed as a router capture when it holds several interfaces
 * ({@code tcpdump -i any -y LINUX_SLL2}, pcapng), else as one side's capture ({@code engine.LoneCapture}).</li>
 * </ol>
 * A manifest CSV (columns case, lan, wan, router, settings; paths relative to the manifest) lists its cases itself.
 *
 * <p>Every case name becomes a folder under OUT/cases, so it is made one safe path part whatever the input says
 * ({@link #name}: letters, digits, '.', '_' and '-', no leading '.' or '-', at most {@link #MAX_NAME} characters) and
 * unique ignoring case; a manifest name that had to change says so in the case's rule. Unsafe archive members, links
 * and unreadable subfolders are unmatched rows with their reason ({@link Container#rejected()}).
 */
public final class CaseDiscovery {
    /** A file that fits no case, and why; {@code broken} when it could not even be read (a damaged archive). */
    public record Unmatched(String file, String reason, boolean broken) {
        Unmatched(String file, String reason) {
            this(file, reason, false);
        }
    }

    /** The cases and the left-over files. */
    public record Found(List<CaseSpec> cases, List<Unmatched> unmatched) {
    }

    static final Pattern CAPTURE = Pattern.compile("(?i)^(.*?)\\.(pcap|pcapng|cap)(\\.(gz|zst|xz))?$");
    /** Side words, inside side first; index i and i+1 are a pair. */
    static final List<String> SIDES = List.of("lan", "wan", "inside", "outside", "internal", "external", "int", "ext",
            "private", "public");
    static final Pattern SUFFIX = Pattern.compile("(?i)^(.+?)[-_.](" + String.join("|", SIDES) + ")$");
    static final Pattern PREFIX = Pattern.compile("(?i)^(" + String.join("|", SIDES) + ")[-_.](.+)$");

    /** The rule of a folder holding case settings. */
    static final String SETTINGS_RULE = "case settings";
    /**
     * Longest case name, so that OUT/cases/NAME and its temporary siblings ({@code .NAME.partial-} and 16 hex digits)
     * stay well inside a file system's 255-byte name limit; longer names keep their start and a hash of the rest.
     */
    static final int MAX_NAME = 120;

    private CaseDiscovery() {
    }

    /** Every case of every input, named uniquely, in input order. */
    public static Found find(List<Path> inputs) throws IOException {
        List<CaseSpec> cases = new ArrayList<>();
        List<Unmatched> unmatched = new ArrayList<>();
        for (Path input : inputs) {
            String n = input.getFileName() == null ? "" : input.getFileName().toString().toLowerCase(Locale.ROOT);
            if (Files.isRegularFile(input) && n.endsWith(".csv")) {
                cases.addAll(manifest(input, unmatched));
                continue;
            }
            if (!Files.exists(input)) throw new IOException(input + ": no such file or folder");
            Container c;
            try {
                c = Container.of(input);
            } catch (IOException e) {
                unmatched.add(new Unmatched(input.toString(), e.getMessage(), true));
                continue;
            }
            if (c == null && CAPTURE.matcher(n).matches()) {
                Path parent = input.toAbsolutePath().getParent();
                FolderContainer folder = new FolderContainer(parent);
                String stem = stem(input.getFileName().toString());
                cases.add(new CaseSpec(stem, "lone capture", folder, null, null, null,
                        input.getFileName().toString(), Set.of(input.getFileName().toString())));
                continue;
            }
            if (c == null) {
                throw new IOException(input + ": not a folder, zip, tar, tar.gz, manifest CSV or capture");
            }
            // cases in a folder are named by their path in it; in an archive, by the archive's stem and that path
            boolean folder = Files.isDirectory(input);
            String root = input.toAbsolutePath().normalize().getFileName() == null ? "case"
                    : input.toAbsolutePath().normalize().getFileName().toString();
            int before = cases.size();
            try {
                in(c, folder ? "" : prefix(input), cases, unmatched);
            } catch (IOException | RuntimeException e) {
                unmatched.addAll(c.rejected());
                unmatched.add(new Unmatched(input.toString(), e.getMessage() == null ? input + ": cannot be read ("
                        + e.getClass().getSimpleName() + ")" : e.getMessage(), true));
                c.close();
            }
            for (int i = before; i < cases.size(); i++) {
                if (cases.get(i).name().isEmpty()) cases.set(i, cases.get(i).withName(name("", "", root)));
            }
        }
        return new Found(unique(cases), unmatched);
    }

    /** Names a case by its input when several inputs are given: the archive's stem. */
    private static String prefix(Path input) {
        String n = input.getFileName() == null ? "" : input.getFileName().toString();
        return n.replaceFirst("(?i)(\\.tar\\.gz|\\.tgz|\\.tar|\\.zip)$", "");
    }

    static String stem(String fileName) {
        Matcher m = CAPTURE.matcher(fileName);
        return m.matches() ? m.group(1) : fileName;
    }

    /** The cases of one container. */
    static void in(Container c, String prefix, List<CaseSpec> cases, List<Unmatched> unmatched) throws IOException {
        List<String> members = c.members();
        unmatched.addAll(c.rejected());
        // 1. folders with case settings
        List<String> caseDirs = new ArrayList<>();
        for (String m : members) {
            if (m.equals("case.properties") || m.endsWith("/case.properties")) caseDirs.add(dir(m));
        }
        Set<String> taken = new HashSet<>();
        for (String d : caseDirs) {
            Set<String> own = new java.util.TreeSet<>();
            for (String m : members) if (under(m, d) && deepestCaseDir(m, caseDirs).equals(d)) own.add(m);
            taken.addAll(own);
            String settings = d.isEmpty() ? "case.properties" : d + "/case.properties";
            cases.add(new CaseSpec(name(prefix, d, ""), SETTINGS_RULE, c, settings, null, null, null, own));
        }
        // 2. and 3. the other captures, folder by folder
        Map<String, List<String>> byDir = new TreeMap<>();
        for (String m : members) {
            if (taken.contains(m)) continue;
            if (!CAPTURE.matcher(file(m)).matches()) {
                unmatched.add(new Unmatched(c.label() + "!" + m, "not a capture and not in a case folder"));
                continue;
            }
            byDir.computeIfAbsent(dir(m), k -> new ArrayList<>()).add(m);
        }
        for (Map.Entry<String, List<String>> e : byDir.entrySet()) pairs(c, prefix, e.getKey(), e.getValue(), cases, unmatched);
    }

    /** A capture's side (0 inside, 1 outside, -1 none), its base name and the rule that recognised it. */
    record Side(int side, String base, String vocabulary, String form) {
    }

    static Side side(String fileName) {
        String stem = stem(fileName);
        int i = SIDES.indexOf(stem.toLowerCase(Locale.ROOT));
        if (i >= 0) return side(i, "", "name");
        Matcher m = SUFFIX.matcher(stem);
        if (m.matches()) return side(SIDES.indexOf(m.group(2).toLowerCase(Locale.ROOT)), m.group(1), "suffix");
        m = PREFIX.matcher(stem);
        if (m.matches()) return side(SIDES.indexOf(m.group(1).toLowerCase(Locale.ROOT)), m.group(2), "prefix");
        return new Side(-1, stem, "", "");
    }

    /** The side of {@link #SIDES} word {@code word}, with its pair as the vocabulary ("inside/outside"). */
    private static Side side(int word, String base, String form) {
        int pair = word - word % 2;
        return new Side(word % 2, base, SIDES.get(pair) + "/" + SIDES.get(pair + 1), form);
    }

    private static void pairs(Container c, String prefix, String dir, List<String> captures, List<CaseSpec> cases,
                              List<Unmatched> unmatched) {
        Map<String, List<String>[]> groups = new LinkedHashMap<>();
        for (String m : captures) {
            Side s = side(file(m));
            if (s.side() < 0) {
                cases.add(new CaseSpec(name(prefix, dir, s.base()), "lone capture", c, null, null, null, m,
                        Set.of(m)));
                continue;
            }
            String key = s.base().toLowerCase(Locale.ROOT) + "\u0000" + s.vocabulary() + "\u0000" + s.form();
            @SuppressWarnings("unchecked")
            List<String>[] g = groups.computeIfAbsent(key, k -> new List[] {new ArrayList<>(), new ArrayList<>()});
            g[s.side()].add(m);
        }
        for (List<String>[] g : groups.values()) {
            List<String> in = g[0], out = g[1];
            Side s = side(file((in.isEmpty() ? out : in).get(0)));
            String[] words = s.vocabulary().split("/");
            if (in.size() == 1 && out.size() == 1) {
                String rule = "pair by name: " + switch (s.form()) {
                    case "name" -> s.vocabulary();
                    case "suffix" -> "-" + words[0] + "/-" + words[1] + " suffixes";
                    default -> words[0] + "-/" + words[1] + "- prefixes";
                };
                cases.add(new CaseSpec(name(prefix, dir, s.base()), rule, c, null, in.get(0), out.get(0), null,
                        Set.of(in.get(0), out.get(0))));
                continue;
            }
            if (in.size() + out.size() == 1) {
                // one side's capture with no partner: a case of its own, analysed as that side alone
                String m = in.isEmpty() ? out.get(0) : in.get(0);
                cases.add(new CaseSpec(name(prefix, dir, s.base()), "one side by name: " + words[in.isEmpty() ? 1 : 0]
                        + " (no " + words[in.isEmpty() ? 0 : 1] + "-side partner)", c, null, in.isEmpty() ? null : m,
                        in.isEmpty() ? m : null, null, Set.of(m)));
                continue;
            }
            String why = in.isEmpty() || out.isEmpty()
                    ? "a " + words[in.isEmpty() ? 1 : 0] + "-side capture with no " + words[in.isEmpty() ? 0 : 1] + "-side partner"
                    : "several captures claim the same side of one pair (" + in.size() + " and " + out.size() + ")";
            for (String m : in) unmatched.add(new Unmatched(c.label() + "!" + m, why));
            for (String m : out) unmatched.add(new Unmatched(c.label() + "!" + m, why));
        }
    }

    /**
     * The cases a manifest CSV lists: header case, lan, wan, router, settings (any may be empty but a source). A row
     * that names no source, and a manifest that stops being readable CSV part-way, are broken rows of
     * {@code unmatched}; the rows before and after a bad row are still cases.
     */
    static List<CaseSpec> manifest(Path csv, List<Unmatched> unmatched) throws IOException {
        Path base = csv.toAbsolutePath().getParent();
        FolderContainer folder = new FolderContainer(base);
        List<CaseSpec> out = new ArrayList<>();
        int row = 1;
        try (Reader r = Files.newBufferedReader(csv);
             org.apache.commons.csv.CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true)
                     .setTrim(true).setIgnoreEmptyLines(true).build().parse(r)) {
            if (java.util.Collections.disjoint(parser.getHeaderNames(), List.of("lan", "wan", "router", "settings"))) {
                unmatched.add(new Unmatched(csv.toString(), "not a manifest CSV: its header has no lan, wan, router or "
                        + "settings column", true));
                return out;
            }
            for (CSVRecord rec : parser) {
                row++;
                String name = get(rec, "case"), lan = get(rec, "lan"), wan = get(rec, "wan"), router = get(rec, "router"),
                        settings = get(rec, "settings");
                boolean side = lan != null || wan != null; // both: a pair; one: that side's capture alone
                if (!side && router == null && settings == null || side && router != null) {
                    unmatched.add(new Unmatched(csv + " row " + row, "give lan and wan (or one of them), or router, "
                            + "or settings", true));
                    continue;
                }
                Set<String> members = new HashSet<>();
                for (String f : new String[] {lan, wan, router, settings}) if (f != null) members.add(f);
                String rule = "manifest " + csv.getFileName() + " row " + row;
                String safe = name == null ? "" : name("", "", name);
                if (safe.isEmpty()) safe = "row" + row;
                if (name != null && !safe.equals(name)) rule += "; case name '" + printable(name) + "' made safe as '" + safe + "'";
                out.add(new CaseSpec(safe, rule, folder, settings, lan, wan, router, members));
            }
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            // commons-csv: a missing or duplicate header (IllegalArgumentException), a broken quote part-way
            // (UncheckedIOException / IllegalStateException): what was read before stands
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().replace('\n', ' ');
            unmatched.add(new Unmatched(csv.toString(), (out.isEmpty() && row == 1 ? "not a manifest CSV: "
                    : "manifest unreadable after row " + row + ": ") + why, true));
        } catch (IOException e) {
            unmatched.add(new Unmatched(csv.toString(), "cannot be read (" + e.getMessage() + ")", true));
        }
        return out;
    }

    private static String get(CSVRecord rec, String column) {
        if (!rec.isMapped(column) || !rec.isSet(column)) return null;
        String v = rec.get(column);
        return v == null || v.isBlank() ? null : v;
    }

    static String dir(String member) {
        int i = member.lastIndexOf('/');
        return i < 0 ? "" : member.substring(0, i);
    }

    static String file(String member) {
        return member.substring(member.lastIndexOf('/') + 1);
    }

    private static boolean under(String member, String dir) {
        return dir.isEmpty() || member.startsWith(dir + "/");
    }

    private static String deepestCaseDir(String member, List<String> caseDirs) {
        String best = null;
        for (String d : caseDirs) if (under(member, d) && (best == null || d.length() > best.length())) best = d;
        return best;
    }

    /**
     * "tickets_4711_call7": the input, its folder and the capture's base name, as safe characters; empty for the case
     * settings at the top of a folder input (named after the folder by the caller).
     */
    static String name(String prefix, String dir, String base) {
        List<String> parts = new ArrayList<>();
        for (String p : new String[] {prefix, dir, base}) {
            // "call7/call7-lan.pcap" is case "call7", not "call7_call7"
            if (p != null && !p.isEmpty() && !(p == base && dir.endsWith(base) && (dir.length() == base.length()
                    || dir.charAt(dir.length() - base.length() - 1) == '/'))) parts.add(p);
        }
        String n = String.join("_", parts).replace('/', '_').replaceAll("[^A-Za-z0-9._-]", "-");
        n = n.replaceAll("^[.-]+", "");
        if (n.length() > MAX_NAME) {
            n = n.substring(0, MAX_NAME - 9) + "-" + String.format(Locale.ROOT, "%08x", n.hashCode());
        }
        return n;
    }

    /** {@code raw} as one safe folder name (see {@link #name}); "case" when nothing of it is left. */
    public static String safeName(String raw) {
        String n = name("", "", raw);
        return n.isEmpty() ? "case" : n;
    }

    /** {@code text} with control characters as escapes, for a rule or reason quoting a name from the input. */
    static String printable(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && i < 2 * MAX_NAME; i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            else b.append(c);
        }
        return text.length() > 2 * MAX_NAME ? b + "..." : b.toString();
    }

    /**
     * Names made unique in order of discovery, ignoring case (a case-insensitive file system would merge "X" and
     * "x"): a second "x" becomes "x-2", and so on past names already taken.
     */
    static List<CaseSpec> unique(List<CaseSpec> cases) {
        Set<String> taken = new HashSet<>();
        List<CaseSpec> out = new ArrayList<>();
        for (CaseSpec c : cases) {
            String n = c.name();
            for (int k = 2; !taken.add(n.toLowerCase(Locale.ROOT)); k++) n = c.name() + "-" + k;
            out.add(n.equals(c.name()) ? c : c.withName(n));
        }
        return out;
    }
}
