package com.emotionmonitor.job.model;

import com.emotionmonitor.serving.BatchLimits;
import com.emotionmonitor.serving.BatchListener;
import com.emotionmonitor.serving.MicroBatcher;
import com.emotionmonitor.serving.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link MicroBatcher} of a TaskManager's device, shared by all its classify subtasks: posts of every slot
 * fill the same batches, so the device sees fewer, fuller forward passes than with one batcher per subtask.
 * Reference-counted: created by the first subtask that opens, drained and stopped when the last one closes (on
 * failover too, so a restarted job gets a fresh one). Each request carries the predictor of the version it was
 * stamped with (its caller holds a lease on it), so the batcher knows nothing of the {@link ModelRegistry} and a
 * version loaded later needs no new batcher.
 *
 * <p>Restart-safe like the registry: {@link #shared()} lives as long as the user-code classloader (FLINK-16408).
 */
public final class DeviceBatcher {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceBatcher.class);

    private static final DeviceBatcher SHARED = new DeviceBatcher("micro-batcher-taskmanager");

    private final String threadName;
    private MicroBatcher batcher;
    private BatchLimits limits;
    private int references;

    public DeviceBatcher(String threadName) {
        this.threadName = threadName;
    }

    /** The batcher of this TaskManager's device. */
    public static DeviceBatcher shared() {
        return SHARED;
    }

    /**
     * A hold on the shared batcher, created with {@code limits} if none runs. Subtasks of one job ask with the same
     * limits; a different job on the same TaskManager gets the running batcher's limits (logged).
     */
    public synchronized Handle acquire(BatchLimits limits) {
        if (batcher == null) {
            batcher = new MicroBatcher(limits, Ticker.SYSTEM, BatchListener.NONE, threadName);
            this.limits = limits;
        } else if (!this.limits.equals(limits)) {
            LOG.warn("{} already runs with {}; a subtask asked for {} and shares the running batcher", threadName, this.limits, limits);
        }
        references++;
        return new Handle(batcher);
    }

    /** Totals of the running batcher since it started, or null when none runs (benchmarks read them). */
    public synchronized MicroBatcher.Totals totals() {
        return batcher == null ? null : batcher.totals();
    }

    /** Subtasks holding the batcher now (for tests and metrics). */
    public synchronized int references() {
        return references;
    }

    private void release(MicroBatcher held) {
        MicroBatcher toClose = null;
        synchronized (this) {
            if (held != batcher) {
                return; // a batcher of an earlier generation, already closed
            }
            if (--references == 0) {
                toClose = batcher;
                batcher = null;
                limits = null;
            }
        }
        if (toClose != null) {
            toClose.close(); // labels what is still queued, then stops the worker
        }
    }

    /** One subtask's hold on the shared batcher. */
    public final class Handle implements AutoCloseable {
        private final MicroBatcher held;
        private boolean closed;

        private Handle(MicroBatcher held) {
            this.held = held;
        }

        public MicroBatcher batcher() {
            return held;
        }

        @Override
        public synchronized void close() {
            if (!closed) {
                closed = true;
                release(held);
            }
        }
    }
}
