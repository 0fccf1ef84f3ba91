package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.natrecon.capture.Times;
import dev.natrecon.decode.Addresses;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;

/** The byte-level row writer writes exactly what the Commons CSV printer ({@link Csv#printer}) writes. */
class CsvRowWriterTest {
    private static final String[] TRICKY = {"", "plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", " lead", "trail ",
        "=HYPERLINK(\"http://evil\",\"x\")", "+1", "-1.5", "-0.152", "-x", "@sum", "'quoted", "#hash", "!bang",
        "naïve", "日本", "tab\tinside", "\tlead", "a\"", ",", "\"", "other:eth2", "other:=x", "x;y", "~", "$"};

    @Test
    void textCellsMatchTheCommonsPrinterByteForByte() throws IOException {
        Random random = new Random(7);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            String[] row = new String[1 + random.nextInt(4)];
            for (int j = 0; j < row.length; j++) row[j] = TRICKY[random.nextInt(TRICKY.length)];
            rows.add(row);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter reference = new StringWriter();
        try (CsvRowWriter w = new CsvRowWriter(bytes, "h1", "h2");
             Csv.Printer p = Csv.printer(reference, "h1", "h2")) {
            for (String[] row : rows) {
                for (String cell : row) w.text(cell);
                w.endRecord();
                p.printRecord((Object[]) row.clone());
            }
            p.flush();
        }
        String written = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(reference.toString(), written);
        // and it reads back: every value restored, commas, quotes and line breaks included
        try (CSVParser parser = Csv.FORMAT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(new StringReader(written))) {
            List<CSVRecord> records = parser.getRecords();
            assertEquals(rows.size(), records.size());
            for (int i = 0; i < rows.size(); i++) {
                for (int j = 0; j < rows.get(i).length; j++) assertEquals(rows.get(i)[j], Csv.text(records.get(i).get(j)));
            }
        }
    }

    @Test
    void numbersTimesAndAddressesAsTheStringFormsWrite() throws IOException {
        long[] numbers = {0, 7, -7, 10, 99, 100, Long.MAX_VALUE, Long.MIN_VALUE, 65535, -1_000_000_000L};
        long[] nanos = {0, 1, 999_999_999, 1_000_000_000, 1_700_000_000_123_456_789L, -1, -1_500_000_000L};
        long[][] addresses = {{0, Addresses.v4(0xC0A8010A)}, {0, Addresses.v4(0)}, {0, Addresses.v4(0xFFFFFFFF)},
            {0x20010db800000000L, 1}, {0, 1}};
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter reference = new StringWriter();
        try (CsvRowWriter w = new CsvRowWriter(bytes, "v");
             Csv.Printer p = Csv.printer(reference, "v")) {
            for (long n : numbers) {
                w.number(n).empty().endRecord();
                p.printRecord(n, "");
            }
            for (long n : nanos) {
                w.epoch(n).milliseconds(n).endRecord();
                p.printRecord(Times.epoch(n), millis(n));
            }
            for (long[] a : addresses) {
                w.address(a[0], a[1]).openCell().appendEndpoint(a[0], a[1], 5060).endRecord();
                p.printRecord(Addresses.format(a[0], a[1]), Addresses.endpoint(a[0], a[1], 5060));
            }
            p.flush();
        }
        assertEquals(reference.toString(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void rowsLongerThanTheBufferAreWrittenWhole() throws IOException {
        String longCell = "x".repeat(CsvRowWriter.BUFFER + 17);
        String longQuoted = "a,b".repeat(CsvRowWriter.BUFFER / 2);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StringWriter reference = new StringWriter();
        try (CsvRowWriter w = new CsvRowWriter(bytes, "a", "b");
             Csv.Printer p = Csv.printer(reference, "a", "b")) {
            for (int i = 0; i < 3; i++) {
                w.text(longCell).text(longQuoted).endRecord();
                p.printRecord(longCell, longQuoted);
            }
            p.flush();
        }
        assertEquals(reference.toString(), bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void plainIsOnlyWhatNeedsNoQuotesAndIsNoFormula() {
        assertTrue(CsvRowWriter.plain("lan", true));
        assertTrue(CsvRowWriter.plain("src 1.2.3.4:5->6.7.8.9:10", false));
        assertFalse(CsvRowWriter.plain("", true), "an empty first cell is quoted");
        assertTrue(CsvRowWriter.plain("", false));
        for (String s : new String[] {"a,b", "\"", "=1", "-1", "@x", "'x", "a\n", "é", " x", "x ", "#"}) {
            assertFalse(CsvRowWriter.plain(s, false), s);
        }
    }

    /** CaseOutputs' former String form of a millisecond delta. */
    private static String millis(long nanos) {
        long micros = Math.round(nanos / 1000.0);
        long abs = Math.abs(micros);
        String frac = Long.toString(abs % 1000);
        return (micros < 0 ? "-" : "") + abs / 1000 + "." + "000".substring(frac.length()) + frac;
    }
}
