package com.emotionmonitor.cli;

import com.emotionmonitor.job.EmotionJob;
import com.emotionmonitor.job.JobConfig;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.flink.core.execution.JobClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code bin/emotion run}: the job against an existing Kafka. Runs on the execution environment of the context:
 * a local in-process Flink from bin/emotion, or the cluster when started through {@code flink run}
 * (main class {@code com.emotionmonitor.job.EmotionJob} takes the same settings as {@code --config}/{@code key=value}).
 */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run the streaming job against an existing Kafka: posts -> labelled events + windowed stats (+ dead "
                + "letters). Topics must exist. Blocks until the job ends; Ctrl-C or SIGTERM cancels it, within 15 s whatever "
                + "state the cluster is in (output is committed per checkpoint: nothing committed is lost, uncommitted work is redone from the committed offsets on the next start).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the job finished (bounded input)", "1:the job failed", "2:invalid settings or no model",
            "130:stopped by Ctrl-C or SIGTERM (the job was cancelled)"})
public final class RunCommand implements Callable<Integer> {

    /** How long a cancel may take before the command exits anyway. */
    static final java.time.Duration CANCEL_GRACE = java.time.Duration.ofSeconds(15);

    @Mixin JobFlags job;

    @Mixin ClusterOptions cluster;

    @Override
    public Integer call() throws Exception {
        if (job.listSettings) {
            System.out.print(JobFlags.describeSettings());
            return 0;
        }
        JobConfig config;
        try {
            config = job.toConfig(Map.of("model.store", ProjectPaths.modelStore().toString()));
        } catch (IllegalArgumentException e) {
            System.err.println("run: " + e.getMessage());
            return 2;
        }
        JobClient client;
        try {
            client = EmotionJob.submit(cluster.environment(), config);
        } catch (IllegalArgumentException e) {
            System.err.println("run: " + e.getMessage());
            return 2;
        }
        System.err.println("run: job " + client.getJobID() + " reading " + config.postsTopic() + " from " + config.bootstrapServers());
        if (cluster.returnAfterSubmit()) {
            System.out.println(cluster.submittedJson(client));
            return 0;
        }
        // Ctrl-C / SIGTERM cancel the job; a cluster that no longer answers (a dead TaskManager) cannot hold the exit.
        java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();
        StopSignals.install("run", CANCEL_GRACE, () -> {
            stopping.set(true);
            client.cancel();
        });
        try {
            client.getJobExecutionResult().get();
            return 0;
        } catch (Exception e) {
            if (stopping.get()) {
                System.err.println("run: job " + client.getJobID() + " cancelled");
                return 130;
            }
            System.err.println("run: the job failed: " + e.getMessage());
            return 1;
        }
    }
}
