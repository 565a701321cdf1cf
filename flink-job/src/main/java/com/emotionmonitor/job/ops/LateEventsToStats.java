package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import org.apache.flink.api.common.typeinfo.TypeInformation;

/**
 * Events that reach the statistics after their window closed (beyond the allowed lateness), keyed by scope and
 * gathered per window ({@link LateGathering}): one {@code LATE} EmotionStats record per scope, window and flush,
 * counted in the {@code lateEvents} metric. Their EmotionEvents were already written; only the window results missed
 * them. LATE records carry no drift: a few late posts are not a window's mix.
 */
public final class LateEventsToStats extends LateGathering<ScopedEmotion, StatsAccumulator, EmotionStats> {

    private static final long serialVersionUID = 2L;

    public LateEventsToStats(Duration windowSize, Duration flushInterval, int maxExamples) {
        super(windowSize, flushInterval, new EmotionStatsAggregate(maxExamples), TypeInformation.of(StatsAccumulator.class),
                (scope, start, end, acc) -> StatsRecords.of(scope, StatsKind.LATE, start, end, 0, acc, null), "lateEvents");
    }
}
