package dev.natrecon.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.CaptureReader;
import dev.natrecon.testing.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reading and decoding the captures ahead on their own threads changes nothing the analysis writes: {@code analyze} of
 * a generated pair large enough to be read ahead, plain and gzipped, gives byte-identical outputs and the same exit
 * status decoding ahead (the default), decoding inline with the bytes read ahead ({@code natrecon.decodeAhead=off})
 * and reading and decoding inline ({@code natrecon.readAhead=off}).
 */
class ReadAheadIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void analyzeOutputsAreByteIdenticalReadAheadAndInline() throws Exception {
        Path lan = tmp.resolve("lan.pcap"), wan = tmp.resolve("wan.pcap");
        SyntheticNatCaptures.write(SyntheticNatCaptures.Config.of(10, 20), lan, wan);
        Path lanGz = tmp.resolve("lan.pcap.gz"), wanGz = tmp.resolve("wan.pcap.gz");
        WholeProcess.gzip(lan, lanGz);
        WholeProcess.gzip(wan, wanGz);
        for (Path p : List.of(lan, wan, lanGz, wanGz)) {
            assertTrue(Files.size(p) >= CaptureReader.READ_AHEAD_MIN_BYTES, p + " is read ahead: " + Files.size(p));
        }
        for (Path[] pair : new Path[][] {{lan, wan}, {lanGz, wanGz}}) {
            String name = pair[0].getFileName().toString();
            Path ahead = run(pair, "ahead-" + name, List.of());
            Path bytesAhead = run(pair, "bytes-" + name, List.of("-Dnatrecon.decodeAhead=off"));
            Path inline = run(pair, "inline-" + name, List.of("-D" + CaptureReader.READ_AHEAD_PROPERTY + "=off"));
            TreeSet<String> files = files(inline);
            assertTrue(files.contains("summary.json") && files.contains("report.html"), files.toString());
            for (Path other : List.of(ahead, bytesAhead)) {
                assertEquals(files, files(other), name);
                for (String f : files) {
                    assertArrayEquals(Files.readAllBytes(inline.resolve(f)), Files.readAllBytes(other.resolve(f)),
                            name + ": " + other.getParent().getFileName() + ": " + f);
                }
            }
        }
    }

    private Path run(Path[] pair, String name, List<String> jvmOptions) throws IOException, InterruptedException {
        Path out = tmp.resolve(name).resolve("out");
        ChildJvm.Result r = ChildJvm.run(tmp.resolve(name), jvmOptions, "analyze", "--lan", pair[0].toString(),
                "--wan", pair[1].toString(), "-o", out.toString());
        assertTrue(r.code() == 0 || r.code() == 1 || r.code() == 4, "exit " + r.code() + ": " + r.err());
        return out;
    }

    private static TreeSet<String> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
