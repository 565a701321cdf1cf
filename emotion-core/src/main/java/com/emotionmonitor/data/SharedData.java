package com.emotionmonitor.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project's shared data folder ({@code ../shared/data} beside the checkout, the one with
 * {@code smp2020-ewect/}) from the working directory of any module or tool: the data is read by path, never copied.
 */
public final class SharedData {

    private SharedData() {}

    /** @throws IllegalStateException naming where it looked, when the folder is not there */
    public static Path locate() {
        Path start = Path.of("").toAbsolutePath();
        Path dir = start;
        for (int i = 0; i < 4 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate.resolve("smp2020-ewect"))) {
                return candidate;
            }
        }
        throw new IllegalStateException("../shared/data (with smp2020-ewect/) not found beside " + start
                + " or any of its three parents: the data sets are read by path from there");
    }
}
