package dev.natrecon.engine;

import dev.natrecon.conntrack.ConntrackText;
import dev.natrecon.conntrack.KernelExpectationComparison;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The model's expectations compared with the router's own {@code conntrack -E expect -o timestamp} log. */
public record KernelExpectCheck(Path file, KernelExpectationComparison.Result result) {
    /**
     * The non-blank lines of a {@code conntrack -E expect} log, each checked to be an expectation event: a line that
     * is not one is an {@link IOException} naming the file, the line number and what was expected.
     */
    static List<String> read(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        int number = 0;
        try (BufferedReader r = Files.newBufferedReader(file)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                number++;
                if (line.isBlank() || line.startsWith("#")) continue;
                try {
                    ConntrackText.expectation(line);
                } catch (RuntimeException e) {
                    throw new IOException(file + ": line " + number + ": " + (e.getMessage() == null ? e : e.getMessage())
                            + " (expected a 'conntrack -E expect -o timestamp' log)", e);
                }
                lines.add(line);
            }
        }
        return lines;
    }
}
