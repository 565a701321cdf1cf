package com.emotionmonitor.model;

/**
 * DJL phones home (the cloud metadata service, usage tracking) unless told not to, and libtorch with more than one
 * intra-op thread is slower on small machines (spin-waiting OpenMP). Call {@link #apply()} before any
 * DJL class loads; explicit -D flags still win.
 */
public final class OfflineDefaults {

    private OfflineDefaults() {}

    public static void apply() {
        setIfAbsent("ai.djl.offline", "true");
        setIfAbsent("ai.djl.pytorch.num_threads", "1");
        setIfAbsent("ai.djl.pytorch.num_interop_threads", "1");
        // OPT_OUT_TRACKING is an environment variable; DJL also honours this system property.
        setIfAbsent("OPT_OUT_TRACKING", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
