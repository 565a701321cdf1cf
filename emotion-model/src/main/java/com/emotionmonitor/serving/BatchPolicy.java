package com.emotionmonitor.serving;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The pure decision of the micro-batcher: given the pending requests (oldest first) and the time,
 * either a batch to run now or how long to wait. No threads, no clock of its own, so it is tested
 * deterministically.
 *
 * <p>A batch always contains the oldest request (so nobody starves) and is filled with the pending
 * requests of the same model version whose lengths are closest to it, while the padded size stays
 * within the token budget: length bucketing without fixed buckets.
 */
public final class BatchPolicy {

    private final BatchLimits limits;

    public BatchPolicy(BatchLimits limits) {
        this.limits = limits;
    }

    /** What the worker should do next. */
    public sealed interface Decision permits Cut, Wait {}

    /** Run these requests (indices into the pending list, in the order given) now. */
    public record Cut(List<Integer> members, String reason) implements Decision {}

    /** Nothing is due: wait up to this many nanoseconds (or until a new request arrives). */
    public record Wait(long nanos) implements Decision {}

    /** A request as the policy sees it. */
    public interface Pending {
        int length();

        String modelKey();

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
        List<Integer> sameModel = new ArrayList<>();
        for (int i = 0; i < pending.size(); i++) {
            if (pending.get(i).modelKey().equals(oldest.modelKey())) {
                sameModel.add(i);
            }
        }
        List<Integer> members = fill(pending, sameModel, oldest.length());
        long waited = nowNanos - oldest.enqueuedNanos();
        boolean full = members.size() >= limits.maxBatchSize();
        boolean tokenBound = members.size() < sameModel.size(); // the budget stopped the fill before the queue ran out
        if (full) {
            return new Cut(members, "size");
        }
        if (tokenBound) {
            return new Cut(members, "tokens");
        }
        if (waited >= limits.maxWait().toNanos()) {
            return new Cut(members, "time");
        }
        if (draining) {
            return new Cut(members, "drain");
        }
        return new Wait(limits.maxWait().toNanos() - waited);
    }

    /** The oldest request plus its nearest-length peers, within the size and padded-token budgets. */
    private List<Integer> fill(List<? extends Pending> pending, List<Integer> candidates, int anchorLength) {
        List<Integer> byCloseness = new ArrayList<>(candidates.subList(1, candidates.size()));
        byCloseness.sort(Comparator.<Integer>comparingInt(i -> Math.abs(pending.get(i).length() - anchorLength))
                .thenComparingInt(i -> i));
        List<Integer> members = new ArrayList<>();
        members.add(candidates.get(0));
        int longest = anchorLength;
        for (int i : byCloseness) {
            if (members.size() >= limits.maxBatchSize()) {
                break;
            }
            int newLongest = Math.max(longest, pending.get(i).length());
            if ((long) newLongest * (members.size() + 1) > limits.maxBatchTokens()) {
                break;
            }
            members.add(i);
            longest = newLongest;
        }
        return members;
    }
}
