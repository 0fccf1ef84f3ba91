package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code natrecon} launcher's class-data archive (README, set-up): made once per jar, used by later runs, and
 * silent and harmless when it is truncated or stale. The launcher runs here from a copy of the project's folder
 * whose target/natrecon.jar is a one-class program (so no Maven build is needed): what is tested is the script.
 */
class LauncherCdsTest {
    @TempDir
    Path home;

    private record Run(int exit, String out, String err) {
    }

    @Test
    void archiveIsMadeUsedAndIgnoredQuietlyWhenDamaged() throws Exception {
        Path launcher = Path.of("natrecon").toAbsolutePath();
        Files.copy(launcher, home.resolve("natrecon"));
        assertTrue(home.resolve("natrecon").toFile().setExecutable(true));
        Files.createDirectories(home.resolve("samples/baseline"));
        Files.write(home.resolve("samples/baseline/lan.pcap"), new byte[0]);
        Files.write(home.resolve("samples/baseline/wan.pcap"), new byte[0]);
        Path jar = home.resolve("target/natrecon.jar");
        Files.createDirectories(jar.getParent());
        oneClassJar(jar);
        Path archive = home.resolve("target/natrecon.jsa");

        Run first = run(Map.of());
        assertEquals(new Run(0, "hello 1\n", ""), first, "the first run: the program's output only");
        assertTrue(Files.size(archive) > 0, "archive made");
        assertTrue(Files.exists(home.resolve("target/natrecon.jsa.stamp")));

        Run logged = run(Map.of("NATRECON_JAVA_OPTS", "-Xlog:class+load=info:file=" + home.resolve("classes.txt")));
        assertEquals(0, logged.exit());
        assertTrue(Files.readString(home.resolve("classes.txt")).matches("(?s).*\\bHello source: shared objects file\\R.*"),
                "the program's class comes from the archive (a static one: no \"(top)\" layer)");

        // a truncated archive would crash Java 17 if it were used: the stamp no longer matches, so it is remade
        try (var ch = Files.newByteChannel(archive, java.nio.file.StandardOpenOption.WRITE)) {
            ch.truncate(10_000);
        }
        assertEquals(new Run(0, "hello 1\n", ""), run(Map.of()), "truncated archive: silent");
        assertTrue(Files.size(archive) > 10_000, "remade");

        // a stale archive (the jar rebuilt since, the stamp forged to match): the JVM rejects it, and says nothing
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() + 5_000));
        String stamp = Files.readString(home.resolve("target/natrecon.jsa.stamp"));
        String[] words = stamp.split(" ");
        words[2] = String.valueOf(Files.getLastModifiedTime(jar).toMillis() / 1000);
        Files.writeString(home.resolve("target/natrecon.jsa.stamp"), String.join(" ", words));
        assertEquals(new Run(0, "hello 1\n", ""), run(Map.of()), "stale archive: silent");

        // turned off by the user: still runs
        assertEquals(new Run(0, "hello 1\n", ""), run(Map.of("NATRECON_JAVA_OPTS", "-Xshare:off")));
        assertFalse(Files.exists(home.resolve("target/natrecon.jsa.failed")), "no attempt failed");
    }

    private Run run(Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(home.resolve("natrecon").toString(), "--version");
        pb.environment().remove("NATRECON_JAVA_OPTS");
        pb.environment().putAll(env);
        Path out = home.resolve("out.txt"), err = home.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        int exit = p.waitFor();
        return new Run(exit, Files.readString(out), Files.readString(err));
    }

    /** A jar whose main class prints "hello" and its argument count. */
    private void oneClassJar(Path jar) throws IOException {
        Path src = home.resolve("src-hello/Hello.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, "public class Hello { public static void main(String[] a) { "
                + "System.out.println(\"hello \" + a.length); } }");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<String> args = new ArrayList<>(List.of("-d", src.getParent().toString(), src.toString()));
        assertEquals(0, javac.run(null, null, null, args.toArray(String[]::new)));
        Manifest m = new Manifest();
        m.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        m.getMainAttributes().put(Attributes.Name.MAIN_CLASS, "Hello");
        try (OutputStream o = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(o, m)) {
            j.putNextEntry(new JarEntry("Hello.class"));
            j.write(Files.readAllBytes(src.getParent().resolve("Hello.class")));
            j.closeEntry();
        }
        assertTrue(new String(Files.readAllBytes(jar), StandardCharsets.ISO_8859_1).contains("Hello"));
    }
}
