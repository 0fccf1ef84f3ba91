package dev.natrecon.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed hostile captures are exactly what {@link HostileCases} writes (their READMEs say how they were made). */
class HostileCasesTest {
    @TempDir
    Path tmp;

    @Test
    void committedCapturesAreTheGeneratorsOutput() throws Exception {
        HostileCases.writeCredentials(tmp.resolve("credentials"));
        HostileCases.writeMarkdownInjection(tmp.resolve("markdown-injection"));
        for (String c : new String[] {"credentials", "markdown-injection"}) {
            for (String f : new String[] {"lan.pcap", "wan.pcap"}) {
                assertArrayEquals(Files.readAllBytes(Path.of("src/test/resources/cases", c, f)),
                        Files.readAllBytes(tmp.resolve(c).resolve(f)), c + "/" + f);
            }
        }
    }
}
