package dev.natrecon.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

/**
 * An output folder on a Hadoop file system ({@code hdfs:}, {@code s3a:}, ...): batch's write-then-rename of a case
 * folder ({@code batch.FolderSwap}) done there. A case is written to a local folder by batch's own code, copied to
 * {@code OUT/cases/.NAME.partial-HEX}, then renamed into place (the previous folder moved aside to
 * {@code .NAME.old-HEX} first and deleted after); the next run removes what a killed job left, as batch does. Only a
 * folder holding a case-summary.csv (natrecon's) is ever replaced. Where the file system's rename is atomic (HDFS) the
 * commit is; on S3 a rename is a copy, so a job killed during one can leave a case folder without its
 * case-summary.csv, which the next run then refuses to replace (it names it).
 */
final class RemoteOutput {
    /** Batch's names of temporary folders ({@code FolderSwap}). */
    private static final Pattern TEMPORARY = Pattern.compile("\\.(.+)\\.(partial|old)-[0-9a-f]+");
    static final String CASE_SUMMARY = "case-summary.csv";

    private RemoteOutput() {
    }

    static FileSystem fs(String uri, Map<String, String> settings) throws IOException {
        Configuration conf = new Configuration(false);
        settings.forEach(conf::set);
        return new org.apache.hadoop.fs.Path(uri).getFileSystem(conf);
    }

    /** Makes {@code OUT/cases} and removes the temporary folders a killed run left in it. */
    static void prepare(FileSystem fs, String out) throws IOException {
        org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out);
        if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) throw new IOException(out + ": exists and is not a folder");
        org.apache.hadoop.fs.Path cases = new org.apache.hadoop.fs.Path(root, "cases");
        fs.mkdirs(cases);
        for (FileStatus st : fs.listStatus(cases)) {
            Matcher m = TEMPORARY.matcher(st.getPath().getName());
            if (!m.matches()) continue;
            org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(cases, m.group(1));
            if (m.group(2).equals("old") && !fs.exists(target) && st.isDirectory()) fs.rename(st.getPath(), target);
            else fs.delete(st.getPath(), true);
        }
    }

    /**
     * Gets {@code OUT/cases/NAME} ready for batch's code in the local mirror {@code localCases}: its case-summary.csv
     * copied there (so a finished case is skipped by the same test as in batch); an error line when the folder is
     * there but is not natrecon's.
     */
    static String mirror(FileSystem fs, String out, String name, Path localCases) throws IOException {
        org.apache.hadoop.fs.Path target = casePath(out, name);
        if (!fs.exists(target)) return null;
        if (!fs.getFileStatus(target).isDirectory()) return target + ": exists and is not a folder";
        org.apache.hadoop.fs.Path summary = new org.apache.hadoop.fs.Path(target, CASE_SUMMARY);
        if (!fs.exists(summary)) {
            if (fs.listStatus(target).length == 0) return null;
            return target + ": exists and natrecon did not write it (no " + CASE_SUMMARY + " in it); natrecon "
                    + "replaces only its own output folders: give a new or empty folder";
        }
        Path local = localCases.resolve(name).resolve(CASE_SUMMARY);
        Files.createDirectories(local.getParent());
        HadoopFiles.copy(fs, summary, local);
        return null;
    }

    /** Puts the complete local case folder {@code folder} in place of {@code OUT/cases/NAME}. */
    static void commit(FileSystem fs, String out, String name, Path folder) throws IOException {
        org.apache.hadoop.fs.Path cases = new org.apache.hadoop.fs.Path(out, "cases");
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(cases, name);
        org.apache.hadoop.fs.Path partial = new org.apache.hadoop.fs.Path(cases, "." + name + ".partial-" + hex());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(folder.toUri()), partial);
        org.apache.hadoop.fs.Path old = null;
        if (fs.exists(target)) {
            old = new org.apache.hadoop.fs.Path(cases, "." + name + ".old-" + hex());
            if (!fs.rename(target, old)) throw new IOException(target + ": cannot be moved aside");
        }
        if (!fs.rename(partial, target)) {
            if (old != null) fs.rename(old, target);
            fs.delete(partial, true);
            throw new IOException(target + ": the new case folder cannot be renamed into place");
        }
        if (old != null) fs.delete(old, true);
    }

    /** Copies the local file {@code file} to {@code OUT/NAME}: under a temporary name, then renamed over the old one. */
    static void put(FileSystem fs, String out, Path file) throws IOException {
        org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(out, file.getFileName().toString());
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(out, "." + file.getFileName() + ".partial-" + hex());
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(file.toUri()), tmp);
        fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException(target + ": cannot be written");
    }

    static org.apache.hadoop.fs.Path casePath(String out, String name) {
        return new org.apache.hadoop.fs.Path(new org.apache.hadoop.fs.Path(out, "cases"), name);
    }

    private static String hex() {
        return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    }
}
