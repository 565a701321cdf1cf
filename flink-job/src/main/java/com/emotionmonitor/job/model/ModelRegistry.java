package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.text.TextPipeline;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model versions loaded in this JVM (one TaskManager): one verified copy of each, shared by every subtask,
 * reference-counted by {@link ModelLease}s. Routers hold a lease on the version they stamp, the classifier holds one
 * per request in flight, so a version is released (its native memory freed) exactly when no subtask serves it and
 * no in-flight request needs it.
 *
 * <p>Loading and verification run on one background thread of the registry, never on a task thread: the version
 * that serves meanwhile keeps serving. Concurrent requests for the same version share one load. A version that fails
 * to load is forgotten (the next command for it tries again) and its future fails with the reason.
 *
 * <p>Restart-safe: Flink keeps the user-code classloader across failovers (FLINK-16408), so {@link #shared()}
 * outlives a restart. Operators close their leases in {@code close()}, which Flink calls on failover too; a lease that
 * was never closed keeps a valid version loaded, it never serves a closed one.
 */
public final class ModelRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);

    private static final ModelRegistry SHARED = new ModelRegistry("taskmanager", new VerifyingModelLoader("auto"));

    private final String name;
    private final ModelLoader loader;
    private final ExecutorService background;
    private final Map<ModelKey, Entry> entries = new HashMap<>();
    /** Where each version named so far was found, loaded or not: posts stamped with a released version reload from it. */
    private final Map<ModelKey, ModelTarget> seen = new HashMap<>();
    private final AtomicLong loads = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong releases = new AtomicLong();

    public ModelRegistry(String name, ModelLoader loader) {
        this.name = name;
        this.loader = loader;
        this.background = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "model-loader-" + name);
            t.setDaemon(true);
            return t;
        });
    }

    /** The registry of this TaskManager (device {@code auto}: a GPU when DJL sees one, else the CPU). */
    public static ModelRegistry shared() {
        return SHARED;
    }

    /**
     * A lease on {@code target}'s version once it is loaded and verified; loads it in the background if needed. A
     * version already loaded is checked against this target (pinned manifest checksum, this job's requirements)
     * without loading it again. The future fails with a {@link ModelLoadException} saying why the version was refused.
     * Whoever stops waiting must still close the lease the future delivers.
     */
    public CompletableFuture<ModelLease> prepare(ModelTarget target, ClassifierRequirements requirements) {
        ModelKey key = target.key();
        Entry entry;
        synchronized (this) {
            remember(target);
            entry = entries.get(key);
            if (entry == null) {
                Entry created = new Entry(key, target.location);
                created.model = CompletableFuture.supplyAsync(() -> load(target, requirements), background);
                created.model.whenComplete((model, error) -> {
                    if (error != null) {
                        forget(created);
                    }
                });
                entries.put(key, created);
                entry = created;
            }
            entry.references++; // the lease this call delivers, or given back below if the version is refused
        }
        Entry held = entry;
        return entry.model.handle((model, error) -> {
            try {
                if (error != null) {
                    throw refusal(error);
                }
                checkSameArtifact(held, target, model);
                requirements.check(model.manifest());
                return (ModelLease) new Lease(held);
            } catch (RuntimeException e) {
                release(held);
                throw e;
            }
        });
    }

    /** Notes where a version lives (e.g. versions named by restored state), for {@link #lastKnown}. */
    public synchronized void remember(ModelTarget target) {
        seen.put(target.key(), target);
    }

    /** The last target seen for {@code key} (its location and pinned checksum), or null. */
    public synchronized ModelTarget lastKnown(ModelKey key) {
        return seen.get(key);
    }

    /** A lease on {@code key} if it is loaded and verified now, else null (never loads, never blocks). */
    public ModelLease acquireIfLoaded(ModelKey key) {
        synchronized (this) {
            Entry e = entries.get(key);
            if (e == null || !e.model.isDone() || e.model.isCompletedExceptionally()) {
                return null;
            }
            e.references++;
            return new Lease(e);
        }
    }

    /** Versions loaded (or loading) right now, as {@code name/version}. */
    public synchronized Set<String> loaded() {
        Set<String> out = new TreeSet<>();
        entries.keySet().forEach(k -> out.add(k.id()));
        return out;
    }

    public synchronized boolean isLoaded(ModelKey key) {
        Entry e = entries.get(key);
        return e != null && e.model.isDone() && !e.model.isCompletedExceptionally();
    }

    /** Versions loaded and verified since the JVM started. */
    public long loads() {
        return loads.get();
    }

    /** Versions refused since the JVM started. */
    public long refusals() {
        return refusals.get();
    }

    /** Versions released (native memory freed) since the JVM started. */
    public long releases() {
        return releases.get();
    }

    private LoadedModel load(ModelTarget target, ClassifierRequirements requirements) {
        long started = System.nanoTime();
        LOG.info("model registry {}: loading and verifying {} from {}", name, target.key(), target.location);
        try {
            LoadedModel model = loader.load(target, requirements);
            loads.incrementAndGet();
            LOG.info("model registry {}: {} verified and ready in {} ms (manifest sha256 {})", name, target.key(),
                    (System.nanoTime() - started) / 1_000_000, model.manifestSha256());
            return model;
        } catch (RuntimeException | Error e) {
            refusals.incrementAndGet();
            LOG.warn("model registry {}: REFUSED {}: {}", name, target.key(), describe(e));
            throw e;
        }
    }

    /** A second command for a loaded version must name the same artifact: a different pinned checksum is refused. */
    private static void checkSameArtifact(Entry entry, ModelTarget target, LoadedModel model) {
        if (target.manifestSha256 != null && !target.manifestSha256.isBlank()
                && !target.manifestSha256.equalsIgnoreCase(model.manifestSha256())) {
            throw new ModelLoadException(target.key() + ": sha256 mismatch for manifest.json (command " + target.manifestSha256
                    + ", loaded copy from " + entry.location + " has " + model.manifestSha256() + ")");
        }
    }

    private static RuntimeException refusal(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ModelLoadException mle) {
            return mle;
        }
        return new ModelLoadException("loading failed: " + describe(cause), cause);
    }

    static String describe(Throwable t) {
        return t instanceof ModelLoadException ? t.getMessage() : t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private synchronized void forget(Entry entry) {
        entries.remove(entry.key, entry);
    }

    private void release(Entry entry) {
        LoadedModel toClose = null;
        synchronized (this) {
            if (--entry.references == 0) {
                entries.remove(entry.key, entry);
                if (entry.model.isDone() && !entry.model.isCompletedExceptionally()) {
                    toClose = entry.model.join();
                }
            }
        }
        if (toClose != null) {
            toClose.close();
            releases.incrementAndGet();
            LOG.info("model registry {}: released {} (native memory freed): no subtask stamps it, no request in flight uses it",
                    name, entry.key);
        }
    }

    private static final class Entry {
        final ModelKey key;
        final String location;
        CompletableFuture<LoadedModel> model;
        int references;

        Entry(ModelKey key, String location) {
            this.key = key;
            this.location = location;
        }
    }

    private final class Lease implements ModelLease {
        private final Entry entry;
        private final AtomicBoolean closed = new AtomicBoolean();

        Lease(Entry entry) {
            this.entry = entry;
        }

        private LoadedModel model() {
            if (closed.get()) {
                throw new IllegalStateException("lease on " + entry.key + " is closed");
            }
            return entry.model.join();
        }

        @Override
        public ModelKey key() {
            return entry.key;
        }

        @Override
        public TextPipeline textPipeline() {
            return model().textPipeline();
        }

        @Override
        public BatchPredictor predictor() {
            return model().predictor();
        }

        @Override
        public ModelLease share() {
            model();
            synchronized (ModelRegistry.this) {
                entry.references++;
            }
            return new Lease(entry);
        }

        @Override
        public void close() {
            if (closed.compareAndSet(false, true)) {
                release(entry);
            }
        }

        @Override
        public String toString() {
            return "lease on " + entry.key + (closed.get() ? " (closed)" : "");
        }
    }
}
