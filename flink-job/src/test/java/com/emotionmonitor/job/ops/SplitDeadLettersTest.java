package com.emotionmonitor.job.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.emotionmonitor.job.TestPosts;
import com.emotionmonitor.job.io.DeadLetters;
import com.emotionmonitor.job.io.ReceivedPost;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.FailureStage;
import java.util.List;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.apache.flink.types.Either;
import org.junit.jupiter.api.Test;

/** The dead-letter router, through Flink's operator test harness. */
class SplitDeadLettersTest {

    @Test
    void leftsGoToTheSideOutputWithTheirTimestampRightsPassOn() throws Exception {
        ReceivedPost ok = TestPosts.received("ok", "好", 1);
        DeadLetter bad = DeadLetters.failed(TestPosts.received("bad", "坏", 2), FailureStage.PREPROCESS, "boom");
        try (OneInputStreamOperatorTestHarness<Either<DeadLetter, ReceivedPost>, ReceivedPost> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new SplitDeadLetters<>())) {
            harness.processElement(Either.Right(ok), 10L);
            harness.processElement(Either.Left(bad), 20L);

            assertEquals(List.of(ok), harness.extractOutputValues());
            List<StreamRecord<DeadLetter>> dead = List.copyOf(harness.getSideOutput(SplitDeadLetters.DEAD_LETTERS));
            assertEquals(1, dead.size());
            assertEquals(bad, dead.get(0).getValue());
            assertEquals(20L, dead.get(0).getTimestamp());
            assertEquals("boom", dead.get(0).getValue().getError());
            assertEquals(2L, dead.get(0).getValue().getSourceOffset());
        }
    }

    @Test
    void afterClassificationEventsPassOnAndDeadLettersGoAside() throws Exception {
        com.emotionmonitor.schema.EmotionEvent event = EmotionEvents.emptyText(TestPosts.toClassify("e", new int[] {101, 102}, "v1"),
                "tiny", "v1");
        DeadLetter bad = DeadLetters.failed(TestPosts.received("bad", "坏", 2), FailureStage.CLASSIFY, "timeout");
        try (OneInputStreamOperatorTestHarness<Either<DeadLetter, com.emotionmonitor.schema.EmotionEvent>, com.emotionmonitor.schema.EmotionEvent> harness =
                     ProcessFunctionTestHarnesses.forProcessFunction(new SplitUnclassified())) {
            harness.processElement(Either.Right(event), 10L);
            harness.processElement(Either.Left(bad), 20L);
            assertEquals(List.of(event), harness.extractOutputValues());
            assertEquals(1, harness.getSideOutput(SplitDeadLetters.DEAD_LETTERS).size());
        }
    }
}
