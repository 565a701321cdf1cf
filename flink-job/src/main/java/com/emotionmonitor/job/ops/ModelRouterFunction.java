package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelKey;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.model.ModelTarget;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.co.BroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model router: joins the posts with the broadcast model-control stream and stamps every post with the model
 * version that must label it, preprocessing it with that version's own text pipeline.
 *
 * <p><b>Broadcast state</b> holds the commands received (the start version first, newest last; the last
 * {@value #HISTORY} kept). It is checkpointed, so a job restored from a checkpoint or savepoint serves the newest
 * commanded version that passes verification, not the version it was started with. Every subtask applies the same
 * commands in the same order, so the state is identical on all of them, as Flink requires.
 *
 * <p><b>No pause on a swap.</b> A command only starts a background load in the TaskManager's {@code ModelRegistry}
 * (verify manifest and every sha256, labels, max length, preprocessing, smoke inference); meanwhile the current
 * version keeps stamping. The first post after the load finishes switches the stamp: from then on this subtask stamps
 * the new version, and never the old one again (until another command). A refused version changes nothing but is
 * reported. The router's lease on the old version is released at the switch; the classifier's per-request leases keep
 * it loaded until its last batch is done.
 *
 * <p><b>Reports</b> go to the {@link #STATUS} side output (the model-status topic), the log and the metrics
 * ({@code modelRouter.activeModelVersion}, {@code modelSwitches}, {@code modelRefusals}). A function can only emit from
 * its task thread, so a background load's outcome is reported with the next post or command this subtask processes;
 * the registry logs it at once.
 *
 * <p>Why non-keyed {@link BroadcastProcessFunction}: the version is a per-TaskManager matter, not per key; posts need no
 * key, no keyed state and no timers, and a keyBy would add a shuffle. Without it the posts keep their partition order
 * from the source to the classifier, which is what makes "switches once, never back" hold per subtask.
 */
public final class ModelRouterFunction extends BroadcastProcessFunction<ReceivedPost, ModelCommand, PostToClassify>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(ModelRouterFunction.class);

    /** Commands kept in the broadcast state: enough to fall back past several refused versions on restore. */
    static final int HISTORY = 16;

    /** Sequence number -> commanded version. */
    public static final MapStateDescriptor<Long, ModelTarget> COMMANDS =
            new MapStateDescriptor<>("model-commands", Types.LONG, TypeInformation.of(ModelTarget.class));

    /** What each subtask did about each version (accepted, active, refused). */
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status", new AvroTypeInfo<>(ModelStatus.class));

    private final ModelSource models;
    private final ModelRequirements requirements;

    private transient List<ModelTarget> restoredCommands;
    private transient ModelLease serving;
    private transient ModelTarget servingTarget;
    private transient ModelTarget pendingTarget;
    private transient CompletableFuture<ModelLease> pendingLease;
    private transient List<ModelStatus> unreported;
    private transient Counter switches;
    private transient Counter refusals;
    private transient String jobId;
    private transient String taskManager;
    private transient int subtask;
    private transient int parallelism;

    public ModelRouterFunction(ModelSource models, ModelRequirements requirements) {
        this.models = models;
        this.requirements = requirements;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // The same broadcast state the operator hands to processElement: read here to serve the restored version
        // from the first post on.
        BroadcastState<Long, ModelTarget> state = context.getOperatorStateStore().getBroadcastState(COMMANDS);
        restoredCommands = new ArrayList<>();
        if (context.isRestored()) {
            for (Map.Entry<Long, ModelTarget> e : state.entries()) {
                restoredCommands.add(e.getValue());
            }
            restoredCommands.sort(Comparator.comparingLong((ModelTarget t) -> t.sequence).reversed());
        }
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // The broadcast state is snapshotted by the operator; a load in progress is not state: a restore re-runs it.
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        unreported = new ArrayList<>();
        subtask = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask();
        parallelism = getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        jobId = getRuntimeContext().getJobInfo().getJobId().toString();
        taskManager = getRuntimeContext().getMetricGroup().getAllVariables().get("<tm_id>");
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("modelRouter");
        switches = group.counter("modelSwitches");
        refusals = group.counter("modelRefusals");
        group.gauge("activeModelVersion", (Gauge<String>) () -> servingTarget == null ? "" : servingTarget.key().id());
        group.gauge("pendingModelVersion", (Gauge<String>) () -> pendingTarget == null ? "" : pendingTarget.key().id());
        serveAtStart();
    }

    /**
     * Restored: the newest commanded version that passes verification, then older ones, then the start version.
     * Fresh: the start version. Loaded synchronously: nothing serves yet, so there is nothing to keep serving.
     */
    private void serveAtStart() throws Exception {
        List<ModelTarget> candidates = new ArrayList<>();
        for (ModelTarget t : restoredCommands) {
            candidates.add(t.withTrigger(ModelTrigger.RESTORE));
            models.registry().remember(t); // restored in-flight posts may carry any of these versions
        }
        ModelTarget start = models.startTarget();
        candidates.add(restoredCommands.isEmpty() ? start : start.withTrigger(ModelTrigger.RESTORE));
        List<String> reasons = new ArrayList<>();
        for (ModelTarget candidate : candidates) {
            try {
                ModelLease lease = models.registry().prepare(candidate, requirements).get();
                switchTo(candidate, lease);
                return;
            } catch (ExecutionException e) {
                String reason = reason(e);
                reasons.add(candidate.key() + ": " + reason);
                refuse(candidate, reason);
            }
        }
        throw new IllegalStateException("no model version can serve; refused: " + reasons);
    }

    @Override
    public void processElement(ReceivedPost post, ReadOnlyContext ctx, Collector<PostToClassify> out) {
        completePendingSwitch();
        report(s -> ctx.output(STATUS, s));
        PostToClassify stamped;
        try {
            stamped = PostPreparation.prepare(post, serving.textPipeline(), serving.key());
        } catch (RuntimeException e) {
            ctx.output(SplitDeadLetters.DEAD_LETTERS, DeadLetters.failed(post, FailureStage.PREPROCESS,
                    "text pipeline of " + serving.key() + " failed: " + DeadLetters.describe(e)));
            return;
        }
        out.collect(stamped);
    }

    @Override
    public void processBroadcastElement(ModelCommand command, Context ctx, Collector<PostToClassify> out) throws Exception {
        completePendingSwitch(); // commands apply in order: a version that became ready is served before the next one
        BroadcastState<Long, ModelTarget> state = ctx.getBroadcastState(COMMANDS);
        ModelTarget target;
        try {
            target = toTarget(command, nextSequence(state));
        } catch (IllegalArgumentException e) {
            refuse(commandTarget(command), e.getMessage());
            report(s -> ctx.output(STATUS, s));
            return;
        }
        remember(state, target);
        abandonPending(); // the newest command wins, also over a load still in progress
        // Even the serving version goes through the registry: the command's pinned checksum must match what is loaded.
        pendingTarget = target;
        pendingLease = models.registry().prepare(target, requirements);
        LOG.info("model router {}: accepted {} {}; {} keeps serving while it loads", subtask, command.getAction(),
                target.key(), servingTarget.key());
        unreported.add(status(target, ModelState.ACCEPTED, servingTarget.key().version(), null));
        report(s -> ctx.output(STATUS, s));
    }

    /** The broadcast state after this command: the start version first (so a restore can fall back to it), newest last. */
    private void remember(BroadcastState<Long, ModelTarget> state, ModelTarget target) throws Exception {
        if (!state.iterator().hasNext()) {
            state.put(0L, models.startTarget());
        }
        state.put(target.sequence, target);
        List<Long> sequences = new ArrayList<>();
        for (Map.Entry<Long, ModelTarget> e : state.entries()) {
            sequences.add(e.getKey());
        }
        sequences.sort(null);
        for (int i = 0; i < sequences.size() - HISTORY; i++) {
            state.remove(sequences.get(i));
        }
    }

    private static long nextSequence(ReadOnlyBroadcastState<Long, ModelTarget> state) throws Exception {
        long max = 0;
        for (Map.Entry<Long, ModelTarget> e : state.immutableEntries()) {
            max = Math.max(max, e.getKey());
        }
        return max + 1;
    }

    private ModelTarget toTarget(ModelCommand command, long sequence) {
        if (command.getModelName() == null || command.getModelName().isBlank() || command.getModelName().contains("/")
                || command.getVersion() == null || command.getVersion().isBlank() || command.getVersion().contains("/")) {
            throw new IllegalArgumentException("a command needs a model name and a version without '/', got '"
                    + command.getModelName() + "' '" + command.getVersion() + "'");
        }
        ModelKey key = new ModelKey(command.getModelName(), command.getVersion());
        return new ModelTarget(sequence, key.name(), key.version(),
                models.locate(key, command.getArtifactLocation()).toString(), command.getSha256(), trigger(command.getAction()),
                command.getIssuedAt() == null ? null : command.getIssuedAt().toEpochMilli());
    }

    /** A malformed command as a target, for its refusal report. */
    private static ModelTarget commandTarget(ModelCommand command) {
        return new ModelTarget(-1, String.valueOf(command.getModelName()), String.valueOf(command.getVersion()),
                command.getArtifactLocation(), command.getSha256(), trigger(command.getAction()),
                command.getIssuedAt() == null ? null : command.getIssuedAt().toEpochMilli());
    }

    private static ModelTrigger trigger(ModelAction action) {
        return action == ModelAction.ROLLBACK ? ModelTrigger.ROLLBACK : ModelTrigger.ACTIVATE;
    }

    /** If the pending version finished loading: serve it (or report its refusal). Never blocks. */
    private void completePendingSwitch() {
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
            refuse(target, reason(e));
        }
    }

    private void switchTo(ModelTarget target, ModelLease lease) {
        if (servingTarget != null && servingTarget.key().equals(target.key())) {
            lease.close(); // a command for the version already serving: nothing changes
            LOG.info("model router {}: {} {}: already serving", subtask, target.trigger, target.key());
            unreported.add(status(target, ModelState.ACTIVE, servingTarget.key().version(), null));
            return;
        }
        ModelLease old = serving;
        String previous = servingTarget == null ? null : servingTarget.key().version();
        serving = lease;
        servingTarget = target;
        if (old != null) {
            old.close(); // requests in flight hold their own leases: the old version stays loaded until they are done
            switches.inc();
        }
        LOG.info("model router {}: now stamping {} ({}, replaces {})", subtask, target.key(), target.trigger, previous);
        unreported.add(status(target, ModelState.ACTIVE, previous, null));
    }

    private void refuse(ModelTarget target, String reason) {
        refusals.inc();
        String keeps = servingTarget == null ? null : servingTarget.key().version();
        LOG.warn("model router {}: REFUSED {} {}: {}; {}", subtask, target.trigger, target.modelName + "/" + target.version,
                reason, keeps == null ? "nothing serves yet" : servingTarget.key() + " keeps serving");
        unreported.add(status(target, ModelState.REFUSED, keeps, reason));
    }

    /** A superseded load: whoever stops waiting still closes the lease it delivers. */
    private void abandonPending() {
        if (pendingLease != null) {
            LOG.info("model router {}: {} superseded before it was ready", subtask, pendingTarget.key());
            pendingLease.thenAccept(ModelLease::close);
            pendingLease = null;
            pendingTarget = null;
        }
    }

    /** Emits the queued reports (either context's {@code output}; their common base class is not public). */
    private void report(java.util.function.Consumer<ModelStatus> statusOutput) {
        unreported.forEach(statusOutput);
        unreported.clear();
    }

    private ModelStatus status(ModelTarget target, ModelState state, String previous, String reason) {
        return ModelStatus.newBuilder()
                .setModelName(target.modelName)
                .setVersion(target.version)
                .setState(state)
                .setTrigger(target.trigger)
                .setPreviousVersion(previous)
                .setReason(reason)
                .setArtifactLocation(target.location)
                .setCommandIssuedAt(target.issuedAtMillis == null ? null : Instant.ofEpochMilli(target.issuedAtMillis))
                .setJobId(jobId)
                .setTaskManager(taskManager)
                .setSubtask(subtask)
                .setParallelism(parallelism)
                .setReportedAt(Instant.now())
                .build();
    }

    private static String reason(Throwable e) {
        Throwable cause = (e instanceof ExecutionException || e instanceof CompletionException) && e.getCause() != null
                ? e.getCause() : e;
        return cause instanceof com.emotionmonitor.model.ModelLoadException ? cause.getMessage() : DeadLetters.describe(cause);
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
