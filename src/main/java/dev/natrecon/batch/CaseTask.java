package dev.natrecon.batch;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One case of a batch as plain, serialisable data: what a distributed run (the Spark job) discovers on its driver and
 * ships to a worker, which then unpacks and runs it with the same code as {@code natrecon batch}
 * ({@link #run}). Where the case's folder or archive is on the worker is the worker's business ({@code local}).
 *
 * @param name     the case's unique name (its folder under OUT/cases)
 * @param rule     the discovery rule that made it
 * @param kind     what holds its files
 * @param source   where that folder or archive was found (a path on the driver, or a URI)
 * @param label    how messages and summary rows name that folder or archive (as {@code batch} names it)
 * @param settings the case settings member, or null; likewise {@code lan}, {@code wan}, {@code router}
 * @param members  every member the case needs, in name order
 */
public record CaseTask(String name, String rule, Kind kind, String source, String label, String settings, String lan,
                       String wan, String router, List<String> members) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** What holds a case's files. */
    public enum Kind { FOLDER, ZIP, TAR }

    public CaseTask {
        members = List.copyOf(members);
    }

    /** The cases of some inputs and the files that fit none, found as {@code batch} finds them. */
    public record Discovery(List<CaseTask> tasks, List<CaseDiscovery.Unmatched> unmatched) {
    }

    /** {@link CaseDiscovery#find}: the same cases, in the same order, as {@code batch} runs them. */
    public static Discovery discover(List<Path> inputs) throws IOException {
        CaseDiscovery.Found found = CaseDiscovery.find(inputs);
        List<CaseTask> tasks = new ArrayList<>();
        for (CaseSpec c : found.cases()) tasks.add(of(c));
        for (Container c : new HashSet<>(found.cases().stream().map(CaseSpec::container).toList())) {
            try {
                c.close();
            } catch (IOException ignored) {
                // read already
            }
        }
        return new Discovery(tasks, found.unmatched());
    }

    static CaseTask of(CaseSpec c) {
        Container k = c.container();
        Kind kind = k instanceof ZipContainer ? Kind.ZIP : k instanceof TarContainer ? Kind.TAR : Kind.FOLDER;
        return new CaseTask(c.name(), c.rule(), kind, k.path().toString(), k.label(), c.settings(), c.lan(), c.wan(),
                c.router(), new ArrayList<>(new java.util.TreeSet<>(c.members())));
    }

    /** This case with its folder or archive found at {@code newSource} and named {@code newLabel}. */
    public CaseTask at(String newSource, String newLabel) {
        return new CaseTask(name, rule, kind, newSource, newLabel, settings, lan, wan, router, members);
    }

    /** Where the case comes from, for its summary row ("tickets.tgz!4711/lan.pcap + ..."). */
    public String origin() {
        return spec(null).origin();
    }

    /** This case's summary row when it could not even be started ({@code reason}, one line). */
    public CaseOutcome failed(String reason, double seconds) {
        return BatchRunner.failed(name, rule, origin(), "", reason, seconds);
    }

    /** This case's summary row when its files could not be had ({@code e}: batch's one-line reason for it). */
    public CaseOutcome failed(Throwable e) {
        return BatchRunner.failed(name, rule, origin(), "", BatchRunner.reason(e), 0);
    }

    /** This case's spec, over {@code container} (null: one that only names the folder or archive). */
    private CaseSpec spec(Container container) {
        Container c = container != null ? container : new Named(kind, label);
        return new CaseSpec(name, rule, c, settings, lan, wan, router, new HashSet<>(members));
    }

    /**
     * The case's files on this machine, the folder or archive being at {@code local}: a folder's files where they are,
     * an archive's members unpacked (within {@code batch}'s bounds) under {@code scratch/NAME/}, as {@code batch}
     * unpacks them, so that the reports name the same copies. An archive or member that cannot be unpacked throws
     * with {@code batch}'s one-line reason.
     */
    public Prepared prepare(Path local, Path scratch) throws IOException {
        Path dir = scratch.resolve(name);
        Set<String> wanted = new HashSet<>(members);
        switch (kind) {
            case FOLDER -> {
                FolderContainer f = new FolderContainer(local, label);
                return new Prepared(spec(f), f.open(wanted, dir, Extraction.Limits.DEFAULT), null);
            }
            case ZIP -> {
                ZipContainer z = new ZipContainer(local, label);
                try {
                    return new Prepared(spec(z), z.open(wanted, dir, Extraction.Limits.DEFAULT), dir);
                } catch (IOException | RuntimeException e) {
                    FolderSwap.deleteQuietly(dir);
                    throw e;
                } finally {
                    z.close();
                }
            }
            default -> {
                TarContainer t = new TarContainer(local, label);
                Path stream = scratch.resolve("." + name + ".stream");
                Map<String, Path> got = new TreeMap<>();
                IOException[] over = {null};
                try {
                    long[] used = {0};
                    t.stream(wanted, stream, Extraction.Limits.DEFAULT, new Container.Extracted() {
                        @Override
                        public void member(String member, Path file) throws IOException {
                            used[0] += java.nio.file.Files.size(file);
                            got.put(member, BatchRunner.moveInto(file, dir, member));
                        }

                        @Override
                        public void failed(String member, IOException why) {
                            if (over[0] == null) over[0] = why;
                        }

                        @Override
                        public long budget(String member) {
                            return Extraction.DEFAULT_PER_CASE - used[0];
                        }
                    });
                    if (over[0] != null) throw over[0];
                    if (got.size() < members.size()) throw new IOException(label + ": members missing from the archive");
                } catch (IOException | RuntimeException e) {
                    FolderSwap.deleteQuietly(dir);
                    throw e;
                } finally {
                    FolderSwap.deleteQuietly(stream);
                }
                return new Prepared(spec(t), got, dir);
            }
        }
    }

    /** A case whose files are at hand: {@link #run} it, then {@link #close} (which deletes unpacked copies). */
    public static final class Prepared implements AutoCloseable {
        private final CaseSpec spec;
        private final Map<String, Path> files;
        private final Path unpacked;

        Prepared(CaseSpec spec, Map<String, Path> files, Path unpacked) {
            this.spec = spec;
            this.files = files;
            this.unpacked = unpacked;
        }

        /**
         * Runs the case into {@code cases/NAME} exactly as {@code batch} does (the same resumption by input hash, the
         * same write-then-rename, the same case-summary.csv): a failure inside the case is a failed row, never thrown.
         */
        public CaseOutcome run(Path cases, boolean force, boolean redact, BatchRunner.CaseAnalyzer analyzer) {
            BatchRunner.Options o = new BatchRunner.Options(cases.getParent(), 1, force, redact,
                    Extraction.Limits.DEFAULT, analyzer);
            return BatchRunner.runCase(spec, files, cases, o, BatchListener.NONE);
        }

        @Override
        public void close() {
            if (unpacked != null) FolderSwap.deleteQuietly(unpacked);
        }
    }

    /** A folder or archive known only by its kind and name: for a row of a case that could not be opened. */
    private record Named(Kind kind, String label) implements Container {
        @Override
        public Path path() {
            return Path.of("");
        }

        @Override
        public List<String> members() {
            return List.of();
        }

        @Override
        public boolean randomAccess() {
            return true;
        }

        @Override
        public Map<String, Path> open(Set<String> m, Path scratch, Extraction.Limits limits) {
            throw new UnsupportedOperationException("only named");
        }

        @Override
        public void stream(Set<String> wanted, Path scratch, Extraction.Limits limits, Extracted sink) {
            throw new UnsupportedOperationException("only named");
        }

        @Override
        public void close() {
        }
    }
}
