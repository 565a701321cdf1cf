package com.emotionmonitor.cli;

import com.emotionmonitor.store.ModelStore;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --model DIR} with the newest published weibo-emotion version as default. */
public final class ModelOption {

    public static final String DEFAULT_MODEL = "weibo-emotion";

    @Option(names = "--model", description = "A model-store version directory (default: newest model-store/weibo-emotion).")
    Path model;

    @Option(names = "--device", defaultValue = "auto", description = "auto, cpu, gpu or gpu:N.")
    String device;

    public Path resolve() {
        if (model != null) {
            return ProjectPaths.requireDirectory(model, "--model");
        }
        return ModelStore.latest(ProjectPaths.modelStore(), DEFAULT_MODEL);
    }

    public String device() {
        return device;
    }
}
