package com.emotionmonitor.dashboard;

import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.AlertSeverity;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import java.time.Instant;
import java.util.List;

/** The topics' records as the job writes them, for the dashboard's tests. */
public final class Records {

    public static final long MINUTE = 60_000L;

    private Records() {}

    /** A stats record; {@code counts} in wire order (happy, angry, sad, fear, surprise, neutral). */
    public static EmotionStats stats(String scope, long start, StatsKind kind, int revision, long... counts) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        return EmotionStats.newBuilder()
                .setScope(scope).setKind(kind)
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(start + MINUTE))
                .setRevision(revision)
                .setCounts(new EmotionCounts(counts[0], counts[1], counts[2], counts[3], counts[4], counts[5]))
                .setTotal(total).setEmittedAt(Instant.ofEpochMilli(start + MINUTE))
                .build();
    }

    public static EmotionStats window(String scope, long start, int revision, long... counts) {
        return stats(scope, start, StatsKind.WINDOW, revision, counts);
    }

    public static EmotionAlert spike(String scope, Emotion emotion, long start, List<String> exampleIds) {
        return EmotionAlert.newBuilder()
                .setScope(scope).setEmotion(emotion).setKind(AlertKind.SPIKE).setSeverity(AlertSeverity.HIGH)
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(start + MINUTE))
                .setObserved(0.6).setBaseline(0.1).setScore(12.5).setWindowTotal(120)
                .setDetectedAt(Instant.ofEpochMilli(start + MINUTE + 2_000)).setExamplePostIds(exampleIds)
                .build();
    }

    public static SocialPost post(String id, String text) {
        return SocialPost.newBuilder().setId(id).setText(text).setCreatedAt(Instant.ofEpochMilli(0)).build();
    }

    public static EmotionEvent event(String id, Emotion emotion) {
        return EmotionEvent.newBuilder()
                .setPostId(id).setCreatedAt(Instant.ofEpochMilli(0)).setEmotion(emotion)
                .setProbabilities(List.of(1f / 6, 1f / 6, 1f / 6, 1f / 6, 1f / 6, 1f / 6)).setConfidence(1f / 6)
                .setModelName("weibo-emotion").setModelVersion("v1").setProcessedAt(Instant.ofEpochMilli(0))
                .build();
    }

    public static ModelStatus status(String job, int subtask, String taskManager, ModelState state, String version,
                                     String reason, long reportedAt) {
        return ModelStatus.newBuilder()
                .setModelName("weibo-emotion").setVersion(version).setState(state)
                .setTrigger(state == ModelState.ACTIVE && reportedAt == 0 ? ModelTrigger.STARTUP : ModelTrigger.ACTIVATE)
                .setReason(reason).setJobId(job).setTaskManager(taskManager).setSubtask(subtask).setParallelism(2)
                .setCommandIssuedAt(Instant.ofEpochMilli(1_000)).setReportedAt(Instant.ofEpochMilli(reportedAt))
                .build();
    }

    /** A shadow comparison of v1 (serving) and v2 (shadow) of weibo-emotion, with one disagreement on {@code postId}. */
    public static com.emotionmonitor.schema.ModelComparison comparison(String scope, long start, StatsKind kind, int revision,
                                                                       long compared, long agreed, String postId) {
        EmotionCounts none = new EmotionCounts(0L, 0L, 0L, 0L, 0L, 0L);
        List<List<Long>> confusion = java.util.Collections.nCopies(6, java.util.Collections.nCopies(6, 0L));
        return com.emotionmonitor.schema.ModelComparison.newBuilder()
                .setScope(scope).setKind(kind)
                .setWindowStart(Instant.ofEpochMilli(start)).setWindowEnd(Instant.ofEpochMilli(start + MINUTE)).setRevision(revision)
                .setServingModel("weibo-emotion").setServingVersion("v1").setShadowModel("weibo-emotion").setShadowVersion("v2")
                .setCompared(compared).setAgreed(agreed).setAgreement(compared == 0 ? 0 : (double) agreed / compared)
                .setConfusion(confusion).setServingCounts(none).setShadowCounts(none)
                .setDisagreements(List.of(com.emotionmonitor.schema.Disagreement.newBuilder().setPostId(postId)
                        .setServingEmotion(Emotion.ANGRY).setServingConfidence(0.9f)
                        .setShadowEmotion(Emotion.SAD).setShadowConfidence(0.8f).build()))
                .setEmittedAt(Instant.ofEpochMilli(start + MINUTE))
                .build();
    }

    public static DeadLetter deadLetter(long offset, String error) {
        return DeadLetter.newBuilder()
                .setSourceTopic("social-posts").setSourcePartition(0).setSourceOffset(offset)
                .setStage(FailureStage.DESERIALIZE).setError(error).setFailedAt(Instant.ofEpochMilli(5_000))
                .build();
    }
}
