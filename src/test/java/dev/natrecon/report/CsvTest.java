package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.StringReader;
import java.io.StringWriter;
import java.util.List;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** Spreadsheet formulas in text cells are neutralised (OWASP CSV injection), numbers are not, and the rule reverses. */
class CsvTest {
    @Test
    void formulaTextGetsAQuoteNumbersDoNot() {
        assertEquals("'=HYPERLINK(\"http://evil\",\"x\")", Csv.cell("=HYPERLINK(\"http://evil\",\"x\")"));
        assertEquals("'@SUM(1+1)", Csv.cell("@SUM(1+1)"));
        assertEquals("'+1+cmd|' /C calc'!A0", Csv.cell("+1+cmd|' /C calc'!A0"));
        assertEquals("'-2+3", Csv.cell("-2+3"));
        assertEquals("'\tx", Csv.cell("\tx"));
        assertEquals("'\rx", Csv.cell("\rx"));
        assertEquals("''quoted", Csv.cell("'quoted"));
        assertEquals("'-", Csv.cell("-"));
        assertEquals("'-1.", Csv.cell("-1."));
        assertEquals("'-.5", Csv.cell("-.5"));
        for (String n : List.of("-1.5", "-0.152", "+3", "-12", "1.5", "abc=1", "")) assertSame(n, Csv.cell(n), n);
        Integer minus = -1;
        assertSame(minus, Csv.cell(minus));
        assertEquals(null, Csv.cell(null));
    }

    @Test
    void textRestoresWhatCellWrote() {
        for (String s : List.of("=1+1", "@x", "'q", "''", "'", "-1.5", "-x", "plain", "\t", "'a")) {
            assertEquals(s, Csv.text(String.valueOf(Csv.cell(s))), s);
        }
    }

    @Test
    void everyPrinterPathNeutralises() throws Exception {
        StringWriter w = new StringWriter();
        Csv.Printer p = Csv.printer(w, "a", "b");
        p.printRecord("=cmd", -1.5);
        p.printRecord(List.of("@x", "-1.5"));
        p.flush();
        StringBuilder line = new StringBuilder();
        Csv.record(line, "+x", 2);
        List<CSVRecord> rows = Csv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(w + line.toString())).getRecords();
        assertEquals("'=cmd", rows.get(0).get(0));
        assertEquals("-1.5", rows.get(0).get(1));
        assertEquals("'@x", rows.get(1).get(0));
        assertEquals("-1.5", rows.get(1).get(1));
        assertEquals("'+x", rows.get(2).get(0));
    }
}
