package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelCommandLog;
import com.emotionmonitor.job.model.ModelLease;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.model.ModelStatusReporter;
import com.emotionmonitor.job.model.ModelTarget;
import com.emotionmonitor.job.model.Rollout;
import com.emotionmonitor.job.model.RolloutMode;
import com.emotionmonitor.job.model.RolloutSampling;
import com.emotionmonitor.job.model.RolloutSwitch;
import com.emotionmonitor.job.model.ServingSwitch;
import com.emotionmonitor.model.ModelLoadException;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.RolloutStep;
import com.emotionmonitor.store.ClassifierRequirements;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
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

/**
 * The model router: joins the posts with the broadcast model-control stream and stamps every post with the model
 * version that must label it, preprocessing it with that version's own text pipeline. A thin Flink function over
 * four parts: the {@link ModelCommandLog} (the commands in broadcast state, checkpointed, so a restored job serves
 * the newest commanded version that passes verification and runs the same shadow or canary), the
 * {@link ServingSwitch} (which version this subtask stamps, switched without a pause once a commanded version has
 * loaded in the background), the {@link RolloutSwitch} (the shadow or canary candidate beside it) and the
 * {@link ModelStatusReporter} (model-status records, logs, metrics {@code modelRouter.*}).
 *
 * <p>Rollouts: a candidate takes the posts {@link RolloutSampling} picks by id. A canary stamps them with itself (and
 * tokenizes them with its pipeline); a shadow leaves the serving stamp and adds its own version and tokens, so the
 * classifier labels them twice and only the serving label becomes the event. Without a candidate the per-post path
 * is the plain one: no hash, no extra field, no allocation.
 *
 * <p>Why non-keyed {@link BroadcastProcessFunction}: the version is a per-TaskManager matter, not per key; posts need no
 * key, no keyed state and no timers, and a keyBy would add a shuffle. Without it the posts keep their partition order
 * from the source to the classifier, which is what makes "switches once, never back" hold per subtask.
 */
