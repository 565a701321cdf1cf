package com.emotionmonitor.testkit;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** Flink MiniClusters for tests, bound to 127.0.0.1 only. */
public final class MiniClusters {

    private MiniClusters() {}

    /** {@code @RegisterExtension static final MiniClusterExtension FLINK = MiniClusters.loopback(2);} */
    public static MiniClusterExtension loopback(int slots) {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(slots)
                .setConfiguration(loopbackOnly())
                .build());
    }

    /** A configuration whose REST endpoint binds and advertises 127.0.0.1. */
    public static Configuration loopbackOnly() {
        Configuration c = new Configuration();
        c.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        c.set(RestOptions.ADDRESS, "127.0.0.1");
        return c;
    }
}
