package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaseDiscoveryTest {
    @TempDir
    Path tmp;

    void touch(String... names) throws IOException {
        for (String n : names) {
            Path p = tmp.resolve(n);
            Files.createDirectories(p.getParent());
            Files.writeString(p, n);
        }
    }

    @Test
    void sidesAreRecognisedByNameSuffixAndPrefix() {
        assertEquals(0, CaseDiscovery.side("lan.pcap").side());
        assertEquals(1, CaseDiscovery.side("WAN.pcapng.gz").side());
        assertEquals(new CaseDiscovery.Side(0, "call7", "inside/outside", "suffix"), CaseDiscovery.side("call7-inside.cap"));
        assertEquals(new CaseDiscovery.Side(1, "call7", "int/ext", "suffix"), CaseDiscovery.side("call7_ext.pcap.zst"));
        assertEquals(new CaseDiscovery.Side(1, "x", "private/public", "prefix"), CaseDiscovery.side("public-x.pcap"));
        assertEquals(-1, CaseDiscovery.side("router-any.pcapng").side());
        assertEquals(-1, CaseDiscovery.side("planwanted.pcap").side(), "side words only as whole name parts");
    }

    @Test
    void everyFileEndsInACaseOrInTheUnmatchedList() throws IOException {
        touch("t1/case.properties", "t1/lan.pcap", "t1/wan.pcap", "t1/notes.txt", "t1/sub/extra.pcap",
                "t2/inside.pcap", "t2/outside.pcap",
                "t3/call7-lan.pcap.gz", "t3/call7-wan.pcap.gz", "t3/call8-lan.pcap", "t3/any.pcapng",
                "t4/readme.md", "t5/a-wan.pcap", "t5/b-wan.pcap", "t5/b_lan.pcap");
        CaseDiscovery.Found f = CaseDiscovery.find(List.of(tmp));
        Map<String, CaseSpec> byName = f.cases().stream().collect(Collectors.toMap(CaseSpec::name, c -> c));
        // a side's capture without its partner is a case of that side alone (issue 17)
        assertEquals(List.of("t1", "t2", "t3_any", "t3_call7", "t3_call8", "t5_a", "t5_b"),
                f.cases().stream().map(CaseSpec::name).toList());
        CaseSpec t1 = byName.get("t1");
        assertEquals("case settings", t1.rule());
        assertEquals("t1/case.properties", t1.settings());
        assertEquals(5, t1.members().size(), "everything under a case folder belongs to it: " + t1.members());
        assertEquals("pair by name: inside/outside", byName.get("t2").rule());
        assertEquals("t2/inside.pcap", byName.get("t2").lan());
        assertEquals("pair by name: -lan/-wan suffixes", byName.get("t3_call7").rule());
        assertEquals("t3/call7-wan.pcap.gz", byName.get("t3_call7").wan());
        assertEquals("lone capture", byName.get("t3_any").rule());
        assertEquals("t5/b_lan.pcap", byName.get("t5_b").lan());
        assertEquals("t3/call8-lan.pcap", byName.get("t3_call8").lan());
        assertEquals("one side by name: lan (no wan-side partner)", byName.get("t3_call8").rule());
        assertEquals("t5/a-wan.pcap", byName.get("t5_a").wan());
        assertEquals(null, byName.get("t5_a").lan());
        assertEquals(List.of("t4/readme.md"),
                f.unmatched().stream().map(u -> u.file().substring(u.file().indexOf('!') + 1)).toList());
        assertTrue(f.unmatched().stream().noneMatch(CaseDiscovery.Unmatched::broken));
    }

    @Test
    void aManifestListsItsCasesAndNamesBadRows() throws IOException {
        touch("m/a.pcap", "m/b.pcap", "m/r.pcapng");
        Path csv = tmp.resolve("m/cases.csv");
        Files.writeString(csv, "case,lan,wan,router,settings\none,a.pcap,b.pcap,,\ntwo,,,r.pcapng,\n");
        List<CaseSpec> cases = CaseDiscovery.find(List.of(csv)).cases();
        assertEquals(List.of("one", "two"), cases.stream().map(CaseSpec::name).toList());
        assertEquals("a.pcap", cases.get(0).lan());
        assertNull(cases.get(0).router());
        assertEquals("manifest cases.csv row 3", cases.get(1).rule());
        // a bad row is a broken row of its own; the rows around it are still cases
        Files.writeString(csv, "case,lan,wan,router,settings\nbad,,,,\ngood,a.pcap,b.pcap,,\n");
        CaseDiscovery.Found f = CaseDiscovery.find(List.of(csv));
        assertEquals(List.of("good"), f.cases().stream().map(CaseSpec::name).toList());
        assertEquals(1, f.unmatched().size(), f.unmatched().toString());
        assertTrue(f.unmatched().get(0).broken() && f.unmatched().get(0).file().endsWith("cases.csv row 2"), f.unmatched().toString());
        assertTrue(f.unmatched().get(0).reason().contains("give lan and wan"), f.unmatched().toString());
        // a quote that never closes: the rows before it stand, the rest is one broken row naming where it stopped
        Files.writeString(csv, "case,lan,wan,router,settings\none,a.pcap,b.pcap,,\n\"two,a.pcap,b.pcap,,\n");
        f = CaseDiscovery.find(List.of(csv));
        assertEquals(List.of("one"), f.cases().stream().map(CaseSpec::name).toList());
        assertTrue(f.unmatched().size() == 1 && f.unmatched().get(0).reason().startsWith("manifest unreadable after row 2"),
                f.unmatched().toString());
        // not CSV with the manifest's header at all
        Files.writeString(csv, "name,file\n1,2\n");
        f = CaseDiscovery.find(List.of(csv));
        assertTrue(f.cases().isEmpty() && f.unmatched().get(0).reason().startsWith("not a manifest CSV"), f.unmatched().toString());
    }

    @Test
    void aDamagedArchiveIsReportedAndTheOthersStillCount() throws IOException {
        Path bad = tmp.resolve("bad.tgz");
        Files.write(bad, new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3});
        touch("good/lan.pcap", "good/wan.pcap");
        CaseDiscovery.Found f = CaseDiscovery.find(List.of(bad, tmp.resolve("good")));
        assertEquals(List.of("good"), f.cases().stream().map(CaseSpec::name).toList());
        assertEquals(1, f.unmatched().size());
        assertTrue(f.unmatched().get(0).broken() && f.unmatched().get(0).reason().contains("bad.tgz"), f.unmatched().toString());
    }

    @Test
    void namesAreSafeBoundedAndUniqueIgnoringCase() {
        assertEquals("_etc_x", CaseDiscovery.name("", "", "/etc/x"));
        assertEquals("_.._x", CaseDiscovery.name("", "", "../../x"), "one harmless name part, no separator left");
        assertEquals("", CaseDiscovery.name("", "", ".."));
        String longName = CaseDiscovery.name("", "", "a".repeat(400));
        assertEquals(CaseDiscovery.MAX_NAME, longName.length());
        assertTrue(longName.startsWith("aaaa") && longName.matches("a+-[0-9a-f]{8}"), longName);
        assertEquals("case", CaseDiscovery.safeName("..."));
        List<CaseSpec> specs = new java.util.ArrayList<>();
        for (String n : List.of("x", "X", "x-2", "x")) specs.add(new CaseSpec(n, "r", null, null, null, null, "f", java.util.Set.of("f")));
        assertEquals(List.of("x", "X-2", "x-2-2", "x-3"), CaseDiscovery.unique(specs).stream().map(CaseSpec::name).toList());
    }
}
