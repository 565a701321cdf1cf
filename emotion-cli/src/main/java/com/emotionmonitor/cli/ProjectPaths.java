package com.emotionmonitor.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Default locations, relative to the project (bin/emotion exports EMOTION_HOME) or the working directory. */
public final class ProjectPaths {

    private ProjectPaths() {}

    public static Path home() {
        String env = System.getenv("EMOTION_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : Path.of("").toAbsolutePath();
    }

    /** {@code ../shared/data} beside the checkout. */
    public static Path sharedData() {
        return home().resolve("../shared/data").normalize();
    }

    public static Path modelStore() {
        return home().resolve("model-store");
    }

    /** Scratch space for training runs (ignored by git). */
    public static Path work() {
        return home().resolve("work");
    }

    /** Fails with the path and the reason, for CLI flags that name an input. */
    public static Path requireFile(Path p, String what) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(what + " " + p.toAbsolutePath() + " does not exist");
        }
        if (!Files.isRegularFile(p)) {
            throw new IllegalArgumentException(what + " " + p.toAbsolutePath() + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new IllegalArgumentException(what + " " + p.toAbsolutePath() + " is not readable");
        }
        return p;
    }

    public static Path requireDirectory(Path p, String what) {
        if (!Files.exists(p)) {
            throw new IllegalArgumentException(what + " " + p.toAbsolutePath() + " does not exist");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalArgumentException(what + " " + p.toAbsolutePath() + " is not a directory");
        }
        return p;
    }
}
