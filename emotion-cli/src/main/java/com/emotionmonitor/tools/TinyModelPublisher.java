package com.emotionmonitor.tools;

import com.emotionmonitor.model.OfflineDefaults;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Publishes a real tiny model (trained in seconds on 36 hand-written posts) into a scratch model store, for
 * deploy/local/smoke.sh on a machine where no model has been published yet. Its labels mean nothing; it exists so the
 * cluster path can be exercised end to end with real weights. Usage: {@code TinyModelPublisher STORE_ROOT VERSION}.
 */
public final class TinyModelPublisher {

    private TinyModelPublisher() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            System.err.println("usage: TinyModelPublisher STORE_ROOT VERSION");
            System.exit(2);
        }
        OfflineDefaults.apply();
        Path store = Path.of(args[0]);
        Path existing = store.resolve("weibo-emotion").resolve(args[1]);
        if (Files.isRegularFile(existing.resolve("manifest.json"))) {
            System.out.println(existing.toAbsolutePath());
            return;
        }
        Path dir = TinyRecipe.trainAndPublish(store, "weibo-emotion", args[1], 7L);
        System.out.println(dir.toAbsolutePath());
    }
}
