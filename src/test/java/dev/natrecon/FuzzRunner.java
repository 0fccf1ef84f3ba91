package dev.natrecon;

import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.util.Arrays;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectMethod;

/**
 * Runs one {@code @FuzzTest} method ({@code fully.qualified.Class#method}) on the JUnit Platform without Maven, for
 * {@code fuzz/run.sh}: with {@code JAZZER_FUZZ=1} Jazzer fuzzes it (one fuzz test per JVM), without it the test runs
 * over its corpus. Exit status 0 when it passed, 1 when it failed (a finding), 2 on a usage error.
 */
public final class FuzzRunner {
    private FuzzRunner() {
    }

    public static void main(String[] args) {
        if (args.length != 1 || !args[0].contains("#")) {
            System.err.println("usage: FuzzRunner fully.qualified.Class#method");
            System.exit(2);
        }
        String className = args[0].substring(0, args[0].indexOf('#')), name = args[0].substring(args[0].indexOf('#') + 1);
        Class<?> type;
        try {
            type = Class.forName(className);
        } catch (ClassNotFoundException e) {
            System.err.println("no such class: " + className);
            System.exit(2);
            return;
        }
        Method method = Arrays.stream(type.getDeclaredMethods()).filter(m -> m.getName().equals(name)).findFirst()
                .orElse(null);
        if (method == null) {
            System.err.println("no method " + name + " in " + className);
            System.exit(2);
        }
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request().selectors(selectMethod(type, method))
                .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        summary.printTo(new PrintWriter(System.out, true));
        summary.printFailuresTo(new PrintWriter(System.out, true), 40);
        boolean ran = summary.getTestsFoundCount() > 0;
        if (!ran) System.err.println("no test found for " + args[0]);
        System.exit(ran && summary.getTotalFailureCount() == 0 ? 0 : 1);
    }
}
