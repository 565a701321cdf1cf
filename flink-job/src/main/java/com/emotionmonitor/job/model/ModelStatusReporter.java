package com.emotionmonitor.job.model;

import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one router subtask reports about model versions (accepted, active, refused; for a shadow or canary candidate
 * also stopped): a ModelStatus record for the model-status topic, a log line, and the
 * {@code modelRouter.modelSwitches} / {@code modelRefusals} metrics. A Flink function can only emit from its task
 * thread, so reports are queued and emitted with the next post or command.
 */
public final class ModelStatusReporter {

    private static final Logger LOG = LoggerFactory.getLogger(ModelStatusReporter.class);

    /** Who reports: the job, the TaskManager and the subtask. */
    public record Origin(String jobId, String taskManager, int subtask, int parallelism) {}

    private final Origin origin;
    private final Counter switches;
    private final Counter refusals;
    private final List<ModelStatus> unreported = new ArrayList<>();

    public ModelStatusReporter(Origin origin, MetricGroup group) {
        this.origin = origin;
        this.switches = group.counter("modelSwitches");
        this.refusals = group.counter("modelRefusals");
    }

    public void accepted(ModelTarget target, ModelTarget serving) {
        LOG.info("model router {}: accepted {} {}; {} keeps serving while it loads", origin.subtask(), target.trigger,
                target.key(), serving.key());
        unreported.add(status(target, ModelState.ACCEPTED, serving.key().version(), null, null));
    }

    /** {@code previous} null: the first version this subtask serves (not a switch). */
    public void active(ModelTarget target, ModelTarget previous) {
        if (previous != null && previous.key().equals(target.key())) {
            LOG.info("model router {}: {} {}: already serving", origin.subtask(), target.trigger, target.key());
        } else {
            if (previous != null) {
                switches.inc();
            }
            LOG.info("model router {}: now stamping {} ({}, replaces {})", origin.subtask(), target.key(), target.trigger,
                    previous == null ? null : previous.key());
        }
        unreported.add(status(target, ModelState.ACTIVE, previous == null ? null : previous.key().version(), null, null));
    }

    /** {@code serving} null: nothing serves yet. */
    public void refused(ModelTarget target, String reason, ModelTarget serving) {
        refusals.inc();
        LOG.warn("model router {}: REFUSED {} {}: {}; {}", origin.subtask(), target.trigger,
                target.modelName + "/" + target.version, reason,
                serving == null ? "nothing serves yet" : serving.key() + " keeps serving");
        unreported.add(status(target, ModelState.REFUSED, serving == null ? null : serving.key().version(), reason, null));
    }

    /** A shadow or canary command arrived; its version loads while {@code serving} serves alone. */
    public void candidateAccepted(Rollout rollout, ModelTarget serving) {
        LOG.info("model router {}: accepted {} {} on {} of the posts; it loads in the background", origin.subtask(),
                rollout.mode, rollout.key(), rollout.fraction);
        unreported.add(status(rollout.target, ModelState.ACCEPTED, version(serving), null, rollout));
    }

    /** From now on the candidate labels its share of the posts on this subtask. */
    public void candidateActive(Rollout rollout, ModelTarget serving) {
        LOG.info("model router {}: {} {} now labels {} of the posts beside {}", origin.subtask(), rollout.mode,
                rollout.key(), rollout.fraction, serving == null ? null : serving.key());
        unreported.add(status(rollout.target, ModelState.ACTIVE, version(serving), null, rollout));
    }

    /** The candidate does not run (a failed check, or a rollout command that does not apply). */
    public void candidateRefused(Rollout rollout, String reason, ModelTarget serving) {
        refusals.inc();
        LOG.warn("model router {}: REFUSED {} {}: {}; {} serves alone", origin.subtask(), rollout.mode,
                rollout.target.modelName + "/" + rollout.target.version, reason, serving == null ? null : serving.key());
        unreported.add(status(rollout.target, ModelState.REFUSED, version(serving), reason, rollout));
    }

    /** The candidate stopped on this subtask because of {@code command} (STOP, PROMOTE, ACTIVATE or a new candidate). */
    public void candidateStopped(Rollout rollout, ModelTarget command, ModelTarget serving) {
        LOG.info("model router {}: {} {} stopped ({})", origin.subtask(), rollout.mode, rollout.key(), command.trigger);
        ModelTarget because = rollout.target.withTrigger(command.trigger);
        because.issuedAtMillis = command.issuedAtMillis;
        unreported.add(status(because, ModelState.STOPPED, version(serving), null, rollout));
    }

    /** Emits the queued reports (either context's {@code output}; their common base class is not public). */
    public void flush(Consumer<ModelStatus> output) {
        unreported.forEach(output);
        unreported.clear();
    }

    private static String version(ModelTarget serving) {
        return serving == null ? null : serving.key().version();
    }

    /** @param rollout the candidate the report is about, or null for the serving version */
    private ModelStatus status(ModelTarget target, ModelState state, String previous, String reason, Rollout rollout) {
        return ModelStatus.newBuilder()
                .setModelName(target.modelName)
                .setVersion(target.version)
                .setState(state)
                .setTrigger(target.trigger)
                .setPreviousVersion(previous)
                .setReason(reason)
                .setArtifactLocation(target.location)
                .setCommandIssuedAt(target.issuedAtMillis == null ? null : Instant.ofEpochMilli(target.issuedAtMillis))
                .setJobId(origin.jobId())
                .setTaskManager(origin.taskManager())
                .setSubtask(origin.subtask())
                .setParallelism(origin.parallelism())
                .setReportedAt(Instant.now())
                .setRole(rollout == null ? ModelRole.SERVING : rollout.mode.role())
                .setFraction(rollout == null ? null : rollout.fraction)
                .build();
    }
}
