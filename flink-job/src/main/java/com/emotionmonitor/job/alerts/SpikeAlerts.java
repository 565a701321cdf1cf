package com.emotionmonitor.job.alerts;

import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionStats;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The alerting stage: stats keyed by scope -> {@link SpikeAlertFunction}: spikes on the main output, drift alerts on
 * {@link SpikeAlertFunction#DRIFT_ALERTS}. One place, for the job and the harness tests.
 */
public final class SpikeAlerts {

    private SpikeAlerts() {}

    /** Spike alerts only (drift alerts off). */
    public static SingleOutputStreamOperator<EmotionAlert> apply(DataStream<EmotionStats> stats, SpikeDetectorConfig config) {
        DriftDetectorConfig off = DriftDetectorConfig.defaults();
        return apply(stats, config, new DriftDetectorConfig(off.threshold(), 0, false, off.minWindowTotal()));
    }

    public static SingleOutputStreamOperator<EmotionAlert> apply(DataStream<EmotionStats> stats, SpikeDetectorConfig config,
                                                                 DriftDetectorConfig drift) {
        return stats
                .keyBy(EmotionStats::getScope, Types.STRING)
                .process(new SpikeAlertFunction(config, drift), new AvroTypeInfo<>(EmotionAlert.class))
                .uid("spike-alerts")
                .name("Spike alerts per scope");
    }
}
