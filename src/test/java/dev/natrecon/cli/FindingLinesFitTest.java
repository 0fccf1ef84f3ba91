package dev.natrecon.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A terminal line cut to 120 columns ends at a word boundary with "..." and never inside a number, address or list. */
class FindingLinesFitTest {
    static final String INDENT = FindingLines.INDENT;

    static void fitsAndEndsCleanly(String line, String cut) {
        assertTrue(cut.length() <= ColumnWriter.COLUMNS, cut.length() + ": " + cut);
        assertTrue(cut.endsWith("..."), cut);
        String kept = cut.substring(0, cut.length() - 3);
        assertTrue(line.startsWith(kept), "a prefix of the line: " + cut);
        char next = line.charAt(kept.length());
        assertTrue(next == ' ' || ",;:".indexOf(next) >= 0, "cut at a word boundary, next is '" + next + "': " + cut);
        assertTrue(!kept.endsWith(",") && !kept.endsWith(":") && !kept.endsWith(" "), "no dangling punctuation: " + cut);
    }

    @Test
    void aShortLineIsKept() {
        assertEquals(INDENT + "short", FindingLines.fit(INDENT + "short"));
    }

    @Test
    void anAddressIsNeverCut() {
        String line = INDENT + "192.168.1.11:5060 could not keep 203.0.113.2:5060 towards 198.51.100.10:5060: "
                + "192.168.1.10:5060 (entry 1) already held it, so the router remapped it";
        String cut = FindingLines.fit(line);
        fitsAndEndsCleanly(line, cut);
        assertTrue(cut.contains("towards 198.51.100.10:5060"), cut);
    }

    @Test
    void aFrameListIsNeverCutInTheMiddle() {
        String line = INDENT + "the helper dropped the packets of udp 192.168.1.11:5060 -> 203.0.113.5:5060 in frames "
                + "12, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55, 59, 63";
        String cut = FindingLines.fit(line);
        fitsAndEndsCleanly(line, cut);
        assertTrue(cut.endsWith("203.0.113.5:5060...") || cut.endsWith("in frames..."), cut);
        String braces = INDENT + "use the filter that selects the frames of the call, which are frame.number in "
                + "{12, 15, 19, 23, 27, 31, 35, 39, 43, 47, 51, 55} on the LAN";
        String cut2 = FindingLines.fit(braces);
        fitsAndEndsCleanly(braces, cut2);
        assertTrue(!cut2.contains("{"), "not inside the set: " + cut2);
    }

    @Test
    void aNumberStaysWithWhatItCounts() {
        String line = INDENT + "In call cred-udp-space@192.168.1.10 (1 LAN and 1 WAN frames): udp 192.168.1.10:5060 <-> "
                + "203.0.113.5:5060: 1 outbound message rewritten, 2 not";
        String cut = FindingLines.fit(line);
        fitsAndEndsCleanly(line, cut);
        assertTrue(cut.endsWith("203.0.113.5:5060..."), cut);
        String bar = INDENT + "In call a@evil.example (2 LAN and 2 WAN frames): via[0].host=192.168.1.10, contact[0].host="
                + "192.168.1.10 | via[0].host=192.168.1.10";
        assertTrue(FindingLines.fit(bar).endsWith("contact[0].host=192.168.1.10..."), FindingLines.fit(bar));
    }

    @Test
    void aLineWithoutSpacesIsStillBounded() {
        String line = INDENT + "x".repeat(200);
        assertEquals(ColumnWriter.COLUMNS, FindingLines.fit(line).length());
    }
}
