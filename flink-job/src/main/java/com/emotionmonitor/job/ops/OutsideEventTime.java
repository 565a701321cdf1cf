package com.emotionmonitor.job.ops;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.runtime.watermarkstatus.WatermarkStatus;

/**
 * Takes a control stream out of event time: its records pass, its watermarks are dropped and it declares itself idle
 * for good. Connected to the posts (the model-control stream into the router), it then never holds back their
 * watermark (a stream without watermarks would hold it at Long.MIN_VALUE forever), and never pushes it forward either:
 * a control stream at Long.MAX_VALUE, or one that ends (a bounded run), would otherwise make the router emit the
 * end of event time whenever the posts themselves go idle, and every later post would be late.
 */
public final class OutsideEventTime<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {

    private static final long serialVersionUID = 1L;

    OutsideEventTime() {}

    /** Chained to the control source (operator factories chain by default). */
    public static <T> SingleOutputStreamOperator<T> apply(DataStream<T> control) {
        return control.transform("Outside event time", control.getType(), new OutsideEventTime<>());
    }

    @Override
    public void open() throws Exception {
        super.open();
        output.emitWatermarkStatus(WatermarkStatus.IDLE);
    }

    @Override
    public void processElement(StreamRecord<T> element) {
        output.collect(element);
    }

    @Override
    public void processWatermark(Watermark mark) {
        // dropped: this stream takes no part in event time
    }

    @Override
    public void processWatermarkStatus(WatermarkStatus status) {
        // stays idle whatever the source says
    }
}
