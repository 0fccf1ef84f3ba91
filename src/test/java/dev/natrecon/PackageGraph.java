package dev.natrecon;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The package graph of compiled classes, read from their constant pools (JVMS §4.4): every class a class names (in a
 * CONSTANT_Class entry or inside a field or method descriptor or signature, all of which are CONSTANT_Utf8 text) is
 * an edge from its package to the other's. Reading the class files instead of the sources sees fully qualified names,
 * wildcard imports and same-name classes alike, and nothing the compiler dropped.
 */
final class PackageGraph {
    /** Constant pool tags (JVMS table 4.4-B) and the bytes each entry takes after its tag. */
    private static final int UTF8 = 1, LONG = 5, DOUBLE = 6;

    /** package → the packages its classes name, with one class that does it per edge (for the message). */
    final Map<String, Map<String, String>> edges = new TreeMap<>();
    private final String root;
    private final Pattern reference;

    /** {@code root}: the base package in slash form ("dev/natrecon"); edges outside it are ignored. */
    PackageGraph(String root) {
        this.root = root;
        this.reference = Pattern.compile(Pattern.quote(root) + "/([a-z0-9_/]+)/[A-Za-z_$][A-Za-z0-9_$]*");
    }

    /** Reads every class file under {@code classes} (a class output folder). */
    static PackageGraph read(Path classes, String root) throws IOException {
        PackageGraph g = new PackageGraph(root);
        try (Stream<Path> s = Files.walk(classes)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    g.add(in);
                }
            }
        }
        return g;
    }

    /** Adds one class file. */
    void add(InputStream classFile) throws IOException {
        DataInputStream in = new DataInputStream(classFile);
        if (in.readInt() != 0xCAFEBABE) throw new IOException("not a class file");
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        int[] classNameIndex = new int[count];
        int[] first = new int[count], second = new int[count]; // Fieldref/Methodref: class, NameAndType; NameAndType: name
        int[] tags = new int[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            tags[i] = tag;
            switch (tag) {
                case UTF8 -> utf8[i] = in.readUTF();
                case 7 -> classNameIndex[i] = in.readUnsignedShort(); // Class
                case 8, 16, 19, 20 -> in.readUnsignedShort(); // String, MethodType, Module, Package
                case 15 -> {
                    in.readUnsignedByte(); // MethodHandle
                    in.readUnsignedShort();
                }
                case 9, 10, 11, 12 -> { // Fieldref, Methodref, InterfaceMethodref, NameAndType
                    first[i] = in.readUnsignedShort();
                    second[i] = in.readUnsignedShort();
                }
                case 3, 4, 17, 18 -> in.readInt(); // Integer, Float, Dynamic, InvokeDynamic
                case LONG, DOUBLE -> {
                    in.readLong();
                    i++; // takes two slots
                }
                default -> throw new IOException("constant pool tag " + tag + " unknown");
            }
        }
        in.readUnsignedShort(); // access flags
        String self = utf8[classNameIndex[in.readUnsignedShort()]];
        String from = packageOf(self);
        if (from == null) return;
        for (int i = 1; i < count; i++) {
            if (utf8[i] == null) continue;
            Matcher m = reference.matcher(utf8[i]);
            while (m.find()) {
                String to = m.group(1).replace('/', '.');
                if (!to.equals(from)) {
                    edges.computeIfAbsent(from, k -> new TreeMap<>()).putIfAbsent(to, self.replace('/', '.'));
                }
            }
        }
        edges.computeIfAbsent(from, k -> new TreeMap<>());
        String selfName = self.replace('/', '.');
        for (int i = 1; i < count; i++) {
            if (tags[i] < 9 || tags[i] > 11) continue;
            String owner = utf8[classNameIndex[first[i]]].replace('/', '.');
            String member = utf8[first[second[i]]];
            members.computeIfAbsent(owner + "#" + member, k -> new TreeSet<>()).add(selfName);
        }
    }

    /** "owner#member" (a field or method, any overload) → the classes that use it (reading, writing or calling). */
    final Map<String, Set<String>> members = new TreeMap<>();

    /**
     * The classes that use {@code member} ("dev.natrecon.decode.Addresses#isPrivate") other than {@code allowed} and
     * the member's own class; nested classes count as their outer class.
     */
    List<String> usersOutside(String member, Set<String> allowed) {
        String owner = member.substring(0, member.indexOf('#'));
        List<String> out = new ArrayList<>();
        for (String user : members.getOrDefault(member, Set.of())) {
            int nest = user.indexOf('$');
            String outer = nest < 0 ? user : user.substring(0, nest);
            if (!outer.equals(owner) && !allowed.contains(outer)) out.add(user + " uses " + member);
        }
        return out;
    }

    private String packageOf(String internalName) {
        if (!internalName.startsWith(root + "/")) return null;
        int slash = internalName.lastIndexOf('/');
        return slash <= root.length() ? "" : internalName.substring(root.length() + 1, slash).replace('/', '.');
    }

    /**
     * The graph with each package folded into its top-level one ({@code decode.sip} into {@code decode}), the
     * granularity of ARCHITECTURE.md's table.
     */
    PackageGraph topLevel() {
        PackageGraph g = new PackageGraph(root);
        edges.forEach((from, tos) -> {
            String f = top(from);
            g.edges.computeIfAbsent(f, k -> new TreeMap<>());
            tos.forEach((to, via) -> {
                if (!top(to).equals(f)) g.edges.get(f).putIfAbsent(top(to), via);
            });
        });
        return g;
    }

    static String top(String pkg) {
        int dot = pkg.indexOf('.');
        return dot < 0 ? pkg : pkg.substring(0, dot);
    }

    /**
     * Every cycle of the graph, one per strongly connected component with more than one package (Tarjan), each
     * described with one class per edge so the message says where to look.
     */
    List<String> cycles() {
        Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
        Deque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new TreeSet<>();
        List<String> found = new ArrayList<>();
        int[] counter = {0};
        for (String v : edges.keySet()) {
            if (!index.containsKey(v)) strongConnect(v, index, low, stack, onStack, counter, found);
        }
        return found;
    }

    private void strongConnect(String v, Map<String, Integer> index, Map<String, Integer> low, Deque<String> stack,
                               Set<String> onStack, int[] counter, List<String> found) {
        index.put(v, counter[0]);
        low.put(v, counter[0]++);
        stack.push(v);
        onStack.add(v);
        for (String w : edges.getOrDefault(v, Map.of()).keySet()) {
            if (!index.containsKey(w)) {
                strongConnect(w, index, low, stack, onStack, counter, found);
                low.put(v, Math.min(low.get(v), low.get(w)));
            } else if (onStack.contains(w)) {
                low.put(v, Math.min(low.get(v), index.get(w)));
            }
        }
        if (low.get(v).equals(index.get(v))) {
            Set<String> component = new TreeSet<>();
            String w;
            do {
                w = stack.pop();
                onStack.remove(w);
                component.add(w);
            } while (!w.equals(v));
            if (component.size() > 1) found.add(describe(component));
        }
    }

    private String describe(Set<String> component) {
        List<String> parts = new ArrayList<>();
        for (String from : component) {
            edges.getOrDefault(from, Map.of()).forEach((to, via) -> {
                if (component.contains(to)) parts.add(from + " -> " + to + " (" + via + ")");
            });
        }
        return "cycle among " + component + ": " + String.join(", ", parts);
    }

    /** Edges that {@code forbidden} (package → packages it must not name) rules out, each with a class that makes it. */
    List<String> violations(Map<String, List<String>> forbidden) {
        List<String> out = new ArrayList<>();
        edges.forEach((from, tos) -> tos.forEach((to, via) -> {
            if (forbidden.getOrDefault(from, List.of()).contains(to)) out.add(via + " (" + from + ") uses " + to);
        }));
        return out;
    }
}
