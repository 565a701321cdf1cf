package com.emotionmonitor.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data beside the checkout from a module's working directory; fails with a clear message when absent. */
public final class SharedTestData {

    private SharedTestData() {}

    public static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate.resolve("smp2020-ewect"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/data not found above " + Path.of("").toAbsolutePath());
    }
}
