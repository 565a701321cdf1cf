package com.emotionmonitor.job.alerts;

import com.emotionmonitor.job.ops.EmotionStatsFields;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.AlertSeverity;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.DriftAlertKind;
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
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

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
 * <p>Drift: the same function judges each on-time window's drift ({@code EmotionStats.drift}, the divergence of its mix
 * from the models' training mix) with the {@link DriftDetector} and writes a {@link DriftAlert} to the
 * {@link #DRIFT_ALERTS} side output on a sustained divergence and when it ends: separate from emotion spikes (another
 * record, another topic), but in the same keyed state and under the same cleanup, so a scope costs one state entry
 * and one timer whatever it alerts on.
 *
 * <p>Cleanup: an event-time timer at {@code lastWindowEnd + idleTimeout}, moved forward with every window, drops the
 * scope's state when it fires, so a topic that stops appearing leaves no state and no timer behind. An episode still
 * open then is closed by a RECOVERY with {@code window_total = 0} over the silent span. A timer rather than State TTL:
 * Flink's TTL runs on processing time only, so a backfill or a replay would keep or drop baselines by the wall clock
 * rather than by the data; the event-time timer is deterministic, replays identically, and its effect is testable with
 * the harness ({@code numKeyedStateEntries()}, {@code numEventTimeTimers()} back to zero).
 */
public final class SpikeAlertFunction extends KeyedProcessFunction<String, EmotionStats, EmotionAlert> {

    private static final long serialVersionUID = 2L;

    static final ValueStateDescriptor<ScopeBaseline> BASELINE =
            new ValueStateDescriptor<>("scope-baseline", TypeInformation.of(ScopeBaseline.class));

    /** DRIFT and RECOVERY of the scopes' label mix against the models' reference. */
    public static final OutputTag<DriftAlert> DRIFT_ALERTS = new OutputTag<>("drift-alerts", new AvroTypeInfo<>(DriftAlert.class));

    private final SpikeDetectorConfig config;
    private final DriftDetectorConfig driftConfig;
    private transient SpikeDetector detector;
    private transient DriftDetector drift;
    private transient Counter drifts;
    private transient ValueState<ScopeBaseline> baseline;
    private transient Counter spikes;
    private transient Counter recoveries;
    private transient Counter expiredScopes;

    public SpikeAlertFunction(SpikeDetectorConfig config, DriftDetectorConfig driftConfig) {
        this.config = config;
        this.driftConfig = driftConfig;
    }

    /** The records the detector reads: the on-time firing of a window. */
    public static boolean isOnTimeWindow(EmotionStats stats) {
        return stats.getKind() == StatsKind.WINDOW && stats.getRevision() == 0;
    }

    @Override
    public void open(OpenContext openContext) {
        detector = new SpikeDetector(config);
        drift = new DriftDetector(driftConfig);
        drifts = getRuntimeContext().getMetricGroup().counter("alertDrifts");
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
        if (stats.getDrift() != null && driftConfig.judges(stats.getScope())) {
            DriftDetector.Decision d = drift.observe(state, stats.getDrift(), stats.getTotal());
            if (d != null) {
                ctx.output(DRIFT_ALERTS, driftAlert(stats, d));
                if (d.kind() == DriftDetector.Kind.DRIFT) {
                    drifts.inc();
                }
            }
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
        if (state.driftAlerting) {
            ctx.output(DRIFT_ALERTS, silentDriftRecovery(ctx.getCurrentKey(), state, timestamp));
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

    private DriftAlert driftAlert(EmotionStats stats, DriftDetector.Decision d) {
        long[] counts = EmotionStatsFields.counts(stats.getCounts());
        counts[Emotion.NEUTRAL.ordinal()] -= stats.getEmptyTextCount(); // the mix drift was measured on
        long labelled = 0;
        for (long c : counts) {
            labelled += c;
        }
        List<Double> observed = new java.util.ArrayList<>(counts.length);
        for (long c : counts) {
            observed.add(labelled == 0 ? 0.0 : (double) c / labelled);
        }
        return DriftAlert.newBuilder()
                .setScope(stats.getScope())
                .setKind(d.kind() == DriftDetector.Kind.DRIFT ? DriftAlertKind.DRIFT : DriftAlertKind.RECOVERY)
                .setWindowStart(stats.getWindowStart())
                .setWindowEnd(stats.getWindowEnd())
                .setDivergence(d.divergence())
                .setMeanDivergence(d.mean())
                .setThreshold(driftConfig.threshold())
                .setWindows(d.windows())
                .setWindowTotal(stats.getTotal())
                .setObservedShares(observed)
                .setReferenceShares(stats.getDriftReference() == null ? List.of() : stats.getDriftReference())
                .setDetectedAt(Instant.now())
                .build();
    }

    /** The scope went silent for the idle timeout during a drift episode: close it over the silent span. */
    private DriftAlert silentDriftRecovery(String scope, ScopeBaseline state, long timestamp) {
        return DriftAlert.newBuilder()
                .setScope(scope)
                .setKind(DriftAlertKind.RECOVERY)
                .setWindowStart(Instant.ofEpochMilli(state.lastWindowEnd))
                .setWindowEnd(Instant.ofEpochMilli(timestamp))
                .setDivergence(0)
                .setMeanDivergence(0)
                .setThreshold(driftConfig.threshold())
                .setWindows(0)
                .setWindowTotal(0)
                .setObservedShares(List.of())
                .setReferenceShares(List.of())
                .setDetectedAt(Instant.now())
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
