package com.emotionmonitor.job.ops;

import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.schema.ModelCommand;
import java.time.Duration;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithNonKeyedOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * The broadcast operator Flink builds for {@link ModelRouterFunction}, plus a processing-time tick: every
 * {@link #TICK} the router takes up a version (or candidate) whose background load finished and emits its reports,
 * even when no post arrives. Without it a quiet stream would start a commanded version only with its next post, and
 * {@code bin/emotion model ... --wait} could not confirm a command sent in a maintenance window. The tick runs on the
 * task thread between records, like a post: the switch stays "once, never back" per subtask. Same broadcast states
 * and uid as the plain operator, so savepoints restore either way.
 */
public final class ModelRouterOperator extends CoBroadcastWithNonKeyedOperator<ReceivedPost, ModelCommand, PostToClassify> {

    private static final long serialVersionUID = 1L;

    /** How often a quiet router looks for finished loads: a few future checks, nothing when none is pending. */
    public static final Duration TICK = Duration.ofMillis(200);

    private final ModelRouterFunction router;

    public ModelRouterOperator(ModelRouterFunction router) {
        super(router, ModelRouterFunction.BROADCAST_STATES);
        this.router = router;
    }

    @Override
    public void open() throws Exception {
        super.open();
        getProcessingTimeService().scheduleWithFixedDelay(time -> router.onTick(
                status -> output.collect(ModelRouterFunction.STATUS, new StreamRecord<>(status))), TICK.toMillis(), TICK.toMillis());
    }
}
