package com.emotionmonitor.demo;

import com.emotionmonitor.tools.DemoPosts;

import com.emotionmonitor.dashboard.Dashboard;
import com.emotionmonitor.dashboard.feed.DashboardTopics;
import com.emotionmonitor.embedded.EmbeddedKafka;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.model.ModelSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.FileUtils;

/**
 * The embedded demo end to end: a KRaft broker and a Flink cluster in this JVM, the real job between them, the sample
 * posts replayed into it and its committed output read back. Stopping (duration reached or {@link #requestStop()})
 * stops the replay, waits until every post is accounted for, then stops the job with a draining savepoint: the final
 * watermark closes every window and the last Kafka transactions commit. Prints the summary JSON as the last line.
 */
public final class DemoRunner {

    /**
     * What the demo runs; {@code duration} null means until stopped; {@code spike} null means no injected burst;
     * {@code dashboardPort} null means no dashboard (0: a free port).
     */
    public record Settings(double rate, Duration duration, int eventTimeSpeedup, int malformedEvery, boolean ansi,
                           Duration drainTimeout, JobConfig job, ModelSource model, boolean tinyModel, SpikeBurst spike,
                           PostReplayer.Burst burst, Integer dashboardPort) {}

    /** How long a demo without --duration replays event time accelerated before it runs at the wall clock. */
    public static final Duration CATCH_UP = Duration.ofMinutes(10);

    private final Settings settings;
    private final PrintStream out;
    private final PrintStream log;
    private final CountDownLatch stop = new CountDownLatch(1);

    public DemoRunner(Settings settings, PrintStream out, PrintStream log) {
        this.settings = settings;
        this.out = out;
        this.log = log;
    }

    /** Asks a running demo to stop cleanly (Ctrl-C); safe from any thread. */
    public void requestStop() {
        stop.countDown();
    }

