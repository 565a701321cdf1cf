package com.emotionmonitor.cli;

import com.emotionmonitor.tools.DemoPosts;
import com.emotionmonitor.demo.DemoRunner;
import com.emotionmonitor.demo.SpikeBurst;
import com.emotionmonitor.demo.SpikePosts;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.io.AvroLimits;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.model.Emotion;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.util.FileUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/emotion demo}: the whole product in one JVM, on real posts, with a live view and a JSON summary. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Start a real Kafka broker (KRaft, 127.0.0.1, free port) and a local Flink cluster in-process, replay "
                + "bundled real Weibo posts (a sample of SMP2020-EWECT usual_eval) at --rate posts/s, run the job and show live "
                + "counts. Ends after --duration seconds or on Ctrl-C: stops the replay, drains the job, and prints one JSON "
                + "summary as the last line (posts_in, events_out, duplicates, dead_letters, stats_total, model_version, ...). "
                + "--bootstrap-servers is ignored here: the demo brings its own broker. --inject-spike EMOTION adds, after a "
                + "warm-up, a burst of real posts of that emotion to one window; the live view shows the alerts and the summary "
                + "counts them (alerts_by_emotion).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every post came out exactly once and was counted in the stats",
            "1:the run failed or the counts do not add up (see the summary)",
            "2:no model published (train one, or use --train-tiny) or invalid settings"})
public final class DemoCommand implements Callable<Integer> {

    static final String TINY_MODEL_NAME = "tiny-emotion";

    @Option(names = "--rate", defaultValue = "20", paramLabel = "POSTS_PER_S", description = "Replay rate (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "0", paramLabel = "SECONDS",
            description = "Stop by itself after this many seconds; 0 = run until Ctrl-C (default ${DEFAULT-VALUE}).")
    long durationSeconds;

    @Option(names = "--event-time-speedup", defaultValue = "6", paramLabel = "X",
            description = "Event time runs X times faster than the wall clock, so a short run spans several windows; it starts in the"
                    + " past and catches up with the wall clock at the end of --duration (or after 10 minutes without one), then"
                    + " follows it: it never runs ahead of it (default ${DEFAULT-VALUE}).")
    int eventTimeSpeedup;

    @Option(names = "--malformed-every", defaultValue = "0", paramLabel = "N",
            description = "Also send one malformed record after every N posts, to show the dead-letter path (default off).")
    int malformedEvery;

    @Option(names = "--inject-spike", paramLabel = "EMOTION",
            description = "After a warm-up, add a burst of real posts of EMOTION (happy, angry, sad, fear, surprise, neutral) from the "
                    + "bundled sample to one window: the sample's posts of that label that the served model also labels so.")
    String injectSpike;

    @Option(names = "--spike-at", paramLabel = "SECONDS",
            description = "When the burst starts, in seconds after the first post; it fills the whole window it starts in "
                    + "(default: after alerts.warmup-windows + 1 windows).")
    Long spikeAtSeconds;

    @Option(names = "--spike-ratio", defaultValue = "2", paramLabel = "N",
            description = "Burst posts added per replayed post during the burst window (default ${DEFAULT-VALUE}).")
    int spikeRatio;

    @Option(names = "--burst-at", paramLabel = "SECONDS",
            description = "Load test: at this many seconds after the first post, send --burst-posts extra posts at once (ids"
                    + " demo-burst-<k>); the status lines show the latency of the last 10 s, so the recovery can be timed.")
    Long burstAtSeconds;

    @Option(names = "--burst-posts", defaultValue = "10000", paramLabel = "N",
            description = "Posts in the --burst-at burst (default ${DEFAULT-VALUE}).")
    int burstPosts;

    @Option(names = "--drain-timeout", defaultValue = "120", paramLabel = "SECONDS",
            description = "At the end, how long to wait for the job to label the posts already sent (default ${DEFAULT-VALUE}).")
    long drainTimeoutSeconds;

    @Option(names = "--train-tiny",
            description = "Train a TINY test model first (seconds, 36 hand-written posts; a real model but not a useful classifier) "
                    + "into a temporary store and run the demo with it. For trying the pipeline before a real model is published. "
                    + "A second tiny version (another seed, suffix -b) is published beside it, to try 'bin/emotion model activate'.")
    boolean trainTiny;

    @Option(names = "--plain", description = "No in-place redraw: one status line every few seconds (automatic without a terminal).")
    boolean plain;

    @Option(names = "--dashboard-port", defaultValue = "8088", paramLabel = "PORT",
            description = "Serve the live dashboard on http://127.0.0.1:PORT/ (default ${DEFAULT-VALUE}; 0: a free port; a free"
                    + " one as well when this one is taken). The URL is printed at start.")
    int dashboardPort;

    @Option(names = "--no-dashboard", description = "Do not start the dashboard.")
    boolean noDashboard;

    @Mixin JobFlags job;

