package dev.natrecon.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The write-then-swap of an output folder, and what it may delete. */
class FolderSwapTest {
    @TempDir
    Path tmp;

    static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aCompleteFolderReplacesTheOldOneWhole() throws IOException {
        Path target = tmp.resolve("out");
        Files.createDirectories(target);
        Files.writeString(target.resolve("summary.json"), "old");
        Files.writeString(target.resolve("stale.csv"), "old");
        Path partial = FolderSwap.begin(target, "summary.json");
        assertEquals(tmp, partial.getParent());
        assertTrue(partial.getFileName().toString().matches("\\.out\\.partial-[0-9a-f]{16}"), partial.toString());
        Files.writeString(partial.resolve("summary.json"), "new");
        FolderSwap.commit(partial, target);
        assertEquals(List.of("summary.json"), names(target));
        assertEquals("new", Files.readString(target.resolve("summary.json")));
        assertEquals(List.of("out"), names(tmp), "no temporary folder left");
    }

    @Test
    void aRunKilledBetweenItsTwoRenamesGetsTheOldFolderBack() throws IOException {
        Path target = tmp.resolve("out");
        Path old = tmp.resolve(".out.old-00000000000000ab"), partial = tmp.resolve(".out.partial-00000000000000ab");
        Files.createDirectories(old);
        Files.writeString(old.resolve("summary.json"), "the earlier run");
        Files.createDirectories(partial);
        Files.writeString(partial.resolve("packets.csv"), "half of the new run");
        Path next = FolderSwap.begin(target, "summary.json");
        assertEquals("the earlier run", Files.readString(target.resolve("summary.json")));
        assertEquals(List.of(next.getFileName().toString(), "out"), names(tmp));
        FolderSwap.abandon(next);
        assertEquals(List.of("out"), names(tmp));
    }

    @Test
    void leftoversOfOtherNamesAndLinkTargetsAreLeftAlone() throws IOException {
        Path elsewhere = tmp.resolve("elsewhere");
        Files.createDirectories(elsewhere);
        Files.writeString(elsewhere.resolve("keep.txt"), "keep");
        Path dir = tmp.resolve("parent");
        Files.createDirectories(dir.resolve(".other.partial-1f"));
        Files.createSymbolicLink(dir.resolve(".out.partial-2e"), elsewhere);
        Files.createSymbolicLink(dir.resolve(".out.old-3d"), elsewhere);
        FolderSwap.abandon(FolderSwap.begin(dir.resolve("out"), "summary.json"));
        assertEquals(List.of(".other.partial-1f"), names(dir), "only out's leftovers are removed, links as links");
        assertEquals("keep", Files.readString(elsewhere.resolve("keep.txt")));
    }

    @Test
    void deletingATreeNeverFollowsALink() throws IOException {
        Path elsewhere = tmp.resolve("elsewhere");
        Files.createDirectories(elsewhere.resolve("sub"));
        Files.writeString(elsewhere.resolve("sub/keep.txt"), "keep");
        Path tree = tmp.resolve("tree");
        Files.createDirectories(tree.resolve("a"));
        Files.createSymbolicLink(tree.resolve("a/link"), elsewhere);
        Files.createSymbolicLink(tmp.resolve("top-link"), elsewhere);
        FolderSwap.deleteTree(tree);
        FolderSwap.deleteTree(tmp.resolve("top-link"));
        assertFalse(Files.exists(tree, LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(tmp.resolve("top-link"), LinkOption.NOFOLLOW_LINKS));
        assertEquals("keep", Files.readString(elsewhere.resolve("sub/keep.txt")));
    }

    @Test
    void whatNatreconDidNotWriteIsNeverReplaced() throws IOException {
        Path mine = tmp.resolve("mine");
        Files.createDirectories(mine);
        Files.writeString(mine.resolve("notes.txt"), "mine");
        IOException e = assertThrows(IOException.class, () -> FolderSwap.begin(mine, "summary.json"));
        assertEquals(mine + ": exists and natrecon did not write it (no summary.json in it); natrecon replaces only its "
                + "own output folders: give a new or empty folder", e.getMessage());
        Path empty = tmp.resolve("empty");
        Files.createDirectories(empty);
        FolderSwap.commit(FolderSwap.begin(empty, "summary.json"), empty);
        assertTrue(Files.isDirectory(empty), "an empty folder may be replaced");
        assertThrows(IOException.class, () -> FolderSwap.begin(Path.of("/"), "summary.json"));
        assertEquals(List.of("empty", "mine"), names(tmp));
    }
}
