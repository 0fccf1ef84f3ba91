package dev.natrecon.spark;

import dev.natrecon.batch.CaseTask;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

/**
 * Inputs named by Hadoop file-system URIs ({@code hdfs:}, {@code s3a:}, ...) as local files: on the driver, a stand-in
 * of each remote input that batch's discovery can read (an archive or manifest copied, a folder as a tree of empty
 * files of the same names: discovery reads only names); on an executor, the case's own members copied to local
 * scratch, or a remote archive copied once per executor JVM. A plain path or a {@code file:} URI is used where it is.
 */
final class HadoopFiles {
    private HadoopFiles() {
    }

    /** Whether {@code location} (a path or a URI) is on this machine's own file system. */
    static boolean local(String location) {
        String scheme = scheme(location);
        return scheme == null || scheme.equals("file");
    }

    /** The local path of a plain path or {@code file:} URI. */
    static Path localPath(String location) {
        String scheme = scheme(location);
        return scheme == null ? Path.of(location) : Path.of(URI.create(location));
    }

    private static String scheme(String location) {
        // a Windows drive letter or a bare name is no scheme; a URI scheme has two letters or more
        int colon = location.indexOf(':');
        if (colon < 2 || location.indexOf('/') >= 0 && location.indexOf('/') < colon) return null;
        try {
            return new URI(location).getScheme();
        } catch (URISyntaxException e) {
            return null;
        }
    }

    /** The driver's local stand-ins of the inputs, and how to name what discovery found in them as the remote files. */
    record Staged(List<Path> local, Map<String, String> remoteOf) {
        /** {@code localName} (a path under a stand-in) as the remote location it stands for; itself when local. */
        String remote(String localName) {
            for (Map.Entry<String, String> e : remoteOf.entrySet()) {
                if (localName.equals(e.getKey()) || localName.startsWith(e.getKey() + "/")) {
                    return e.getValue() + localName.substring(e.getKey().length());
                }
            }
            return localName;
        }

        /** {@code t} with its folder or archive named as the remote one. */
        CaseTask remote(CaseTask t) {
            String s = remote(t.source());
            return s.equals(t.source()) ? t : t.at(s, s);
        }
    }

    /** Local stand-ins of {@code inputs} under {@code staging} (remote ones only; local ones are used in place). */
    static Staged stage(List<String> inputs, Configuration conf, Path staging) throws IOException {
        List<Path> local = new ArrayList<>();
        Map<String, String> remoteOf = new LinkedHashMap<>();
        for (int i = 0; i < inputs.size(); i++) {
            String input = inputs.get(i);
            if (local(input)) {
                local.add(localPath(input));
                continue;
            }
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(input);
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st;
            try {
                st = fs.getFileStatus(p);
            } catch (java.io.FileNotFoundException e) {
                throw new IOException(input + ": no such file or folder", e);
            }
            Path dir = staging.resolve(Integer.toString(i));
            String name = p.getName().isEmpty() ? "input" : p.getName();
            Path stand = dir.resolve(name);
            Files.createDirectories(dir);
            if (st.isDirectory()) {
                RemoteIterator<LocatedFileStatus> it = fs.listFiles(p, true);
                String root = st.getPath().toUri().getPath();
                while (it.hasNext()) {
                    LocatedFileStatus f = it.next();
                    String rel = f.getPath().toUri().getPath().substring(root.length()).replaceFirst("^/+", "");
                    Path empty = stand.resolve(rel).normalize();
                    if (rel.isEmpty() || !empty.startsWith(stand)) continue;
                    Files.createDirectories(empty.getParent());
                    if (rel.endsWith("case.properties") || rel.toLowerCase(java.util.Locale.ROOT).endsWith(".csv")) {
                        copy(fs, f.getPath(), empty);
                    } else {
                        Files.createFile(empty);
                    }
                }
                Files.createDirectories(stand);
            } else {
                copy(fs, p, stand);
            }
            local.add(stand);
            String parent = p.getParent() == null ? input : p.getParent().toString();
            remoteOf.put(dir.toString(), parent);
        }
        return new Staged(local, remoteOf);
    }

    /** Copies the remote {@code from} to the new local file {@code to}. */
    static void copy(FileSystem fs, org.apache.hadoop.fs.Path from, Path to) throws IOException {
        Files.createDirectories(to.getParent());
        try (InputStream in = fs.open(from);
             OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            in.transferTo(out);
        } catch (IOException e) {
            Files.deleteIfExists(to);
            throw new IOException(from + ": cannot be copied from its file system (" + e.getMessage() + ")", e);
        }
    }

    /** Remote archives copied to this executor: URI, length and modification time to the local copy. */
    private static final Map<String, Path> ARCHIVES = new ConcurrentHashMap<>();

    /**
     * The case's folder or archive on this machine: a local one where it is; a remote archive copied once per
     * executor JVM (every case of it then reads the copy); a remote folder's members for this case only, copied
     * under {@code fetchDir} (the caller deletes it).
     */
    static Path fetch(CaseTask t, Map<String, String> hadoopConf, Path fetchDir) throws IOException {
        if (local(t.source())) return localPath(t.source());
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(t.source());
        FileSystem fs = p.getFileSystem(conf);
        if (t.kind() == CaseTask.Kind.FOLDER) {
            for (String m : t.members()) {
                Path target = fetchDir.resolve(m).normalize();
                if (!target.startsWith(fetchDir)) throw new IOException(t.label() + "/" + m + ": unsafe member name");
                copy(fs, new org.apache.hadoop.fs.Path(p, m), target);
            }
            return fetchDir;
        }
        FileStatus st = fs.getFileStatus(p);
        String key = st.getPath() + "\u0000" + st.getLen() + "\u0000" + st.getModificationTime();
        synchronized (ARCHIVES) {
            Path have = ARCHIVES.get(key);
            if (have != null && Files.isRegularFile(have)) return have;
            Path dir = Files.createTempDirectory("natrecon-archive");
            Path copy = dir.resolve(p.getName());
            dir.toFile().deleteOnExit(); // removed after the copy: deleteOnExit runs in reverse order
            copy.toFile().deleteOnExit();
            copy(fs, p, copy);
            ARCHIVES.put(key, copy);
            return copy;
        }
    }

    /** The Hadoop configuration's settings, to rebuild it on an executor ({@link Configuration} is not serialisable). */
    static Map<String, String> settings(Configuration conf) {
        Map<String, String> m = new HashMap<>();
        for (Map.Entry<String, String> e : conf) m.put(e.getKey(), e.getValue());
        return m;
    }
}
