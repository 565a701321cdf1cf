package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ModelKey;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link ModelSource} whose registry and batcher are the test's own (operators get their source serialized, so the registry is
 * handed over by id), over a model store directory.
 */
public final class TestModelSource implements ModelSource {

    private static final long serialVersionUID = 1L;
    private static final Map<String, ModelRegistry> REGISTRIES = new ConcurrentHashMap<>();
    private static final Map<String, DeviceBatcher> BATCHERS = new ConcurrentHashMap<>();

    private final String registryId = UUID.randomUUID().toString();
    private final String store;
    private final ModelTarget start;
    private final ModelTrust trust;

    public TestModelSource(ModelRegistry registry, Path store, ModelTarget start) {
        this(registry, store, start, ModelTrust.NONE);
    }

    public TestModelSource(ModelRegistry registry, Path store, ModelTarget start, ModelTrust trust) {
        this.trust = trust;
        REGISTRIES.put(registryId, registry);
        BATCHERS.put(registryId, new DeviceBatcher("micro-batcher-" + registryId));
        this.store = store.toString();
        this.start = start;
    }

    /** The start version {@code store/name/version}. */
    public static ModelTarget storeTarget(Path store, String name, String version) {
        return new ModelTarget(0, name, version, store.resolve(name).resolve(version).toString(), null,
                com.emotionmonitor.schema.ModelTrigger.STARTUP, null);
    }

    @Override
    public String modelName() {
        return start.modelName;
    }

    @Override
    public String modelVersion() {
        return start.version;
    }

    @Override
    public ModelTarget startTarget() {
        return start;
    }

    @Override
    public Path locate(ModelKey key, String artifactLocation) {
        Path dir = StoreModelSource.locate(Path.of(store), key, artifactLocation);
        trust.checkLocation(dir);
        return dir;
    }

    @Override
    public ModelTrust trust() {
        return trust;
    }

    @Override
    public ModelRegistry registry() {
        return REGISTRIES.get(registryId);
    }

    /** The test's own batcher, so one test's limits and leftovers never reach another's. */
    @Override
    public DeviceBatcher batcher() {
        return BATCHERS.get(registryId);
    }
}
