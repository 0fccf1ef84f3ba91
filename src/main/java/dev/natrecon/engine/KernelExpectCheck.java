package dev.natrecon.engine;

import dev.natrecon.conntrack.KernelExpectationComparison;
import java.nio.file.Path;

/** The model's expectations compared with the router's own {@code conntrack -E expect -o timestamp} log. */
public record KernelExpectCheck(Path file, KernelExpectationComparison.Result result) {
}
