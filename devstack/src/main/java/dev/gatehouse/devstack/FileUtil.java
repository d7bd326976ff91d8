package dev.gatehouse.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * The few file operations the launcher needs: log tails for error messages, recursive delete of data/temp
 * directories, and atomic writes (the wrapper script polls for files such as {@code ready} and {@code infra.env}, so
 * they must never be seen half written).
 */
public final class FileUtil {

    private FileUtil() {
    }

    /** The last {@code lines} lines of a text file, or a note when it does not exist. */
    public static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no log at " + file + ")";
        }
        try {
            List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
            Deque<String> last = new ArrayDeque<>();
            for (String line : all) {
                last.addLast(line);
                if (last.size() > lines) {
                    last.removeFirst();
                }
            }
            return String.join(System.lineSeparator(), last);
        } catch (IOException | UncheckedIOException e) {
            return "(cannot read " + file + ": " + e.getMessage() + ")";
        }
    }

    /** Deletes a directory tree; missing is fine. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Best-effort {@link #deleteRecursively}, for shutdown hooks. */
    public static void deleteQuietly(Path root) {
        try {
            deleteRecursively(root);
        } catch (IOException | RuntimeException e) {
            // a shutdown hook must not fail; leftovers are in a temp directory
        }
    }

    /** Writes a file via a sibling temp file and a rename, so readers see all of it or nothing. */
    public static void writeAtomically(Path file, String content) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content, StandardCharsets.UTF_8);
        try {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
