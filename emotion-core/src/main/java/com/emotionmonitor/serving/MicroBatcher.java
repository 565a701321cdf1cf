package com.emotionmonitor.serving;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.store.ModelKey;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dynamic micro-batching in front of one device: callers {@link #submit} single encodings and get a
 * future; one worker thread cuts batches by the {@link BatchPolicy} (size, padded tokens, max wait,
 * nearest lengths together) and completes every member's future from one forward pass. Requests name
 * the model version that must label them; a batch never mixes versions.
 *
 * <p>Bounded: when {@code queueCapacity} requests are pending, {@code submit} blocks until the worker
 * takes a batch (backpressure), so memory never grows with load. A failed forward pass fails exactly
 * the futures of that batch. {@link #close()} drains what is pending, then stops the worker.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MicroBatcher.class);

    private final BatchPolicy policy;
    private final BatchLimits limits;
    private final Ticker ticker;
    private final java.util.concurrent.CopyOnWriteArrayList<BatchListener> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final Condition spaceFreed = lock.newCondition();
    private final List<Request> pending = new ArrayList<>();
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong batchesRun = new AtomicLong();
    private final AtomicLong postsRun = new AtomicLong();
    private final AtomicLong realTokensRun = new AtomicLong();
    private final AtomicLong paddedTokensRun = new AtomicLong();
    private final AtomicLong inferenceNanosRun = new AtomicLong();
    private final Thread worker;
    private boolean closing;

    public MicroBatcher(BatchLimits limits, Ticker ticker, BatchListener listener, String name) {
        this.limits = limits;
        this.policy = new BatchPolicy(limits);
        this.ticker = ticker;
        this.listeners.add(listener);
        this.worker = new Thread(this::runWorker, name);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    private static final class Request implements BatchPolicy.Pending {
        final Encoding encoding;
        final ModelKey model;
        final BatchPredictor predictor;
        final long enqueued;
        final CompletableFuture<Prediction> future = new CompletableFuture<>();

        Request(Encoding encoding, ModelKey model, BatchPredictor predictor, long enqueued) {
            this.encoding = encoding;
            this.model = model;
            this.predictor = predictor;
            this.enqueued = enqueued;
        }

        @Override
        public int length() {
            return encoding.length();
        }

        @Override
        public ModelKey model() {
            return model;
        }

        @Override
        public long enqueuedNanos() {
            return enqueued;
        }
    }

    /**
     * Queues one encoding for the given model version, with the predictor that labels it (the caller holds the
     * version loaded until the future completes). Only requests of the same version share a batch. Blocks while the
     * queue is full.
     *
     * @throws IllegalStateException when the batcher is closed
     */
    public CompletableFuture<Prediction> submit(ModelKey model, BatchPredictor predictor, Encoding encoding)
            throws InterruptedException {
        java.util.Objects.requireNonNull(model, "model");
        java.util.Objects.requireNonNull(predictor, "predictor");
        lock.lock();
        try {
            while (pending.size() >= limits.queueCapacity() && !closing) {
                spaceFreed.await();
            }
            if (closing) {
                throw new IllegalStateException("micro-batcher " + worker.getName() + " is closed");
            }
            Request r = new Request(encoding, model, predictor, ticker.nanos());
            pending.add(r);
            inFlight.incrementAndGet();
            changed.signal();
            return r.future;
        } finally {
            lock.unlock();
        }
    }

    /** Adds a listener (e.g. the metrics of one more subtask sharing this batcher). */
    public void addListener(BatchListener listener) {
        listeners.add(listener);
    }

    public void removeListener(BatchListener listener) {
        listeners.remove(listener);
    }

    /** Totals since the batcher started (benchmarks and tests read them; Flink metrics use the listener). */
    public record Totals(long batches, long posts, long realTokens, long paddedTokens, long inferenceNanos) {

        public double paddingEfficiency() {
            return paddedTokens == 0 ? 1.0 : (double) realTokens / paddedTokens;
        }

        public double meanBatchSize() {
            return batches == 0 ? 0 : (double) posts / batches;
        }

        /** Forward-pass time per post: compared with the tight loop's, it tells a starved worker from a slow one. */
        public double inferenceMillisPerPost() {
            return posts == 0 ? Double.NaN : inferenceNanos / 1e6 / posts;
        }
    }

    public Totals totals() {
        return new Totals(batchesRun.get(), postsRun.get(), realTokensRun.get(), paddedTokensRun.get(),
                inferenceNanosRun.get());
    }

    /** Requests waiting for a batch. */
    public int queueDepth() {
        lock.lock();
        try {
            return pending.size();
        } finally {
            lock.unlock();
        }
    }

    /** Requests submitted and not yet completed (queued or in the running batch). */
    public long inFlight() {
        return inFlight.get();
    }

    private void runWorker() {
        while (true) {
            List<Request> batch;
            String reason;
            lock.lock();
            try {
                while (true) {
                    if (closing && pending.isEmpty()) {
                        return;
                    }
                    BatchPolicy.Decision d = policy.decide(pending, ticker.nanos(), closing);
                    if (d instanceof BatchPolicy.Cut cut) {
                        batch = take(cut.members());
                        reason = cut.reason();
                        spaceFreed.signalAll();
                        break;
                    }
                    long wait = ((BatchPolicy.Wait) d).nanos();
                    try {
                        if (wait == Long.MAX_VALUE) {
                            changed.await();
                        } else {
                            changed.awaitNanos(wait);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        closing = true;
                    }
                }
            } finally {
                lock.unlock();
            }
            run(batch, reason);
        }
    }

    private List<Request> take(List<Integer> members) {
        List<Request> batch = new ArrayList<>(members.size());
        for (int i : members) {
            batch.add(pending.get(i));
        }
        // Remove by identity, highest index first would also work; the batch is small.
        pending.removeAll(batch);
        return batch;
    }

    private void run(List<Request> batch, String reason) {
        ModelKey key = batch.get(0).model;
        long start = ticker.nanos();
        long oldestWait = start - batch.get(0).enqueued;
        List<Encoding> encodings = new ArrayList<>(batch.size());
        long real = 0;
        int longest = 0;
        for (Request r : batch) {
            encodings.add(r.encoding);
            real += r.encoding.length();
            longest = Math.max(longest, r.encoding.length());
        }
        try {
            // Every request of the batch is of this version; any of their predictors holds the same weights.
            List<Prediction> out = batch.get(0).predictor.predict(encodings);
            if (out.size() != batch.size()) {
                throw new IllegalStateException("predictor returned " + out.size() + " predictions for " + batch.size() + " inputs");
            }
            long inference = ticker.nanos() - start;
            batchesRun.incrementAndGet();
            postsRun.addAndGet(batch.size());
            realTokensRun.addAndGet(real);
            paddedTokensRun.addAndGet((long) longest * batch.size());
            inferenceNanosRun.addAndGet(inference);
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(out.get(i));
            }
            for (BatchListener l : listeners) {
                l.onBatch(key, batch.size(), real, (long) longest * batch.size(), oldestWait, inference, reason);
            }
        } catch (RuntimeException | Error e) {
            LOG.warn("inference failed for a batch of {} ({}): {}", batch.size(), key, e.toString());
            for (Request r : batch) {
                r.future.completeExceptionally(e);
            }
            for (BatchListener l : listeners) {
                l.onBatchFailed(key, batch.size(), e);
            }
        } finally {
            inFlight.addAndGet(-batch.size());
        }
    }

    /** Drains pending requests through the model, then stops the worker. */
    @Override
    public void close() {
        lock.lock();
        try {
            closing = true;
            changed.signalAll();
            spaceFreed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            worker.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
