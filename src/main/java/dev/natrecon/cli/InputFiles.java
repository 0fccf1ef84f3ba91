package dev.natrecon.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that a file the command line (or a case settings file) names is there, is a file
 * and can be read, so that the one-line error names the option, the file and the reason ({@code --lan /tmp/x: is a
 * folder, not a file}) instead of the bare "Is a directory" the JDK reports once a reader opens it.
 */
final class InputFiles {
    private InputFiles() {
    }

    /**
     * {@code file} as given, or an exception whose message is {@code WHAT FILE: REASON}; null stays null (an option
     * not given). {@code what} names where the file came from: an option, or a case settings file and its key.
     */
    static Path file(String what, Path file) throws IOException {
        if (file == null) return null;
        String name = what + " " + file;
        if (!Files.exists(file)) throw new NoSuchFileException(name, null, "no such file");
        if (Files.isDirectory(file)) throw new FileSystemException(name, null, "is a folder, not a file");
        if (!Files.isReadable(file)) throw new AccessDeniedException(name, null, "permission denied");
        return file;
    }
}
