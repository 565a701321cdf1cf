package com.emotionmonitor.job.alerts;

import com.emotionmonitor.job.ops.EmotionStatsFields;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.AlertSeverity;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.List;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * The spike detector in the job: keyed by scope, fed the on-time result of every window (kind WINDOW, revision 0),
 * it keeps one {@link ScopeBaseline} per scope in keyed state, runs {@link SpikeDetector} on each window in event-time
 * order and emits an {@link EmotionAlert} for each SPIKE and RECOVERY, with the window's example post ids of that
 * emotion.
 *
 * <p>Late re-firings (revision &gt; 0) and LATE records are ignored: the baseline is a sequence of windows, and
 * re-scoring a window after later ones were folded in would count it twice; the on-time result already holds all but
 * the late few of its posts.
 *
 * <p>Cleanup: an event-time timer at {@code lastWindowEnd + idleTimeout}, moved forward with every window, drops the
 * scope's state when it fires, so a topic that stops appearing leaves no state and no timer behind. An episode still
 * open then is closed by a RECOVERY with {@code window_total = 0} over the silent span. A timer rather than State TTL:
 * Flink's TTL runs on processing time only, so a backfill or a replay would keep or drop baselines by the wall clock
 * rather than by the data; the event-time timer is deterministic, replays identically, and its effect is testable with
 * the harness ({@code numKeyedStateEntries()}, {@code numEventTimeTimers()} back to zero).
 */
public final class SpikeAlertFunction extends KeyedProcessFunction<String, EmotionStats, EmotionAlert> {

    private static final long serialVersionUID = 1L;

    static final ValueStateDescriptor<ScopeBaseline> BASELINE =
            new ValueStateDescriptor<>("scope-baseline", TypeInformation.of(ScopeBaseline.class));

    private final SpikeDetectorConfig config;
    private transient SpikeDetector detector;
    private transient ValueState<ScopeBaseline> baseline;
    private transient Counter spikes;
    private transient Counter recoveries;
    private transient Counter expiredScopes;

    public SpikeAlertFunction(SpikeDetectorConfig config) {
        this.config = config;
    }

    /** The records the detector reads: the on-time firing of a window. */
    public static boolean isOnTimeWindow(EmotionStats stats) {
        return stats.getKind() == StatsKind.WINDOW && stats.getRevision() == 0;
    }

    @Override
    public void open(OpenContext openContext) {
        detector = new SpikeDetector(config);
        baseline = getRuntimeContext().getState(BASELINE);
        spikes = getRuntimeContext().getMetricGroup().counter("alertSpikes");
        recoveries = getRuntimeContext().getMetricGroup().counter("alertRecoveries");
        expiredScopes = getRuntimeContext().getMetricGroup().counter("alertScopesExpired");
    }

    @Override
    public void processElement(EmotionStats stats, Context ctx, Collector<EmotionAlert> out) throws Exception {
        if (!isOnTimeWindow(stats)) {
            return;
        }
        long windowEnd = stats.getWindowEnd().toEpochMilli();
        ScopeBaseline state = baseline.value();
        if (state == null) {
            state = new ScopeBaseline();
        } else if (windowEnd <= state.lastWindowEnd) {
            return; // not newer than what the baseline holds (cannot happen in order; guards a replayed record)
        } else {
            ctx.timerService().deleteEventTimeTimer(expiryOf(state));
        }
        for (SpikeDetector.Decision d : detector.observe(state, EmotionStatsFields.counts(stats.getCounts()), stats.getTotal(), windowEnd)) {
            out.collect(alert(stats, d));
            (d.kind() == SpikeDetector.Kind.SPIKE ? spikes : recoveries).inc();
        }
        baseline.update(state);
        ctx.timerService().registerEventTimeTimer(expiryOf(state));
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<EmotionAlert> out) throws Exception {
        ScopeBaseline state = baseline.value();
        if (state == null || timestamp != expiryOf(state)) {
            return;
        }
        for (com.emotionmonitor.model.Emotion e : com.emotionmonitor.model.Emotion.values()) {
            int i = e.ordinal();
            if (state.status[i] == ScopeBaseline.ALERTING) {
                out.collect(silentRecovery(ctx.getCurrentKey(), state, i, timestamp));
                recoveries.inc();
            }
        }
        baseline.clear();
        expiredScopes.inc();
    }

    private long expiryOf(ScopeBaseline state) {
        return state.lastWindowEnd + config.idleTimeoutMillis();
    }

    private static EmotionAlert alert(EmotionStats stats, SpikeDetector.Decision d) {
        Emotion emotion = Emotion.valueOf(d.emotion().name());
        return EmotionAlert.newBuilder()
                .setScope(stats.getScope())
                .setEmotion(emotion)
                .setWindowStart(stats.getWindowStart())
                .setWindowEnd(stats.getWindowEnd())
                .setObserved(d.observed())
                .setBaseline(d.baseline())
                .setScore(d.score())
                .setSeverity(AlertSeverity.valueOf(d.severity().name()))
                .setWindowTotal(stats.getTotal())
                .setDetectedAt(Instant.now())
                .setKind(AlertKind.valueOf(d.kind().name()))
                .setExamplePostIds(EmotionStatsFields.examples(stats.getExamples(), emotion))
                .build();
    }

    /** The scope went silent for the idle timeout during an episode: close it over the silent span. */
    private static EmotionAlert silentRecovery(String scope, ScopeBaseline state, int emotion, long timestamp) {
        return EmotionAlert.newBuilder()
                .setScope(scope)
                .setEmotion(Emotion.values()[emotion])
                .setWindowStart(Instant.ofEpochMilli(state.lastWindowEnd))
                .setWindowEnd(Instant.ofEpochMilli(timestamp))
                .setObserved(0)
                .setBaseline(state.mean[emotion])
                .setScore(0)
                .setSeverity(AlertSeverity.values()[state.episodeSeverity[emotion]])
                .setWindowTotal(0)
                .setDetectedAt(Instant.now())
                .setKind(AlertKind.RECOVERY)
                .setExamplePostIds(List.of())
                .build();
    }
}
