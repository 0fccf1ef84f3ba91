package dev.natrecon.batch;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Member names from archives, checked before anything is written under a scratch folder. */
final class Archives {
    /** Longest name part most file systems take (ext4, xfs: 255 bytes). */
    static final int MAX_PART_BYTES = 255;
    /** Longest member name unpacked: Linux's PATH_MAX is 4096 and the scratch folder's own path comes first. */
    static final int MAX_NAME_BYTES = 1024;
    private static final Pattern DRIVE = Pattern.compile("^[A-Za-z]:.*");

    private Archives() {
    }

    /**
     * Why a member name is not unpacked, or null when it is safe (relative, no ".." part, no backslash, drive letter
     * or control character, not too long: an archive cannot write outside the scratch folder). The reason becomes an
     * unmatched row.
     */
    static String unsafe(String name) {
        if (name.isEmpty()) return "unsafe member name: empty";
        if (name.startsWith("/")) return "unsafe member name: an absolute path; not unpacked";
        if (DRIVE.matcher(name).matches()) return "unsafe member name: a drive letter; not unpacked";
        if (name.contains("\\")) return "unsafe member name: a backslash (a Windows path); not unpacked";
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) return "unsafe member name: control characters; not unpacked";
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES) return "member name longer than "
                + MAX_NAME_BYTES + " bytes; not unpacked";
        for (String part : name.split("/")) {
            if (part.equals("..")) return "unsafe member name: '..' would leave the archive's folder; not unpacked";
            if (part.getBytes(StandardCharsets.UTF_8).length > MAX_PART_BYTES) return "member name part longer than "
                    + MAX_PART_BYTES + " bytes; not unpacked";
        }
        return null;
    }

    /** Without leading "./" (tar writes "./x" for "tar -C dir ."). */
    static String normal(String name) {
        while (name.startsWith("./")) name = name.substring(2);
        return name;
    }

    /** Where a member goes under {@code scratch}, parent folders created; a new file (an old one is replaced). */
    static Path target(Path scratch, String member) throws IOException {
        String why = unsafe(member);
        Path t = scratch.resolve(member).normalize();
        if (why != null || !t.startsWith(scratch.normalize())) throw new IOException(member + ": " + (why != null ? why : "unsafe member name"));
        Files.createDirectories(t.getParent());
        Files.deleteIfExists(t);
        return t;
    }
}
