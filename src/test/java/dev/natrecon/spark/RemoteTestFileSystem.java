package dev.natrecon.spark;

import java.io.IOException;
import java.net.URI;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;

/**
 * A Hadoop file system of scheme {@code testfs:} over this machine's files: a stand-in for {@code hdfs:} or
 * {@code s3a:} that makes the Spark job take its remote paths (inputs staged on the driver and copied through the
 * Hadoop FileSystem API on the executors; the output folder written by copy and rename) without a cluster.
 */
public class RemoteTestFileSystem extends RawLocalFileSystem {
    static final String SCHEME = "testfs";

    @Override
    public URI getUri() {
        return URI.create(SCHEME + ":///");
    }

    @Override
    public String getScheme() {
        return SCHEME;
    }

    /** Plain statuses: the local one reads permissions through a java.io.File, which takes file: URIs only. */
    @Override
    public FileStatus getFileStatus(Path f) throws IOException {
        return plain(super.getFileStatus(f));
    }

    @Override
    public FileStatus[] listStatus(Path f) throws IOException {
        FileStatus[] s = super.listStatus(f);
        for (int i = 0; i < s.length; i++) s[i] = plain(s[i]);
        return s;
    }

    private static FileStatus plain(FileStatus s) {
        return new FileStatus(s.getLen(), s.isDirectory(), 1, s.getBlockSize(), s.getModificationTime(), s.getPath());
    }
}
