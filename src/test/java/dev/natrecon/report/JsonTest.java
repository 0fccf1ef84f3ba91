package dev.natrecon.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** JSON strings: every control character, U+2028/U+2029 and lone surrogates escaped; the text reads back unchanged. */
class JsonTest {
    @Test
    void controlCharactersLineSeparatorsAndLoneSurrogatesAreEscaped() throws Exception {
        String hostile = "a\u0000\u001b[2J\u0007\u007f\u0085\u009b\u2028\u2029<script>&\"\\\ud83d\ude00|\ud83d|\ude00x";
        String json = Json.render(List.of(hostile)).strip();
        assertEquals("[\n  \"a\\u0000\\u001b[2J\\u0007\\u007f\\u0085\\u009b\\u2028\\u2029\\u003cscript\\u003e\\u0026\\\"\\\\"
                + "\ud83d\ude00|\\ud83d|\\ude00x\"\n]", json);
        for (char c : json.toCharArray()) {
            assertEquals(false, c < 0x20 && c != '\n' || c >= 0x7f && c <= 0x9f || c == 0x2028 || c == 0x2029, "raw U+" + (int) c);
        }
        assertEquals(hostile, new ObjectMapper().readValue(json, String[].class)[0]);
    }
}