    @Override
    public Integer call() throws Exception {
        AvroLimits.apply();
        if (job.listSettings) {
            System.out.print(JobFlags.describeSettings());
            return 0;
        }
        if (rate <= 0 || durationSeconds < 0 || eventTimeSpeedup < 1 || malformedEvery < 0 || drainTimeoutSeconds < 1
                || dashboardPort < 0 || dashboardPort > 65535) {
            System.err.println("demo: --rate must be > 0, --duration >= 0, --event-time-speedup >= 1, --malformed-every >= 0,"
                    + " --drain-timeout >= 1, --dashboard-port 0-65535");
            return 2;
        }
        if (burstAtSeconds != null && (burstAtSeconds < 0 || burstPosts < 1)) {
            System.err.println("demo: --burst-at must be >= 0 and --burst-posts >= 1");
            return 2;
        }
        if (injectSpike != null) {
            try {
                Emotion.fromLabel(injectSpike);
            } catch (IllegalArgumentException e) {
                System.err.println("demo: --inject-spike: " + e.getMessage());
                return 2;
            }
            if (spikeRatio < 1 || (spikeAtSeconds != null && spikeAtSeconds < 0)) {
                System.err.println("demo: --spike-ratio must be >= 1 and --spike-at >= 0");
                return 2;
            }
        }
        JobConfig config;
        StoreModelSource model;
        Path tinyStore = null;
        try {
            config = job.toConfig(demoDefaults());
            if (trainTiny) {
                tinyStore = Files.createTempDirectory("emotion-demo-tiny-model-");
                String version = "tiny-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now());
                System.err.println("demo: training a TINY TEST MODEL (36 hand-written posts, a few seconds): its labels are not meaningful");
                TinyRecipe.trainAndPublish(tinyStore, TINY_MODEL_NAME, version + "-b", 43L); // a version to hot-swap to
                TinyRecipe.trainAndPublish(tinyStore, TINY_MODEL_NAME, version, 42L);
                config = config.with(Map.of("model.store", tinyStore.toString(), "model.name", TINY_MODEL_NAME, "model.version", version));
            }
            model = StoreModelSource.resolve(Path.of(config.modelStore()), config.modelName(), config.modelVersion())
                    .withTrust(config.modelTrust());
        } catch (IllegalArgumentException | ModelLoadException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println("demo: publish a model first (bin/emotion train ...), point --model-store/--model-name at one, "
                    + "or add --train-tiny to try the pipeline with a tiny test model");
            return 2;
        }
        SpikeBurst spike = null;
        if (injectSpike != null) {
            try {
                spike = spikeBurst(config, model);
            } catch (IllegalArgumentException | ModelLoadException e) {
                System.err.println("demo: --inject-spike: " + e.getMessage());
                if (tinyStore != null) {
                    FileUtils.deleteDirectoryQuietly(tinyStore.toFile());
                }
                return 2;
            }
        }
        DemoRunner runner = new DemoRunner(new DemoRunner.Settings(rate,
                durationSeconds == 0 ? null : Duration.ofSeconds(durationSeconds), eventTimeSpeedup, malformedEvery,
                !plain && System.console() != null, Duration.ofSeconds(drainTimeoutSeconds), config, model, trainTiny, spike,
                burstAtSeconds == null ? null : new com.emotionmonitor.demo.PostReplayer.Burst(Duration.ofSeconds(burstAtSeconds), burstPosts),
                noDashboard ? null : dashboardPort),
                System.out, System.err);
        stopOnSignal(runner);
        try {
            return runner.run();
        } finally {
            if (tinyStore != null) {
                FileUtils.deleteDirectoryQuietly(tinyStore.toFile());
            }
        }
    }

    /** The --inject-spike burst; warns when the settings cannot show an alert. */
    private SpikeBurst spikeBurst(JobConfig config, StoreModelSource model) throws java.io.IOException {
        Emotion emotion = Emotion.fromLabel(injectSpike);
        Duration after = spikeAtSeconds != null ? Duration.ofSeconds(spikeAtSeconds)
                : SpikeBurst.defaultAfter(config.windowSize(), eventTimeSpeedup, config.alerts().warmupWindows());
        double postsPerWindow = rate * config.windowSize().toMillis() / 1000.0 / eventTimeSpeedup;
        if (postsPerWindow < config.alerts().minWindowTotal()) {
            System.err.printf(java.util.Locale.ROOT, "demo: warning: a window holds about %.0f posts, fewer than alerts.min-window-total (%d):"
                    + " no window is judged; raise --rate or lower --event-time-speedup%n", postsPerWindow, config.alerts().minWindowTotal());
        }
        if (durationSeconds > 0 && after.toSeconds() >= durationSeconds) {
            System.err.println("demo: warning: --duration " + durationSeconds + " ends before the spike at " + after.toSeconds() + " s");
        }
        SpikePosts.Selection selection = SpikePosts.select(DemoPosts.load(), emotion, model.versionDir());
        System.err.println("demo: spike of " + emotion.label() + " at " + after.toSeconds() + " s: " + selection.description());
        return new SpikeBurst(emotion, selection.posts(), spikeRatio, after, selection.description());
    }

    /** The demo's own defaults (flags and --config still override): the project's model store, quick commits. */
    private static Map<String, String> demoDefaults() {
        Map<String, String> d = new LinkedHashMap<>();
        d.put("model.store", ProjectPaths.modelStore().toString());
        d.put("job.checkpoint-interval", "2s");
        d.put("kafka.group-id", "emotion-demo");
        d.put("sink.transactional-id-prefix", "emotion-demo");
        return d;
    }

    /**
     * First Ctrl-C or SIGTERM: clean stop (drain, summary), bounded by the drain timeout plus a minute for the
     * savepoint. Second: exit at once.
     */
    private void stopOnSignal(DemoRunner runner) {
        StopSignals.install("demo", Duration.ofSeconds(drainTimeoutSeconds + 60), runner::requestStop);
    }
}
