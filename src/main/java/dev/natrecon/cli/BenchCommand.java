package dev.natrecon.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Placeholder replaced below. */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark read+decode and analyze on generated captures.")
final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Main.OK;
    }
}