public final class ModelRouterFunction extends BroadcastProcessFunction<ReceivedPost, ModelCommand, PostToClassify>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 3L;

    /** The broadcast state of the serving commands: {@link ModelCommandLog#STATE}. */
    public static final MapStateDescriptor<Long, ModelTarget> COMMANDS = ModelCommandLog.STATE;

    /** The broadcast state of the running shadow or canary: {@link ModelCommandLog#ROLLOUT}. */
    public static final MapStateDescriptor<Integer, Rollout> ROLLOUT = ModelCommandLog.ROLLOUT;

    /** Both broadcast states, for {@code broadcast(...)} and the operator harness. */
    public static final List<MapStateDescriptor<?, ?>> BROADCAST_STATES = List.of(COMMANDS, ROLLOUT);

    /** What each subtask did about each version (accepted, active, refused, stopped). */
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status", new AvroTypeInfo<>(ModelStatus.class));

    private final ModelSource models;
    private final ClassifierRequirements requirements;

    private transient ModelCommandLog commands;
    private transient List<ModelTarget> restored;
    private transient Rollout restoredRollout;
    private transient ModelStatusReporter reports;
    private transient ServingSwitch serving;
    private transient RolloutSwitch rollout;
    private transient Counter shadowedPosts;
    private transient Counter canaryPosts;
    private transient Counter shadowPreparationFailures;

    public ModelRouterFunction(ModelSource models, ClassifierRequirements requirements) {
        this.models = models;
        this.requirements = requirements;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // The same broadcast states the operator hands to processElement: read here to serve the restored version
        // (and run the restored candidate) from the first post on.
        BroadcastState<Long, ModelTarget> state = context.getOperatorStateStore().getBroadcastState(COMMANDS);
        BroadcastState<Integer, Rollout> candidate = context.getOperatorStateStore().getBroadcastState(ROLLOUT);
        restored = context.isRestored() ? ModelCommandLog.newestFirst(state.entries()) : List.of();
        restoredRollout = context.isRestored() ? ModelCommandLog.candidate(candidate) : null;
    }

    @Override
    public void snapshotState(FunctionSnapshotContext context) {
        // The broadcast state is snapshotted by the operator; a load in progress is not state: a restore re-runs it.
    }

    @Override
    public void open(OpenContext openContext) throws Exception {
        MetricGroup group = getRuntimeContext().getMetricGroup().addGroup("modelRouter");
        reports = new ModelStatusReporter(new ModelStatusReporter.Origin(
                getRuntimeContext().getJobInfo().getJobId().toString(),
                getRuntimeContext().getMetricGroup().getAllVariables().get("<tm_id>"),
                getRuntimeContext().getTaskInfo().getIndexOfThisSubtask(),
                getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks()), group);
        commands = new ModelCommandLog(models);
        serving = new ServingSwitch(models, requirements, reports);
        rollout = new RolloutSwitch(models, requirements, reports, () -> serving.servingTarget());
        group.gauge("activeModelVersion", (Gauge<String>) () ->
                serving.servingTarget() == null ? "" : serving.servingTarget().key().id());
        group.gauge("pendingModelVersion", (Gauge<String>) () ->
                serving.pendingTarget() == null ? "" : serving.pendingTarget().key().id());
        group.gauge("candidateModelVersion", (Gauge<String>) () ->
                rollout.active() == null ? "" : rollout.active().mode + " " + rollout.active().key().id());
        shadowedPosts = group.counter("shadowedPosts");
        canaryPosts = group.counter("canaryPosts");
        shadowPreparationFailures = group.counter("shadowPreparationFailures");
        serving.serveAtStart(restored);
        rollout.startAtRestore(restoredRollout);
    }

    @Override
    public void processElement(ReceivedPost post, ReadOnlyContext ctx, Collector<PostToClassify> out) {
        serving.completePending();
        rollout.completePending();
        reports.flush(s -> ctx.output(STATUS, s));
        Rollout candidate = rollout.active(); // null: the plain path, nothing more per post
        boolean sampled = candidate != null && RolloutSampling.sampled(post.post.getId(), candidate.fraction);
        boolean canary = sampled && candidate.mode == RolloutMode.CANARY;
        ModelLease stamp = canary ? rollout.lease() : serving.serving();
        PostToClassify stamped;
        try {
            stamped = PostPreparation.prepare(post, stamp.textPipeline(), stamp.key());
        } catch (RuntimeException e) {
            ctx.output(SplitDeadLetters.DEAD_LETTERS, DeadLetters.failed(post, FailureStage.PREPROCESS,
                    "text pipeline of " + stamp.key() + " failed: " + DeadLetters.describe(e)));
            return;
        }
        if (canary) {
            stamped.canary = true;
            canaryPosts.inc();
        } else if (sampled) {
            try {
                PostPreparation.addShadow(stamped, rollout.lease().textPipeline(), rollout.lease().key());
                shadowedPosts.inc();
            } catch (RuntimeException e) {
                shadowPreparationFailures.inc(); // the shadow's problem, never the post's: it is labelled as usual
            }
        }
        out.collect(stamped);
    }

    /**
     * Between records, with no post or command to wait for: a load that finished switches now and its reports go out
     * ({@link ModelRouterOperator}'s tick; the function alone would wait for the next record).
     */
    void onTick(java.util.function.Consumer<ModelStatus> status) {
        serving.completePending();
        rollout.completePending();
        reports.flush(status);
    }

    @Override
    public void processBroadcastElement(ModelCommand command, Context ctx, Collector<PostToClassify> out) throws Exception {
        serving.completePending(); // commands apply in order: a version that became ready is served before the next one
        rollout.completePending();
        BroadcastState<Long, ModelTarget> log = ctx.getBroadcastState(COMMANDS);
        BroadcastState<Integer, Rollout> candidate = ctx.getBroadcastState(ROLLOUT);
        RolloutStep step = command.getRollout();
        if (step == null || step == RolloutStep.PROMOTE) {
            serve(command, log, candidate);
        } else if (step == RolloutStep.STOP) {
            stop(command, candidate);
        } else {
            startCandidate(command, step == RolloutStep.SHADOW ? RolloutMode.SHADOW : RolloutMode.CANARY, log, candidate);
        }
        reports.flush(s -> ctx.output(STATUS, s));
    }

    /**
     * ACTIVATE, ROLLBACK, PROMOTE: a new serving version. A PROMOTE must name the running candidate; any serving
     * command for the candidate's version ends the rollout (the candidate now serves every post).
     */
    private void serve(ModelCommand command, BroadcastState<Long, ModelTarget> log, BroadcastState<Integer, Rollout> state)
            throws Exception {
        ModelTarget target;
        try {
            target = commands.parse(command, log);
            Rollout running = ModelCommandLog.candidate(state);
            if (command.getRollout() == RolloutStep.PROMOTE && (running == null || !running.key().equals(target.key()))) {
                throw new IllegalArgumentException("no candidate " + target.key() + " to promote: "
                        + (running == null ? "no shadow or canary runs" : "the candidate is " + running));
            }
        } catch (IllegalArgumentException | ModelLoadException e) {
            serving.refuse(ModelCommandLog.unparsed(command), e.getMessage());
            return;
        }
        commands.append(log, target);
        serving.request(target); // before the candidate stops: a promoted version never drops out of the registry
        Rollout running = ModelCommandLog.candidate(state);
        if (running != null && running.key().equals(target.key())) {
            ModelCommandLog.endCandidate(state);
            stopped(running, target);
        }
    }

    /** Stops the candidate here; reported even where it never started (refused on this TaskManager), so every subtask answers. */
    private void stopped(Rollout running, ModelTarget because) {
        if (!rollout.stop(because)) {
            reports.candidateStopped(running, because, serving.servingTarget());
        }
    }

    /** SHADOW, CANARY: a candidate beside the serving version (replacing a running one). */
    private void startCandidate(ModelCommand command, RolloutMode mode, BroadcastState<Long, ModelTarget> log,
                                BroadcastState<Integer, Rollout> state) throws Exception {
        Rollout candidate;
        try {
            double fraction = command.getFraction() != null ? command.getFraction()
                    : mode == RolloutMode.SHADOW ? 1.0 : Double.NaN;
            if (!(fraction > 0 && fraction <= 1)) {
                throw new IllegalArgumentException("a " + mode + " needs a fraction in (0, 1], got " + command.getFraction());
            }
            ModelTarget target = commands.parse(command, log);
            ModelTarget servingNow = commands.newestServing(log);
            if (servingNow.key().equals(target.key())) {
                throw new IllegalArgumentException(target.key() + " is the serving version: a " + mode
                        + " needs another version to compare or split with");
            }
            candidate = new Rollout(target, mode, fraction);
        } catch (IllegalArgumentException | ModelLoadException e) {
            rollout.refuse(Rollout.asCommanded(ModelCommandLog.unparsed(command), mode, command.getFraction()), e.getMessage());
            return;
        }
        ModelCommandLog.startCandidate(state, candidate);
        rollout.request(candidate);
    }

    /** STOP: the candidate ends, the serving version labels every post alone again. */
    private void stop(ModelCommand command, BroadcastState<Integer, Rollout> state) throws Exception {
        ModelTarget because = ModelCommandLog.unparsed(command);
        Rollout running = ModelCommandLog.candidate(state);
        if (running == null) {
            // A STOP does not say what it stops: the refusal is reported under the SHADOW role.
            rollout.refuse(Rollout.asCommanded(because, RolloutMode.SHADOW, null), "nothing to stop: no shadow or canary runs");
            return;
        }
        ModelCommandLog.endCandidate(state);
        stopped(running, because);
    }

    @Override
    public void close() {
        if (rollout != null) {
            rollout.close();
        }
        if (serving != null) {
            serving.close();
        }
    }
}
