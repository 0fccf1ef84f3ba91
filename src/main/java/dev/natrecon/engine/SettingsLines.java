package dev.natrecon.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reading one value of a case settings file with a reason when it does not read: {@link #value} and its shorthands
 * throw {@link BadValue} naming the key, the value and what was expected; {@link #locate} turns that into
 * {@code case.properties: line 12: sip.helper.ports=abc: expected a port number 1-65535}.
 */
final class SettingsLines {
    private SettingsLines() {
    }

    /** A value of {@link #key} that does not read. */
    static final class BadValue extends IllegalArgumentException {
        final String key;

        BadValue(String key, String value, String expected, Throwable cause) {
            super(key + "=" + value + ": expected " + expected
                    + (cause == null || cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")"), cause);
            this.key = key;
        }
    }

    /** {@code parse} applied to {@code value}; any failure is a {@link BadValue} for {@code key}. */
    static <T> T value(String key, String value, String expected, Function<String, T> parse) {
        try {
            T t = parse.apply(value);
            if (t == null) throw new BadValue(key, value, expected, null);
            return t;
        } catch (BadValue e) {
            throw e;
        } catch (RuntimeException e) {
            throw new BadValue(key, value, expected, e);
        }
    }

    /** A whole number in {@code [min, max]}. */
    static int number(String key, String value, int min, int max) {
        String expected = "a whole number " + min + "-" + max;
        int n = value(key, value, expected, Integer::parseInt);
        if (n < min || n > max) throw new BadValue(key, value, expected, null);
        return n;
    }

    /** One of an enum's constants, by name in any case. */
    static <E extends Enum<E>> E choice(String key, String value, Class<E> type) {
        List<String> names = java.util.Arrays.stream(type.getEnumConstants()).map(e -> e.name().toLowerCase(Locale.ROOT)).toList();
        return value(key, value, "one of " + String.join(", ", names),
                v -> Enum.valueOf(type, v.trim().toUpperCase(Locale.ROOT)));
    }

    /**
     * {@code e}'s message with the settings file and the line of the key it names in front, or the message as it is
     * when {@code e} is not about one of the file's values (it names its own file: a sysctl dump, a ruleset).
     */
    static String locate(Path file, IllegalArgumentException e) {
        if (!(e instanceof BadValue b)) return e.getMessage();
        return file + ": line " + line(file, b.key) + ": " + e.getMessage();
    }

    /** The 1-based line that sets {@code key} (the last one: {@link java.util.Properties} keeps the last), or 0. */
    static int line(Path file, String key) {
        Pattern p = Pattern.compile("^[ \\t\\f]*" + Pattern.quote(key) + "[ \\t\\f]*[=:\\s].*|^[ \\t\\f]*" + Pattern.quote(key) + "$");
        try {
            List<String> lines = Files.readAllLines(file);
            int found = 0;
            for (int i = 0; i < lines.size(); i++) if (p.matcher(lines.get(i)).matches()) found = i + 1;
            return found;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
