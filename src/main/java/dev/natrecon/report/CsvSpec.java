package dev.natrecon.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A CSV file's declared columns: each a name and how to take its value from a row object. The header and the rows
 * come from the same declaration, so they cannot drift apart.
 *
 * @param <T> the row type
 */
public final class CsvSpec<T> {
    private final List<String> names = new ArrayList<>();
    private final List<Function<T, Object>> values = new ArrayList<>();

    /** Declares the next column; a null value is written as an empty cell. */
    public CsvSpec<T> column(String name, Function<T, Object> value) {
        names.add(name);
        values.add(value);
        return this;
    }

    public List<String> names() {
        return List.copyOf(names);
    }

    /** The cells of one row, in column order. */
    public List<Object> cells(T row) {
        List<Object> out = new ArrayList<>(values.size());
        for (Function<T, Object> v : values) {
            Object o = v.apply(row);
            out.add(o == null ? "" : o);
        }
        return out;
    }

    /** A printer with this header, writing to {@code file}'s temporary copy (formulas neutralised: {@link Csv}). */
    public Csv.Printer printer(AtomicFile file) throws IOException {
        return Csv.printer(file.writer(), names.toArray(String[]::new));
    }

    /** Writes all rows to {@code path} atomically. */
    public void write(Path path, Iterable<? extends T> rows) throws IOException {
        try (AtomicFile f = new AtomicFile(path); Csv.Printer csv = printer(f)) {
            for (T row : rows) csv.printRecord(cells(row));
            csv.flush();
            f.commit();
        }
    }
}
