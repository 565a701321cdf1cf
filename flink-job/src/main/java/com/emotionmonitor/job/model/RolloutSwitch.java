package com.emotionmonitor.job.model;

import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.store.ClassifierRequirements;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;

/**
 * The shadow or canary candidate of one router subtask, beside the {@link ServingSwitch}: a command starts a
 * background load in the TaskManager's {@link ModelRegistry} (verified like any version) while the serving version
 * labels every post alone; the first post after the load finishes starts the candidate ({@link #completePending()}).
 * A new candidate replaces the running one at once; a stop releases it (requests in flight hold their own leases).
 * Used from the task thread only.
 */
public final class RolloutSwitch implements AutoCloseable {

    private final ModelSource models;
    private final ClassifierRequirements requirements;
    private final ModelStatusReporter reports;
    /** The serving version, for the reports. */
    private final Supplier<ModelTarget> serving;
    private Rollout active;
    private ModelLease lease;
    private Rollout pending;
    private CompletableFuture<ModelLease> pendingLease;

    public RolloutSwitch(ModelSource models, ClassifierRequirements requirements, ModelStatusReporter reports,
                         Supplier<ModelTarget> serving) {
        this.models = models;
        this.requirements = requirements;
        this.reports = reports;
        this.serving = serving;
    }

    /**
     * Runs the restored candidate from the first post, loaded synchronously (as the restored serving version is), so
     * a restored canary takes the same posts as before the restore; a candidate that no longer verifies is reported
     * and left out: the serving version labels every post.
     */
    public void startAtRestore(Rollout restored) throws InterruptedException {
        if (restored == null) {
            return;
        }
        Rollout candidate = restored.withTarget(restored.target.withTrigger(ModelTrigger.RESTORE));
        models.registry().remember(candidate.target); // restored in-flight posts may carry it
        try {
            Path dir = Path.of(candidate.target.location);
            models.trust().checkLocation(dir); // accepted under the trust of its time: it must pass today's
            models.trust().checkSigned(dir, candidate.target.manifestSha256);
            start(candidate, models.registry().prepare(candidate.target, requirements).get());
        } catch (ExecutionException | IllegalArgumentException | ModelLoadException e) {
            reports.candidateRefused(candidate, e instanceof ExecutionException ? reason(e) : e.getMessage(), serving.get());
        }
    }

    /** Starts loading {@code candidate}; a running or loading candidate stops now, replaced. */
    public void request(Rollout candidate) {
        completePending();
        CompletableFuture<ModelLease> next = models.registry().prepare(candidate.target, requirements);
        stop(candidate.target); // after prepare: the same version's lease never drops to zero in between
        pending = candidate;
        pendingLease = next;
        reports.candidateAccepted(candidate, serving.get());
    }

    /** A rollout command that cannot apply: reported, nothing changes. */
    public void refuse(Rollout candidate, String reason) {
        reports.candidateRefused(candidate, reason, serving.get());
    }

    /**
     * Ends the running or loading candidate because of {@code command} (its trigger and issue time go on the report).
     *
     * @return whether there was one
     */
    public boolean stop(ModelTarget command) {
        boolean stopped = false;
        if (pendingLease != null) {
            pendingLease.thenAccept(ModelLease::close); // whoever stops waiting still closes what it delivers
            reports.candidateStopped(pending, command, serving.get());
            pendingLease = null;
            pending = null;
            stopped = true;
        }
        if (active != null) {
            reports.candidateStopped(active, command, serving.get());
            lease.close();
            lease = null;
            active = null;
            stopped = true;
        }
        return stopped;
    }

    /** If the pending candidate finished loading: start it (or report its refusal). Never blocks. */
    public void completePending() {
        if (pendingLease == null || !pendingLease.isDone()) {
            return;
        }
        Rollout candidate = pending;
        CompletableFuture<ModelLease> done = pendingLease;
        pending = null;
        pendingLease = null;
        try {
            start(candidate, done.join());
        } catch (CompletionException e) {
            reports.candidateRefused(candidate, reason(e), serving.get());
        }
    }

    /** The candidate running now, or null: the serving version labels every post alone. */
    public Rollout active() {
        return active;
    }

    /** The running candidate's lease (its text pipeline and predictor); null when none runs. */
    public ModelLease lease() {
        return lease;
    }

    /** The candidate loading now, or null. */
    public Rollout pending() {
        return pending;
    }

    private void start(Rollout candidate, ModelLease loaded) {
        active = candidate;
        lease = loaded;
        reports.candidateActive(candidate, serving.get());
    }

    private static String reason(Throwable e) {
        Throwable cause = (e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof ModelLoadException ? cause.getMessage() : cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }

    @Override
    public void close() {
        if (pendingLease != null) {
            pendingLease.thenAccept(ModelLease::close);
            pendingLease = null;
            pending = null;
        }
        if (lease != null) {
            lease.close();
            lease = null;
            active = null;
        }
    }
}
