package com.emotionmonitor.job.model;

import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.schema.ModelTrigger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Which model version one router subtask stamps, and the switch to a commanded one without a pause: a command only
 * starts a background load in the TaskManager's {@link ModelRegistry} while the current version keeps stamping; the
 * first post after the load finishes switches ({@link #completePending()}), and from then on this subtask stamps the
 * new version and never the old one again (until another command). A refused version changes nothing but is reported.
 * The lease on the old version is released at the switch; per-request leases keep it loaded until its last batch.
 * Used from the task thread only.
 */
public final class ServingSwitch implements AutoCloseable {

    private final ModelSource models;
    private final ClassifierRequirements requirements;
    private final ModelStatusReporter reports;
    private ModelLease serving;
    private ModelTarget servingTarget;
    private ModelTarget pendingTarget;
    private CompletableFuture<ModelLease> pendingLease;

    public ServingSwitch(ModelSource models, ClassifierRequirements requirements, ModelStatusReporter reports) {
        this.models = models;
        this.requirements = requirements;
        this.reports = reports;
    }

    /**
     * Serves the first of {@code restored} (newest commanded first) that passes verification, else the start version;
     * loaded synchronously: nothing serves yet, so there is nothing to keep serving.
     *
     * @throws IllegalStateException when no version can serve, with every refusal's reason
     */
    public void serveAtStart(List<ModelTarget> restored) throws InterruptedException {
        List<ModelTarget> candidates = new ArrayList<>();
        for (ModelTarget t : restored) {
            candidates.add(t.withTrigger(ModelTrigger.RESTORE));
            models.registry().remember(t); // restored in-flight posts may carry any of these versions
        }
        ModelTarget start = models.startTarget();
        candidates.add(restored.isEmpty() ? start : start.withTrigger(ModelTrigger.RESTORE));
        List<String> reasons = new ArrayList<>();
        for (ModelTarget candidate : candidates) {
            try {
                // Restored commands were accepted under the trust of their time: they must pass today's.
                models.trust().checkLocation(java.nio.file.Path.of(candidate.location));
                models.trust().checkSigned(java.nio.file.Path.of(candidate.location), candidate.manifestSha256);
                switchTo(candidate, models.registry().prepare(candidate, requirements).get());
                return;
            } catch (ExecutionException | IllegalArgumentException | ModelLoadException e) {
                String reason = e instanceof ExecutionException ? reason(e) : e.getMessage();
                reasons.add(candidate.key() + ": " + reason);
                reports.refused(candidate, reason, servingTarget);
            }
        }
        throw new IllegalStateException("no model version can serve; refused: " + reasons);
    }

    /**
     * Starts loading {@code target} (even the serving version goes through the registry: the command's pinned checksum
     * must match what is loaded); the newest command wins, also over a load still in progress.
     */
    public void request(ModelTarget target) {
        completePending(); // commands apply in order: a version that became ready is served before the next one
        abandonPending();
        pendingTarget = target;
        pendingLease = models.registry().prepare(target, requirements);
        reports.accepted(target, servingTarget);
    }

    /** A command that could not even be parsed: refused, nothing changes. */
    public void refuse(ModelTarget target, String reason) {
        reports.refused(target, reason, servingTarget);
    }

    /** If the pending version finished loading: serve it (or report its refusal). Never blocks. */
    public void completePending() {
        if (pendingLease == null || !pendingLease.isDone()) {
            return;
        }
        ModelTarget target = pendingTarget;
        CompletableFuture<ModelLease> done = pendingLease;
        pendingTarget = null;
        pendingLease = null;
        try {
            switchTo(target, done.join());
        } catch (CompletionException e) {
            reports.refused(target, reason(e), servingTarget);
        }
    }

    /** The lease of the version stamped now. */
    public ModelLease serving() {
        return serving;
    }

    /** The version stamped now (null before {@link #serveAtStart}). */
    public ModelTarget servingTarget() {
        return servingTarget;
    }

    /** The version loading now, or null. */
    public ModelTarget pendingTarget() {
        return pendingTarget;
    }

    private void switchTo(ModelTarget target, ModelLease lease) {
        ModelTarget previous = servingTarget;
        if (previous != null && previous.key().equals(target.key())) {
            lease.close(); // a command for the version already serving: nothing changes
            reports.active(target, previous);
            return;
        }
        ModelLease old = serving;
        serving = lease;
        servingTarget = target;
        if (old != null) {
            old.close(); // requests in flight hold their own leases: the old version stays loaded until they are done
        }
        reports.active(target, previous);
    }

    /** A superseded load: whoever stops waiting still closes the lease it delivers. */
    private void abandonPending() {
        if (pendingLease != null) {
            pendingLease.thenAccept(ModelLease::close);
            pendingLease = null;
            pendingTarget = null;
        }
    }

    private static String reason(Throwable e) {
        Throwable cause = (e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof ModelLoadException ? cause.getMessage() : describe(cause);
    }

    /** "ExceptionClass: message", and the root cause if different: enough to triage without a stack trace. */
    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String top = t.getClass().getSimpleName() + ": " + t.getMessage();
        return root == t ? top : top + " (caused by " + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
    }

    @Override
    public void close() {
        abandonPending();
        if (serving != null) {
            serving.close();
            serving = null;
        }
    }
}
