package com.emotionmonitor.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * The atomic replace every resumable run uses: a checkpoint is written whole into {@code <name>.tmp},
 * then renamed over {@code <name>}, so a kill at any moment leaves either the old checkpoint or the new one,
 * never half of one. The previous checkpoint survives as {@code <name>.prev} until the rename is done.
 */
public final class CheckpointDirectory {

    private CheckpointDirectory() {}

    /** Fills a directory with one checkpoint's files. */
    public interface Filler {
        void fill(Path dir) throws IOException;
    }

    /**
     * Writes {@code workDir/name} atomically; {@code keepPrevious} leaves the replaced checkpoint as
     * {@code name.prev} (a second resume point should the newest turn out corrupt).
     */
    public static Path replace(Path workDir, String name, boolean keepPrevious, Filler filler) throws IOException {
        Files.createDirectories(workDir);
        Path tmp = workDir.resolve(name + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        filler.fill(tmp);
        Path latest = workDir.resolve(name);
        Path prev = workDir.resolve(name + ".prev");
        deleteTree(prev);
        if (Files.exists(latest)) {
            Files.move(latest, prev, StandardCopyOption.ATOMIC_MOVE);
        }
        Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE);
        if (!keepPrevious) {
            deleteTree(prev);
        }
        return latest;
    }

    /** Deletes a file or a directory tree; nothing happens when it does not exist. */
    public static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            for (Path q : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }
}
