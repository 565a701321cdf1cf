package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.job.model.ModelCommandLog;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.job.model.ModelSource;
import com.emotionmonitor.job.model.ModelStatusReporter;
import com.emotionmonitor.job.model.ModelTarget;
import com.emotionmonitor.job.model.ServingSwitch;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelStatus;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
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
 * three parts: the {@link ModelCommandLog} (the commands in broadcast state, checkpointed, so a restored job serves
 * the newest commanded version that passes verification), the {@link ServingSwitch} (which version this subtask
 * stamps, switched without a pause once a commanded version has loaded in the background) and the
 * {@link ModelStatusReporter} (model-status records, logs, metrics {@code modelRouter.*}).
 *
 * <p>Why non-keyed {@link BroadcastProcessFunction}: the version is a per-TaskManager matter, not per key; posts need no
 * key, no keyed state and no timers, and a keyBy would add a shuffle. Without it the posts keep their partition order
 * from the source to the classifier, which is what makes "switches once, never back" hold per subtask.
 */
public final class ModelRouterFunction extends BroadcastProcessFunction<ReceivedPost, ModelCommand, PostToClassify>
        implements CheckpointedFunction {

    private static final long serialVersionUID = 2L;

    /** The broadcast state of the commands: {@link ModelCommandLog#STATE}. */
    public static final MapStateDescriptor<Long, ModelTarget> COMMANDS = ModelCommandLog.STATE;

    /** What each subtask did about each version (accepted, active, refused). */
    public static final OutputTag<ModelStatus> STATUS = new OutputTag<>("model-status", new AvroTypeInfo<>(ModelStatus.class));

    private final ModelSource models;
    private final ClassifierRequirements requirements;

    private transient ModelCommandLog commands;
    private transient List<ModelTarget> restored;
    private transient ModelStatusReporter reports;
    private transient ServingSwitch serving;

    public ModelRouterFunction(ModelSource models, ClassifierRequirements requirements) {
        this.models = models;
        this.requirements = requirements;
    }

    @Override
    public void initializeState(FunctionInitializationContext context) throws Exception {
        // The same broadcast state the operator hands to processElement: read here to serve the restored version
        // from the first post on.
        BroadcastState<Long, ModelTarget> state = context.getOperatorStateStore().getBroadcastState(COMMANDS);
        restored = context.isRestored() ? ModelCommandLog.newestFirst(state.entries()) : List.of();
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
        group.gauge("activeModelVersion", (org.apache.flink.metrics.Gauge<String>) () ->
                serving.servingTarget() == null ? "" : serving.servingTarget().key().id());
        group.gauge("pendingModelVersion", (org.apache.flink.metrics.Gauge<String>) () ->
                serving.pendingTarget() == null ? "" : serving.pendingTarget().key().id());
        serving.serveAtStart(restored);
    }

    @Override
    public void processElement(ReceivedPost post, ReadOnlyContext ctx, Collector<PostToClassify> out) {
        serving.completePending();
        reports.flush(s -> ctx.output(STATUS, s));
        PostToClassify stamped;
        try {
            stamped = PostPreparation.prepare(post, serving.serving().textPipeline(), serving.serving().key());
        } catch (RuntimeException e) {
            ctx.output(SplitDeadLetters.DEAD_LETTERS, DeadLetters.failed(post, FailureStage.PREPROCESS,
                    "text pipeline of " + serving.serving().key() + " failed: " + DeadLetters.describe(e)));
            return;
        }
        out.collect(stamped);
    }

    @Override
    public void processBroadcastElement(ModelCommand command, Context ctx, Collector<PostToClassify> out) throws Exception {
        serving.completePending(); // commands apply in order: a version that became ready is served before the next one
        BroadcastState<Long, ModelTarget> state = ctx.getBroadcastState(COMMANDS);
        ModelTarget target;
        try {
            target = commands.parse(command, state);
        } catch (IllegalArgumentException | com.emotionmonitor.model.ModelLoadException e) {
            serving.refuse(ModelCommandLog.unparsed(command), e.getMessage());
            reports.flush(s -> ctx.output(STATUS, s));
            return;
        }
        commands.append(state, target);
        serving.request(target);
        reports.flush(s -> ctx.output(STATUS, s));
    }

    @Override
    public void close() {
        if (serving != null) {
            serving.close();
        }
    }
}
