package com.emotionmonitor.job.ops;

import com.emotionmonitor.model.BatchPredictor;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.text.Encoding;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Collects single posts into model batches on one inference worker thread. A batch is cut when it holds
 * {@link BatchSettings#maxSize()} posts, when the next post would push the padded size (posts x longest post) past
 * {@link BatchSettings#maxTokens()}, or when its oldest post has waited {@link BatchSettings#maxWait()}. Each submitted
 * post gets a future, completed with its prediction or with the batch's error; futures that are already done (timed
 * out upstream) when their batch is formed are skipped.
 */
public final class MicroBatcher implements AutoCloseable {

    private static final long IDLE_POLL_MILLIS = 50;

    private final BatchPredictor predictor;
    private final BatchSettings settings;
    private final LinkedBlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    private final Thread worker;
    private volatile boolean closed;
    /** A post that did not fit the previous batch: it opens the next one. Worker thread only. */
    private Request carried;

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong posts = new AtomicLong();
    private final AtomicLong realTokens = new AtomicLong();
    private final AtomicLong paddedTokens = new AtomicLong();

    public MicroBatcher(BatchPredictor predictor, BatchSettings settings, String threadName) {
        this.predictor = predictor;
        this.settings = settings;
        this.worker = new Thread(this::runWorker, threadName);
        this.worker.setDaemon(true);
        this.worker.start();
    }

    /** Queues one post; the future completes on the worker thread. */
    public CompletableFuture<Prediction> submit(Encoding encoding) {
        Request request = new Request(encoding, System.nanoTime());
        if (closed) {
            request.future.completeExceptionally(new CancellationException("micro-batcher is closed"));
            return request.future;
        }
        queue.add(request);
        if (closed) {
            failPending(); // close() may have drained the queue just before this add
        }
        return request.future;
    }

    /** Counters since start: batches run, posts labelled, real and padded tokens (padding efficiency = real/padded). */
    public Stats stats() {
        return new Stats(batches.get(), posts.get(), realTokens.get(), paddedTokens.get());
    }

    public record Stats(long batches, long posts, long realTokens, long paddedTokens) {}

    private void runWorker() {
        try {
            while (!closed) {
                List<Request> batch = nextBatch();
                if (!batch.isEmpty()) {
                    run(batch);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closed = true;
            failPending();
        }
    }

    /** Blocks until a batch is ready (or returns empty after an idle poll, to notice close()). */
    private List<Request> nextBatch() throws InterruptedException {
        List<Request> batch = new ArrayList<>(settings.maxSize());
        Request first = carried != null ? carried : queue.poll(IDLE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        carried = null;
        if (first == null || first.future.isDone()) {
            return batch;
        }
        batch.add(first);
        int longest = first.encoding.length();
        long deadline = first.enqueuedNanos + settings.maxWait().toNanos();
        while (batch.size() < settings.maxSize() && !closed) {
            Request next = queue.poll();
            if (next == null) {
                long remaining = deadline - System.nanoTime();
                if (remaining <= 0) {
                    break;
                }
                next = queue.poll(Math.min(remaining, TimeUnit.MILLISECONDS.toNanos(IDLE_POLL_MILLIS)), TimeUnit.NANOSECONDS);
                if (next == null) {
                    continue;
                }
            }
            if (next.future.isDone()) {
                continue;
            }
            int newLongest = Math.max(longest, next.encoding.length());
            if ((long) (batch.size() + 1) * newLongest > settings.maxTokens()) {
                carried = next;
                break;
            }
            batch.add(next);
            longest = newLongest;
        }
        return batch;
    }

    private void run(List<Request> batch) {
        List<Encoding> encodings = new ArrayList<>(batch.size());
        int longest = 0;
        long real = 0;
        for (Request r : batch) {
            encodings.add(r.encoding);
            longest = Math.max(longest, r.encoding.length());
            real += r.encoding.length();
        }
        try {
            List<Prediction> predictions = predictor.predict(encodings);
            if (predictions.size() != batch.size()) {
                throw new IllegalStateException("model returned " + predictions.size() + " predictions for " + batch.size() + " posts");
            }
            batches.incrementAndGet();
            posts.addAndGet(batch.size());
            realTokens.addAndGet(real);
            paddedTokens.addAndGet((long) longest * batch.size());
            for (int i = 0; i < batch.size(); i++) {
                batch.get(i).future.complete(predictions.get(i));
            }
        } catch (RuntimeException e) {
            batch.forEach(r -> r.future.completeExceptionally(e));
        } catch (Error e) {
            batch.forEach(r -> r.future.completeExceptionally(e));
            throw e;
        }
    }

    private void failPending() {
        CancellationException closedError = new CancellationException("micro-batcher closed before the post was labelled");
        if (carried != null && Thread.currentThread() == worker) {
            carried.future.completeExceptionally(closedError);
            carried = null;
        }
        Request r;
        while ((r = queue.poll()) != null) {
            r.future.completeExceptionally(closedError);
        }
    }

    /** Stops the worker after its current batch; posts still queued fail with a CancellationException. */
    @Override
    public void close() throws InterruptedException {
        closed = true;
        worker.join();
        failPending();
    }

    private static final class Request {
        final Encoding encoding;
        final long enqueuedNanos;
        final CompletableFuture<Prediction> future = new CompletableFuture<>();

        Request(Encoding encoding, long enqueuedNanos) {
            this.encoding = encoding;
            this.enqueuedNanos = enqueuedNanos;
        }
    }
}
