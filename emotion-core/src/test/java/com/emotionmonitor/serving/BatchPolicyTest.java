package com.emotionmonitor.serving;

import com.emotionmonitor.store.ModelKey;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchPolicyTest {

    private record P(int length, ModelKey model, long enqueuedNanos) implements BatchPolicy.Pending {
        P(int length, String version, long enqueuedNanos) {
            this(length, new ModelKey("m", version), enqueuedNanos);
        }
    }

    private static final long MS = 1_000_000L;
    private final BatchPolicy policy = new BatchPolicy(new BatchLimits(4, 100, Duration.ofMillis(10), 1000));

    @Test
    void waitsForTheOldestRequestsDeadlineWhenNothingIsFull() {
        List<P> q = List.of(new P(10, "v1", 0), new P(10, "v1", 2 * MS));
        BatchPolicy.Decision d = policy.decide(q, 4 * MS, false);
        assertEquals(new BatchPolicy.Wait(6 * MS), d);
    }

    @Test
    void cutsByTimeOnceTheOldestHasWaitedMaxWait() {
        List<P> q = List.of(new P(10, "v1", 0), new P(12, "v1", 2 * MS));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 10 * MS, false));
        assertEquals(List.of(0, 1), cut.members());
        assertEquals("time", cut.reason());
    }

    @Test
    void cutsBySizeImmediately() {
        List<P> q = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            q.add(new P(5, "v1", i));
        }
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 6, false));
        assertEquals(4, cut.members().size());
        assertEquals("size", cut.reason());
        assertEquals(0, cut.members().get(0), "the oldest request is always in the batch");
    }

    @Test
    void cutsByPaddedTokensAndGroupsNearestLengths() {
        // budget 100 padded tokens: 40 + 38 + 42 -> 3 x 42 = 126 > 100, so the anchor takes only its nearest peer
        List<P> q = List.of(new P(40, "v1", 0), new P(90, "v1", 1), new P(42, "v1", 2), new P(10, "v1", 3));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 5, false));
        assertEquals(List.of(0, 2), cut.members());
        assertEquals("tokens", cut.reason());
    }

    @Test
    void splitsAMixOfShortAndLongPostsInsteadOfPaddingEveryoneToTheLongest() {
        // 4 x 10 tokens and 2 x 60: together 6 x 60 = 360 padded; split 40 + 120 + one more pass (48) = 208
        BatchPolicy wide = new BatchPolicy(new BatchLimits(16, 4096, Duration.ofMillis(10), 1000, 48));
        List<P> q = List.of(new P(10, "v1", 0), new P(60, "v1", 1), new P(11, "v1", 2), new P(58, "v1", 3),
                new P(9, "v1", 4), new P(10, "v1", 5));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, wide.decide(q, 10 * MS, false));
        assertEquals(List.of(0, 4, 5, 2), cut.members(), "the oldest first, then its length group");
        assertEquals("time", cut.reason());
    }

    @Test
    void keepsPostsTogetherWhenAnotherPassCostsMoreThanTheirPadding() {
        // 10 and 30: together 60 padded tokens; apart 40 + a second pass of 48 = 88
        BatchPolicy wide = new BatchPolicy(new BatchLimits(16, 4096, Duration.ofMillis(10), 1000, 48));
        List<P> q = List.of(new P(30, "v1", 0), new P(10, "v1", 1));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, wide.decide(q, 10 * MS, false));
        assertEquals(List.of(0, 1), cut.members());
    }

    @Test
    void withoutPerPassOverheadEveryLengthRunsAlone() {
        BatchPolicy gpuLike = new BatchPolicy(new BatchLimits(16, 4096, Duration.ofMillis(10), 1000, 0));
        List<P> q = List.of(new P(30, "v1", 0), new P(10, "v1", 1), new P(30, "v1", 2));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, gpuLike.decide(q, 10 * MS, false));
        assertEquals(List.of(0, 2), cut.members(), "equal lengths still share a pass: no padding, no cost");
    }

    @Test
    void neverMixesModelVersions() {
        List<P> q = List.of(new P(10, "v1", 0), new P(10, "v2", 1), new P(10, "v1", 2));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 20 * MS, false));
        assertEquals(List.of(0, 2), cut.members());
    }

    @Test
    void drainCutsWithoutWaiting() {
        List<P> q = List.of(new P(10, "v1", 0));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 1, true));
        assertEquals("drain", cut.reason());
    }

    @Test
    void aSingleRequestLongerThanTheBudgetStillRuns() {
        List<P> q = List.of(new P(142, "v1", 0));
        BatchPolicy.Cut cut = assertInstanceOf(BatchPolicy.Cut.class, policy.decide(q, 10 * MS, false));
        assertEquals(List.of(0), cut.members());
    }
}
