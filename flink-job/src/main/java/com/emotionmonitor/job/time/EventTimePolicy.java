package com.emotionmonitor.job.time;

import java.io.Serializable;
import java.time.Duration;

/**
 * Which event time the job gives a record, so that no single record can move the watermark past what the stream
 * supports or make a sink write a timestamp the broker refuses.
 *
 * <p>A post's {@code created_at} is trusted while it lies within {@code [now - maxPast, now + maxFutureSkew]} of the
 * job's clock when the post is read. Outside that range (a misconfigured client, a clock reset to 1970, a bogus date)
 * the post is still labelled, but its event time becomes the Kafka timestamp of its record, when that lies within the
 * range and not after {@code now}, or else {@code now}: the best estimate of when it was really posted. Such posts are
 * flagged ({@code EmotionEvent.adjusted_event_time}) and counted; their claimed {@code created_at} is kept as it was.
 *
 * <p>Why this bounds the watermark: every event time is at most {@code now + maxFutureSkew}, so the bounded
 * out-of-orderness watermark never leads the job's clock by more than {@code maxFutureSkew - outOfOrderness}. With the
 * defaults (5 s and 5 s) it never leads the clock at all, so a post that arrives promptly is never late because of
 * another post. And because every record timestamp the sinks write derives from these event times, no sink writes
 * one more than {@code maxFutureSkew} ahead of the job's clock: keep it well below the broker's
 * {@code message.timestamp.after.max.ms} (1 h by default).
 *
 * @param maxFutureSkew how far ahead of the job's clock a {@code created_at} may lie (client clock skew)
 * @param maxPast how far behind the job's clock a {@code created_at} may lie (a floor against absurd dates)
 */
public record EventTimePolicy(Duration maxFutureSkew, Duration maxPast) implements Serializable {

    /** What the policy did to a record's time. */
    public enum Adjustment {
        /** The claimed time lies within the policy. */
        NONE,
        /** The claimed time lay more than {@code maxFutureSkew} ahead. */
        FUTURE,
        /** The claimed time lay more than {@code maxPast} behind. */
        PAST
    }

    /** The event time chosen for one record, and why. */
    public record Decision(long eventTimeMillis, Adjustment adjustment) {}

    public EventTimePolicy {
        if (maxFutureSkew.isNegative()) {
            throw new IllegalArgumentException("event-time.max-future-skew must not be negative: " + maxFutureSkew);
        }
        if (maxPast.isNegative() || maxPast.isZero()) {
            throw new IllegalArgumentException("event-time.max-past must be positive: " + maxPast);
        }
    }

    /**
     * @param claimedMillis the post's {@code created_at}
     * @param kafkaTimestampMillis its record's Kafka timestamp (negative when the record has none)
     * @param nowMillis the job's clock when the post is read
     */
    public Decision decide(long claimedMillis, long kafkaTimestampMillis, long nowMillis) {
        Adjustment adjustment = classify(claimedMillis, nowMillis);
        if (adjustment == Adjustment.NONE) {
            return new Decision(claimedMillis, Adjustment.NONE);
        }
        return new Decision(arrival(kafkaTimestampMillis, nowMillis), adjustment);
    }

    /**
     * The event time of a record that has no usable {@code created_at} (a dead letter): its Kafka timestamp when that
     * lies within the policy and not after {@code now}, else {@code now}.
     */
    public long arrival(long kafkaTimestampMillis, long nowMillis) {
        boolean usable = kafkaTimestampMillis >= 0 && kafkaTimestampMillis <= nowMillis
                && classify(kafkaTimestampMillis, nowMillis) == Adjustment.NONE;
        return usable ? kafkaTimestampMillis : nowMillis;
    }

    private Adjustment classify(long millis, long nowMillis) {
        if (millis > saturatedAdd(nowMillis, maxFutureSkew.toMillis())) {
            return Adjustment.FUTURE;
        }
        if (millis < saturatedAdd(nowMillis, -maxPast.toMillis())) {
            return Adjustment.PAST;
        }
        return Adjustment.NONE;
    }

    private static long saturatedAdd(long a, long b) {
        long r = a + b;
        // Overflow only if both operands have the same sign and the result's sign differs.
        if (((a ^ r) & (b ^ r)) < 0) {
            return b > 0 ? Long.MAX_VALUE : Long.MIN_VALUE;
        }
        return r;
    }
}
