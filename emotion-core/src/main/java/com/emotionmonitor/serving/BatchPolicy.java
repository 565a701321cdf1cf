package com.emotionmonitor.serving;

import com.emotionmonitor.store.ModelKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pure decision of the micro-batcher: given the pending requests (oldest first) and the time,
 * either a batch to run now or how long to wait. No threads, no clock of its own, so it is tested
 * deterministically.
 *
 * <p>A batch always contains the oldest request (so nobody starves). Its companions come from the
 * cheapest split of the pending requests of the same model version into length groups: sorted by
 * length, cut into contiguous groups (within the size and token budgets) minimising
 * {@code groups x overheadTokens + padded tokens}, by dynamic programming. The batch is the group that
 * holds the oldest request. Taking everything pending instead pads short posts to the longest one:
 * at half load that computed twice the real tokens and queued the next batch behind the waste.
 */
public final class BatchPolicy {

    private final BatchLimits limits;

    public BatchPolicy(BatchLimits limits) {
        this.limits = limits;
    }

    /** What the worker should do next. */
    public sealed interface Decision permits Cut, Wait {}

    /** Run these requests (indices into the pending list, the oldest first) now. */
    public record Cut(List<Integer> members, String reason) implements Decision {}

    /** Nothing is due: wait up to this many nanoseconds (or until a new request arrives). */
    public record Wait(long nanos) implements Decision {}

    /** A request as the policy sees it. */
    public interface Pending {
        int length();

        ModelKey model();

        long enqueuedNanos();
    }

    /**
     * @param pending oldest first
     * @param draining cut whatever is pending without waiting (shutdown)
     */
    public Decision decide(List<? extends Pending> pending, long nowNanos, boolean draining) {
        if (pending.isEmpty()) {
            return new Wait(Long.MAX_VALUE);
        }
        Pending oldest = pending.get(0);
        List<Integer> sorted = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).model().equals(oldest.model())) {
                sorted.add(i);
            }
        }
        sorted.sort(Comparator.<Integer>comparingInt(i -> pending.get(i).length()).thenComparingInt(i -> i));
        Group g = groupOfOldest(pending, sorted);
        List<Integer> members = new ArrayList<>(g.end - g.start);
        members.add(0);
        for (int k = g.start; k < g.end; k++) {
            if (sorted.get(k) != 0) {
                members.add(sorted.get(k));
            }
        }
        if (members.size() >= limits.maxBatchSize()) {
            return new Cut(members, "size");
        }
        if (budgetBound(pending, sorted, g)) {
            return new Cut(members, "tokens");
        }
        long waited = nowNanos - oldest.enqueuedNanos();
        if (waited >= limits.maxWait().toNanos()) {
            return new Cut(members, "time");
        }
        if (draining) {
            return new Cut(members, "drain");
        }
        return new Wait(limits.maxWait().toNanos() - waited);
    }

    /** A run {@code [start, end)} of the length-sorted candidates. */
    private record Group(int start, int end) {}

    /** The cheapest split of the sorted candidates into groups; returns the group holding pending index 0. */
    private Group groupOfOldest(List<? extends Pending> pending, List<Integer> sorted) {
        int n = sorted.size();
        long[] best = new long[n + 1];
        int[] passes = new int[n + 1]; // ties go to fewer passes (matters when overheadTokens is 0)
        int[] from = new int[n + 1];
        for (int j = 1; j <= n; j++) {
            long longest = pending.get(sorted.get(j - 1)).length();
            best[j] = Long.MAX_VALUE;
            for (int i = j - 1; i >= 0 && j - i <= limits.maxBatchSize(); i--) {
                long padded = longest * (j - i);
                if (padded > limits.maxBatchTokens() && j - i > 1) {
                    break; // a longer group only pads more; a single over-long post still runs alone
                }
                long cost = best[i] + limits.overheadTokens() + padded;
                if (cost < best[j] || cost == best[j] && passes[i] + 1 < passes[j]) {
                    best[j] = cost;
                    passes[j] = passes[i] + 1;
                    from[j] = i;
                }
            }
        }
        for (int end = n; end > 0; end = from[end]) {
            int start = from[end];
            for (int k = start; k < end; k++) {
                if (sorted.get(k) == 0) {
                    return new Group(start, end);
                }
            }
        }
        throw new IllegalStateException("the oldest request is in no group");
    }

    /** The group cannot take either length-neighbour without breaking the token budget: waiting will not grow it. */
    private boolean budgetBound(List<? extends Pending> pending, List<Integer> sorted, Group g) {
        int size = g.end - g.start;
        int longest = pending.get(sorted.get(g.end - 1)).length();
        boolean hasNeighbour = g.start > 0 || g.end < sorted.size();
        boolean belowFits = g.start > 0 && (long) longest * (size + 1) <= limits.maxBatchTokens();
        boolean aboveFits = g.end < sorted.size()
                && (long) pending.get(sorted.get(g.end)).length() * (size + 1) <= limits.maxBatchTokens();
        return hasNeighbour && !belowFits && !aboveFits;
    }
}
