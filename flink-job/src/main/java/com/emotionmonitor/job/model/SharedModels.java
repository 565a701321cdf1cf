package com.emotionmonitor.job.model;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.EmotionModel;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import com.emotionmonitor.text.TextPipeline;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One loaded copy of each model version per JVM (TaskManager), shared by every subtask that asks for it and
 * reference-counted: the preprocess and classify operators of all slots hold leases on the same weights.
 *
 * <p>Restart-safe: Flink reuses the user-code classloader across failovers (FLINK-16408), so this static map outlives
 * a restart. Operators release their lease in {@code close()}, which Flink calls on failover too; a lease that was never
 * released only keeps a valid model loaded, it never serves a closed one, because a closed entry is removed before
 * it closes. {@link EmotionModel} runs one forward pass at a time, so subtasks sharing a model share its inference.
 */
public final class SharedModels {

    private static final Map<Path, Entry> LOADED = new HashMap<>();

    private SharedModels() {}

    public static ModelLease acquire(Path versionDir) throws Exception {
        Path key = versionDir.toAbsolutePath().normalize();
        synchronized (LOADED) {
            Entry entry = LOADED.get(key);
            if (entry == null) {
                entry = new Entry(key, EmotionModel.load(key));
                LOADED.put(key, entry);
            }
            entry.references++;
            return new Lease(entry);
        }
    }

    /** Number of model versions loaded in this JVM (for tests and the demo's view). */
    public static int loadedCount() {
        synchronized (LOADED) {
            return LOADED.size();
        }
    }

    private static void release(Entry entry) {
        synchronized (LOADED) {
            if (--entry.references == 0) {
                LOADED.remove(entry.key);
                entry.model.close();
            }
        }
    }

    private static final class Entry {
        final Path key;
        final EmotionModel model;
        int references;

        Entry(Path key, EmotionModel model) {
            this.key = key;
            this.model = model;
        }
    }

    private static final class Lease implements ModelLease {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();
        private final BatchPredictor predictor;

        Lease(Entry entry) {
            this.entry = entry;
            this.predictor = this::predict;
        }

        private List<Prediction> predict(List<Encoding> batch) {
            if (closed.get()) {
                throw new IllegalStateException("model lease " + modelName() + "/" + modelVersion() + " is closed");
            }
            return entry.model.predict(batch);
        }

        @Override
        public String modelName() {
            return entry.model.manifest().name();
        }

        @Override
        public String modelVersion() {
            return entry.model.manifest().version();
        }

        @Override
        public TextPipeline textPipeline() {
            return entry.model.textPipeline();
        }

        @Override
        public BatchPredictor predictor() {
            return predictor;
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(entry);
            }
        }
    }
}
