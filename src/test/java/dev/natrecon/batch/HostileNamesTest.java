package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.batch.HostileInputs.Member;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Names from the input never become paths outside the output folder: manifest case names, case settings naming
 * files outside their archive or folder; and what natrecon replaces or deletes in the output folder is only its own
 * (links there are never followed, a folder it did not write is left alone).
 */
class HostileNamesTest {
    @TempDir
    Path tmp;

    static String abs(String sample) {
        return BatchRunTest.SAMPLES.resolve(sample).toAbsolutePath().toString();
    }

    static void marker(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("marker.txt"), "must survive");
    }

    @Test
    void manifestCaseNamesAreMadeSafeAndTheFoldersTheyNameSurvive() throws IOException {
        Path victim = tmp.resolve("victim"), climbed = tmp.resolve("work/x");
        marker(victim);
        marker(climbed);
        Path out = tmp.resolve("work/out");
        Files.createDirectories(out); // OUT/cases/../../x is work/x
        String lan = abs("baseline/lan.pcap"), wan = abs("baseline/wan.pcap");
        String longName = "n".repeat(300);
        List<String> names = List.of(victim.toString(), "../../x", "", ".", ".hidden", longName, "Case", "case",
                "a/../../../b", "tab\there");
        StringBuilder csv = new StringBuilder("case,lan,wan,router,settings\n");
        for (String n : names) csv.append('"').append(n).append("\",").append(lan).append(',').append(wan).append(",,\n");
        Path manifest = tmp.resolve("m/cases.csv");
        Files.createDirectories(manifest.getParent());
        Files.writeString(manifest, csv);
        Map<String, String> before = HostileInputs.listing(tmp, out);

        BatchRunner.Result r = BatchRunner.run(List.of(manifest), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
        assertEquals(names.size(), r.cases().size());
        assertTrue(r.cases().stream().noneMatch(CaseOutcome::failed), BatchRunTest.byName(r).toString());
        assertEquals(before, HostileInputs.listing(tmp, out), "nothing outside the output folder changed");
        assertEquals("must survive", Files.readString(victim.resolve("marker.txt")));
        assertEquals("must survive", Files.readString(climbed.resolve("marker.txt")));
        List<String> made = r.cases().stream().map(CaseOutcome::name).toList();
        for (String n : made) {
            assertFalse(n.isEmpty() || n.startsWith(".") || n.contains("/") || n.length() > CaseDiscovery.MAX_NAME, n);
            assertTrue(Files.isRegularFile(out.resolve("cases").resolve(n).resolve("report.html")), n);
        }
        assertEquals(victim.toString().replace('/', '_'), made.get(0));
        assertEquals("_.._x", made.get(1));
        assertEquals("row4", made.get(2), "an empty name is the row's");
        assertEquals("row5", made.get(3), "'.' is no name");
        assertEquals("hidden", made.get(4));
        assertEquals(List.of("Case", "case-2"), made.subList(6, 8), "names differing only by case stay apart");
        assertEquals("tab-here", made.get(9));
        CaseOutcome first = r.cases().get(0);
        assertTrue(first.rule().contains("case name '" + victim + "' made safe as '" + made.get(0) + "'"), first.rule());
        assertTrue(r.cases().get(9).rule().contains("'tab\\x09here'"), r.cases().get(9).rule());
        String summary = Files.readString(out.resolve("summary.csv"));
        assertTrue(summary.contains("made safe as '_.._x'"), "the mapping is in summary.csv");
        try (Stream<Path> s = Files.list(out.resolve("cases"))) {
            assertEquals(names.size(), s.count(), "every case inside cases/, nothing else");
        }
    }

    @Test
    void linksAndForeignFoldersInTheOutputAreNeverFollowedOrReplaced() throws IOException {
        Path zip = tmp.resolve("in.zip");
        HostileInputs.zip(zip, HostileInputs.files(BatchRunTest.sampleMembers("")));
        Path out = tmp.resolve("out"), cases = out.resolve("cases");
        Files.createDirectories(cases);
        Path elsewhere = tmp.resolve("elsewhere"), scratchTarget = tmp.resolve("scratch-target"), stale = tmp.resolve("stale-target");
        marker(elsewhere);
        marker(scratchTarget);
        marker(stale);
        Files.createSymbolicLink(cases.resolve("in_baseline"), elsewhere);
        Files.createSymbolicLink(out.resolve(".scratch"), scratchTarget);
        Files.createSymbolicLink(cases.resolve(".in_baseline.partial-abc123"), stale);
        Path foreign = cases.resolve("in_leaked-private-source");
        Files.createDirectories(foreign);
        Files.writeString(foreign.resolve("notes.txt"), "the engineer's own notes");
        Map<String, String> before = HostileInputs.listing(tmp, out);

        BatchRunner.Result r = BatchRunner.run(List.of(zip), new BatchRunner.Options(out, 1, false), BatchListener.NONE);
        Map<String, CaseOutcome> c = BatchRunTest.byName(r);
        assertTrue(c.get("in_baseline").failed() && c.get("in_baseline").error().contains("is a symbolic link"), c.toString());
        CaseOutcome leak = c.get("in_leaked-private-source");
        assertTrue(leak.failed() && leak.error().contains("natrecon did not write it (no case-summary.csv in it)"), leak.error());
        assertEquals(before, HostileInputs.listing(tmp, out), "the link targets are untouched");
        assertEquals("the engineer's own notes", Files.readString(foreign.resolve("notes.txt")));
        assertEquals(List.of("notes.txt"), Files.list(foreign).map(p -> p.getFileName().toString()).toList());
        assertTrue(Files.isSymbolicLink(cases.resolve("in_baseline")), "the link itself is left too");
        assertFalse(Files.exists(cases.resolve(".in_baseline.partial-abc123"), java.nio.file.LinkOption.NOFOLLOW_LINKS),
                "a stale temporary link is removed as a link");
        assertTrue(Files.isRegularFile(out.resolve("summary.csv")));
    }

    @Test
    void anOutputWhoseCasesFolderIsALinkOrThatIsAFileIsRefused() throws IOException {
        Path in = tmp.resolve("in");
        Files.createDirectories(in);
        Path out = tmp.resolve("out"), elsewhere = tmp.resolve("elsewhere");
        marker(elsewhere);
        Files.createDirectories(out);
        Files.createSymbolicLink(out.resolve("cases"), elsewhere);
        IOException e = assertThrows(IOException.class,
                () -> BatchRunner.run(List.of(in), new BatchRunner.Options(out, 1, false), BatchListener.NONE));
        assertTrue(e.getMessage().contains("cases: is a symbolic link"), e.getMessage());
        Path file = tmp.resolve("file");
        Files.writeString(file, "x");
        IOException f = assertThrows(IOException.class,
                () -> BatchRunner.run(List.of(in), new BatchRunner.Options(file, 1, false), BatchListener.NONE));
        assertEquals(file + ": exists and is not a folder", f.getMessage());
    }

    @Test
    void caseSettingsNamingFilesOutsideTheirArchiveOrFolderFailTheCase() throws IOException {
        byte[] wan = Files.readAllBytes(BatchRunTest.SAMPLES.resolve("baseline/wan.pcap"));
        // a real capture outside the input, which the settings try to reach
        Path secret = tmp.resolve("secret.pcap");
        Files.copy(BatchRunTest.SAMPLES.resolve("baseline/lan.pcap"), secret);
        List<Member> members = new ArrayList<>(HostileInputs.files(BatchRunTest.sampleMembers("t/")));
        members.add(Member.text("t/climb/case.properties", "capture.lan.file=../../../../secret.pcap\ncapture.wan.file=wan.pcap\n"));
        members.add(Member.file("t/climb/wan.pcap", wan));
        members.add(Member.text("t/absolute/case.properties", "capture.lan.file=" + secret + "\ncapture.wan.file=wan.pcap\n"));
        members.add(Member.file("t/absolute/wan.pcap", wan));
        members.add(Member.text("t/events/case.properties", "capture.lan.file=lan.pcap\ncapture.wan.file=wan.pcap\n"
                + "conntrack.events.file=/etc/hostname\n"));
        members.add(Member.file("t/events/lan.pcap", wan));
        members.add(Member.file("t/events/wan.pcap", wan));
        Path tgz = tmp.resolve("settings.tgz"), folder = tmp.resolve("folder");
        HostileInputs.tar(tgz, members, true);
        for (Member m : members) {
            Path p = folder.resolve(m.name());
            Files.createDirectories(p.getParent());
            Files.write(p, m.bytes());
        }
        Files.writeString(folder.resolve("t/climb/case.properties"), "capture.lan.file=../../../secret.pcap\ncapture.wan.file=wan.pcap\n");
        for (Path input : List.of(tgz, folder)) {
            Path out = tmp.resolve("out-" + input.getFileName());
            BatchRunner.Result r = BatchRunner.run(List.of(input), new BatchRunner.Options(out, 2, false), BatchListener.NONE);
            Map<String, CaseOutcome> c = BatchRunTest.byName(r);
            String prefix = input == tgz ? "settings_t_" : "t_";
            String kind = input == tgz ? "archive" : "folder";
            assertEquals("ok", c.get(prefix + "baseline").status(), c.get(prefix + "baseline").error());
            CaseOutcome climb = c.get(prefix + "climb"), absolute = c.get(prefix + "absolute"), events = c.get(prefix + "events");
            assertTrue(climb.failed() && climb.error().startsWith("t/climb/case.properties: capture.lan.file=../../")
                    && climb.error().contains("names a file outside the case's " + kind), climb.error());
            assertTrue(absolute.failed() && absolute.error().contains("capture.lan.file=" + secret + " names a file outside"), absolute.error());
            assertTrue(events.failed() && events.error().contains("conntrack.events.file=/etc/hostname"), events.error());
        }
    }
}
