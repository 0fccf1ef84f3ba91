package dev.natrecon.batch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Member names from archives, made safe to write under a scratch folder. */
final class Archives {
    private Archives() {
    }

    /** Relative, without ".." or absolute parts (an archive cannot write outside the scratch folder). */
    static boolean safeName(String name) {
        if (name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) return false;
        for (String part : name.split("/")) if (part.equals("..")) return false;
        return true;
    }

    /** Without leading "./" (tar writes "./x" for "tar -C dir ."). */
    static String normal(String name) {
        while (name.startsWith("./")) name = name.substring(2);
        return name;
    }

    /** Where a member goes under {@code scratch}, parent folders created. */
    static Path target(Path scratch, String member) throws IOException {
        Path t = scratch.resolve(member).normalize();
        if (!t.startsWith(scratch)) throw new IOException("unsafe archive member name: " + member);
        Files.createDirectories(t.getParent());
        return t;
    }
}
