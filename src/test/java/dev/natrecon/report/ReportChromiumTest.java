package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * report.html in a real browser: Debian's headless Chromium loads the page from disk with every host name mapped to
 * nothing, dumps the DOM after load and logs every console message (CSP violations included) to stderr. The page
 * must render (the verdict element is there), log nothing to the console, and — for the html-injection case, whose
 * SIP headers and SDP carry script and HTML — run none of it: the title is unchanged and no injected element exists.
 * A control page that does run a script proves the method would notice. Chromium missing is a failure, not a skip.
 * Tagged {@code system}: {@code mvn -B test} leaves it out, {@code mvn -B test -Psystem} runs it (.ci/run installs
 * Chromium and runs both).
 */
@Tag("system")
class ReportChromiumTest {
    static final Path OUT = Path.of("target/report-chromium");

    /** The browser: $CHROMIUM, else chromium or chromium-browser on the PATH. */
    static String chromium() {
        String env = System.getenv("CHROMIUM");
        if (env != null && !env.isEmpty()) return env;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            for (String name : List.of("chromium", "chromium-browser")) {
                if (Files.isExecutable(Path.of(dir, name))) return Path.of(dir, name).toString();
            }
        }
        fail("Chromium is needed for this test: apt-get install -y chromium (.ci/run does), or set CHROMIUM");
        return null;
    }

    /** What the browser made of a page: the DOM after load and its log. */
    record Load(int exit, String dom, String log) {
        /** Console messages (Chromium logs them as "CONSOLE"), uncaught errors and CSP reports. */
        List<String> consoleLines() {
            List<String> out = new ArrayList<>();
            for (String l : log.split("\n")) {
                if (l.contains(":CONSOLE") || l.contains("Uncaught") || l.contains("Content Security Policy")) out.add(l);
            }
            return out;
        }

        String title() {
            Matcher m = Pattern.compile("(?s)<title>(.*?)</title>").matcher(dom);
            return m.find() ? m.group(1) : null;
        }
    }

    static Load load(Path page) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(OUT.resolve("run"));
        Path profile = Files.createTempDirectory(dir, "profile");
        Path out = dir.resolve(page.getFileName() + ".dom"), err = dir.resolve(page.getFileName() + ".log");
        List<String> cmd = List.of(chromium(), "--headless=new", "--disable-gpu", "--no-sandbox",
                "--user-data-dir=" + profile.toAbsolutePath(), "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
                "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
                "--virtual-time-budget=3000", "--dump-dom", page.toAbsolutePath().toUri().toString());
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("chromium did not finish within 180 s: " + cmd);
        }
        return new Load(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theControlPageShowsThatScriptsAndConsoleMessagesAreNoticed() throws Exception {
        Path page = Files.createDirectories(OUT).resolve("control.html");
        Files.writeString(page, "<!DOCTYPE html><html><head><title>control</title></head><body><div id=\"x\"></div>"
                + "<script>document.title='PWNED';console.error('control error')</script></body></html>");
        Load l = load(page);
        assertEquals(0, l.exit(), l.log());
        assertEquals("PWNED", l.title(), "a script that runs changes the dumped title");
        assertFalse(l.consoleLines().isEmpty(), "console.error reaches the log: " + l.log());
    }

    @Test
    void theInjectionCaseRendersAndRunsNothing() throws Exception {
        Path out = OUT.resolve("html-injection");
        ReportOutputsTest.analyze(ReportOutputsTest.INJECTION, out, true);
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.contains("&lt;script&gt;document.title=&#39;PWNED&#39;"), "the injected text is shown, escaped");
        Load l = load(out.resolve("report.html"));
        assertEquals(0, l.exit(), l.log());
        assertTrue(l.dom().contains("id=\"verdict\""), "the verdict element rendered");
        assertEquals("natrecon report: html-injection", l.title());
        assertEquals(List.of(), l.consoleLines(), "no console message, error or CSP violation");
        assertFalse(Pattern.compile("(?i)<script").matcher(l.dom()).find(), "no script element in the DOM");
        Matcher tags = Pattern.compile("<[A-Za-z][^>]*>").matcher(l.dom());
        while (tags.find()) {
            String t = tags.group();
            assertFalse(t.matches("(?is)<[a-z0-9]+\\s.*\\bon[a-z]+\\s*=.*"), "event handler attribute in the DOM: " + t);
            assertFalse(t.matches("(?is)<img\\b.*") && !t.contains("class=\"chart\""), "injected image: " + t);
            assertFalse(t.matches("(?is)<(iframe|object|embed|svg:script|base|link|meta\\s+http-equiv=\"refresh).*"), t);
        }
        assertTrue(l.dom().contains("[redacted]"), "credentials redacted in the rendered page");
        assertFalse(l.dom().contains("RESPONSE-SECRET"));
    }

    @Test
    void aSampleWithFindingsRendersWithoutConsoleMessages() throws Exception {
        Path out = OUT.resolve("leaked-private-source");
        ReportOutputsTest.analyze(Path.of("samples/leaked-private-source"), out, true);
        Load l = load(out.resolve("report.html"));
        assertEquals(0, l.exit(), l.log());
        assertNotNull(l.title());
        assertTrue(l.dom().contains("id=\"verdict\" class=\"error\""), "verdict with its severity");
        assertTrue(l.dom().contains("nat.private_source_leak"));
        assertEquals(List.of(), l.consoleLines());
    }
}