    /** @return 0 when every post came out exactly once and was counted in the stats, 1 otherwise */
    public int run() throws Exception {
        List<DemoPosts.SamplePost> sample = DemoPosts.load();
        Path scratch = Files.createTempDirectory("emotion-demo-");
        long started = System.nanoTime();
        log.println("demo: starting Kafka (KRaft, 127.0.0.1) and Flink in-process; model " + settings.model().modelName()
                + "/" + settings.model().modelVersion() + (settings.tinyModel() ? " (TINY TEST MODEL: labels are not meaningful)" : ""));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            JobConfig config = settings.job().with(Map.of("kafka.bootstrap-servers", kafka.bootstrapServers()));
            kafka.createTopics(Map.of(config.postsTopic(), 2, config.eventsTopic(), 1, config.statsTopic(), 1,
                    config.deadLetterTopic(), 1, config.alertsTopic(), 1, config.modelControlTopic(), 1, config.modelStatusTopic(), 1,
                    config.driftAlertsTopic(), 1, config.comparisonsTopic(), 1));

            Dashboard dashboard = settings.dashboardPort() == null ? null : startDashboard(kafka, config);
            try {
                return runJob(kafka, config, sample, scratch, started, dashboard);
            } finally {
                if (dashboard != null) {
                    dashboard.close();
                }
            }
        } finally {
            FileUtils.deleteDirectoryQuietly(scratch.toFile());
        }
    }

    /** Runs the job, the replay and the live view until the end of the demo; prints the summary. */
    private int runJob(EmbeddedKafka kafka, JobConfig config, List<DemoPosts.SamplePost> sample, Path scratch, long started,
                       Dashboard dashboard) throws Exception {
        StreamExecutionEnvironment env = LocalFlink.environment(config.parallelism());
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), settings.model(), KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("emotion-monitor demo");

        Duration jitter = config.outOfOrderness().dividedBy(2);
        // Accelerated for the whole run when it has a duration; else for its first CATCH_UP, then at the wall clock.
        ReplayClock clock = new ReplayClock(Instant.now(), settings.eventTimeSpeedup(),
                settings.duration() != null ? settings.duration() : CATCH_UP);
        PostReplayer replayer = new PostReplayer(sample, kafka.clientProperties(), config.postsTopic(), settings.rate(),
                clock, jitter, settings.malformedEvery(), settings.spike(), config.windowSize(), settings.burst());
        OutputWatcher watcher = new OutputWatcher(kafka.clientProperties(), config.eventsTopic(), config.statsTopic(),
                config.deadLetterTopic(), config.alertsTopic(), replayer::takeAckedAtNanos);
        Thread watcherThread = start(watcher, "demo-output-watcher");
        long replayStarted = System.nanoTime();
        Thread replayThread = start(replayer, "demo-replayer");

        String header = "emotion-monitor demo: " + sample.size() + " real Weibo posts (SMP2020-EWECT usual_eval sample) replayed at "
                + settings.rate() + " posts/s, event time x" + settings.eventTimeSpeedup() + ", windows "
                + config.windowSize().toSeconds() + " s" + (settings.tinyModel() ? "   [TINY TEST MODEL]" : "")
                + spikeHeader(settings.spike(), replayer);
        String swap = modelSwapHint(kafka.bootstrapServers(), config);
        log.println("demo: " + swap);
        String page = dashboard == null ? "" : "\ndashboard: " + dashboard.url();
        LiveView view = new LiveView(out, settings.ansi(), header + page + "\n" + swap);
        ModelStatusWatcher models = new ModelStatusWatcher(kafka.bootstrapServers(), config.modelStatusTopic(),
                settings.model().modelName());
        Thread modelsThread = start(models, "demo-model-status");
        view.showModelStatus(models::summary);
        String durationText = settings.duration() == null ? "until Ctrl-C" : settings.duration().toSeconds() + " s";
        String error = null;

        // Run until the duration ends, Ctrl-C, or a failure.
        // The duration counts from the first post sent (start-up of Kafka, Flink and the model excluded).
        while (true) {
            view.render(seconds(replayStarted), durationText, replayer.postsSent(), replayer.malformedSent(), watcher.snapshot(), "running");
            if (stop.await(1, TimeUnit.SECONDS)) {
                break;
            }
            if (settings.duration() != null && System.nanoTime() - replayStarted >= settings.duration().toNanos()) {
                break;
            }
            error = failure(job, replayer, watcher);
            if (error != null) {
                break;
            }
        }

        replayer.stop();
        replayThread.join();
        if (error == null) {
            error = drain(job, replayer, watcher, view, durationText, replayStarted, scratch);
        } else {
            job.cancel().get(1, TimeUnit.MINUTES);
        }
        if (!watcher.awaitCaughtUp(Duration.ofSeconds(30)) && error == null) {
            error = "could not read the committed output to its end" + (watcher.failure() == null ? "" : ": " + watcher.failure());
        }
        watcher.stop();
        watcherThread.join();
        models.stop();
        modelsThread.join();

        OutputWatcher.Snapshot last = watcher.snapshot();
        view.render(seconds(replayStarted), durationText, replayer.postsSent(), replayer.malformedSent(), last, "stopped");
        double activeSeconds = last.lastEventNanos() > 0 ? (last.lastEventNanos() - replayStarted) / 1e9 : 0;
        DemoSummary summary = new DemoSummary(replayer.postsSent(), replayer.malformedSent(), last,
                settings.model().modelName(), settings.model().modelVersion(), settings.tinyModel(),
                (System.nanoTime() - started) / 1e9, activeSeconds, settings.rate(), error,
                settings.spike() == null ? null : new DemoSummary.Spike(settings.spike().emotion().label(),
                        replayer.spikePostsSent(), settings.spike().posts().size(), settings.spike().selection(),
                        replayer.spikeWindowStart()));
        out.println(summary.toJson());
        return summary.ok() ? 0 : 1;
    }

    /** The dashboard on the demo's broker: on the port asked for, or a free one when that one is taken. */
    private Dashboard startDashboard(EmbeddedKafka kafka, JobConfig config) {
        Dashboard.Settings s = Dashboard.Settings.of(kafka.clientProperties(), settings.dashboardPort())
                .withTopics(new DashboardTopics(config.postsTopic(), config.eventsTopic(), config.statsTopic(),
                        config.alertsTopic(), config.modelStatusTopic(), config.deadLetterTopic(), config.comparisonsTopic(),
                        config.driftAlertsTopic()));
        Dashboard d;
        try {
            d = Dashboard.start(s);
        } catch (RuntimeException e) {
            if (settings.dashboardPort() == 0) {
                throw e;
            }
            log.println("demo: port " + settings.dashboardPort() + " is taken (" + e.getMessage() + "): the dashboard takes a free one");
            d = Dashboard.start(s.withPort(0));
        }
        log.println("demo: dashboard at " + d.url());
        return d;
    }

    /** The broker's address and the command that hot-swaps the demo's model (to another published version, if any). */
    private String modelSwapHint(String bootstrapServers, JobConfig config) {
        String serving = settings.model().modelVersion();
        String other = com.emotionmonitor.store.ModelStore.versions(java.nio.file.Path.of(config.modelStore()), config.modelName())
                .stream().map(com.emotionmonitor.store.ModelManifest::version).filter(v -> !v.equals(serving))
                .reduce((first, second) -> second).orElse("VERSION");
        return "Kafka at " + bootstrapServers + "; swap the model: bin/emotion model activate --bootstrap-servers "
                + bootstrapServers + " --model-store " + config.modelStore() + " " + config.modelName() + " " + other + " --wait 60";
    }

    /** Waits until every sent record is an event or a dead letter, then stops the job with a draining savepoint. */
    private String drain(JobClient job, PostReplayer replayer, OutputWatcher watcher, LiveView view, String durationText,
                         long replayStarted, Path scratch) throws Exception {
        long expected = replayer.postsSent() + replayer.malformedSent();
        long deadline = System.nanoTime() + settings.drainTimeout().toNanos();
        while (true) {
            OutputWatcher.Snapshot s = watcher.snapshot();
            if (s.eventsOut() + s.deadLetters() >= expected) {
                break;
            }
            String failure = failure(job, replayer, watcher);
            if (failure != null) {
                return failure;
            }
            if (System.nanoTime() > deadline) {
                log.println("demo: " + (expected - s.eventsOut() - s.deadLetters()) + " posts still unaccounted for after "
                        + settings.drainTimeout().toSeconds() + " s; stopping anyway");
                break;
            }
            view.render(seconds(replayStarted), durationText, replayer.postsSent(), replayer.malformedSent(), s, "draining");
            Thread.sleep(500);
        }
        // Drain: the sources emit the final watermark (every window fires), then the savepoint commits the last transactions.
        String savepoint = job.stopWithSavepoint(true, scratch.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL)
                .get(5, TimeUnit.MINUTES);
        JobStatus status = job.getJobStatus().get(1, TimeUnit.MINUTES);
        log.println("demo: job stopped (" + status + ") with a draining savepoint at " + savepoint);
        return null;
    }

    private static String spikeHeader(SpikeBurst spike, PostReplayer replayer) {
        if (spike == null) {
            return "";
        }
        return String.format(java.util.Locale.ROOT, "%nspike injected at %d s: +%d %s posts per replayed post in the window from %s UTC (%s)",
                spike.after().toSeconds(), spike.perPost(), spike.emotion().label(),
                java.time.format.DateTimeFormatter.ISO_LOCAL_TIME.withZone(java.time.ZoneOffset.UTC).format(replayer.spikeWindowStart()),
                spike.selection());
    }

    /** A reason to stop early, or null. */
    private static String failure(JobClient job, PostReplayer replayer, OutputWatcher watcher) throws Exception {
        JobStatus status = job.getJobStatus().get(1, TimeUnit.MINUTES);
        if (status.isGloballyTerminalState()) {
            String cause = "";
            try {
                job.getJobExecutionResult().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                cause = ": " + rootMessage(e);
            }
            return "the Flink job ended early (" + status + ")" + cause;
        }
        if (replayer.sendError() != null) {
            return "replaying posts failed: " + replayer.sendError();
        }
        if (watcher.failure() != null) {
            return "reading the output failed: " + watcher.failure();
        }
        return null;
    }

    private static String rootMessage(Throwable t) {
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }

    private static Thread start(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static long seconds(long sinceNanos) {
        return (System.nanoTime() - sinceNanos) / 1_000_000_000L;
    }
}
