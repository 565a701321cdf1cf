package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

/** The control stream takes no part in event time: records pass, it is idle from the start, watermarks never leave. */
class OutsideEventTimeTest {

    @Test
    void recordsPassWatermarksDoNotAndTheStreamStaysIdle() throws Exception {
        try (OneInputStreamOperatorTestHarness<String, String> h = new OneInputStreamOperatorTestHarness<>(new OutsideEventTime<String>())) {
            h.open();
            h.processWatermarkStatus(WatermarkStatus.ACTIVE);
            h.processElement("ACTIVATE v2", 5L);
            h.processWatermark(new Watermark(100L));
            h.processWatermark(Watermark.MAX_WATERMARK); // the end of a bounded control source
            List<Object> out = List.copyOf(h.getOutput());
            assertEquals(List.of(WatermarkStatus.IDLE, new StreamRecord<>("ACTIVATE v2", 5L)), out);
        }
    }
}
