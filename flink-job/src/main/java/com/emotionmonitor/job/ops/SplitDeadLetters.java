package com.emotionmonitor.job.ops;

import com.emotionmonitor.schema.DeadLetter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.types.Either;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Routes {@code Left(DeadLetter)} to the {@link #DEAD_LETTERS} side output and passes {@code Right(value)} on: how
 * stages that cannot use side outputs themselves (a Kafka deserializer, an async function) hand over failures.
 * Counts what it routes in the {@code deadLetters} metric; a subclass may look at what passes ({@link #passed}).
 */
public class SplitDeadLetters<T> extends ProcessFunction<Either<DeadLetter, T>, T> {

    private static final long serialVersionUID = 1L;

    public static final OutputTag<DeadLetter> DEAD_LETTERS =
            new OutputTag<>("dead-letters", new AvroTypeInfo<>(DeadLetter.class));

    private transient Counter deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = getRuntimeContext().getMetricGroup().counter("deadLetters");
    }

    @Override
    public void processElement(Either<DeadLetter, T> value, Context ctx, Collector<T> out) {
        if (value.isLeft()) {
            deadLetters.inc();
            ctx.output(DEAD_LETTERS, value.left());
        } else {
            passed(value.right());
            out.collect(value.right());
        }
    }

    /** Called for each value passed on, on the task thread; nothing by default. */
    protected void passed(T value) {}

    /** The side output's type, for callers that build the stream by hand. */
    public static TypeInformation<DeadLetter> deadLetterType() {
        return DEAD_LETTERS.getTypeInfo();
    }
}
