package com.emotionmonitor.train;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates ../shared/data (beside the checkout); tests fail with a clear message when it is absent. */
public final class TestData {

    private TestData() {}

    public static Path sharedData() {
        Path dir = Path.of("").toAbsolutePath();
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate.resolve("smp2020-ewect"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/data (with smp2020-ewect/) not found above " + Path.of("").toAbsolutePath()
                + ": the tests read the shared data by path");
    }
}
