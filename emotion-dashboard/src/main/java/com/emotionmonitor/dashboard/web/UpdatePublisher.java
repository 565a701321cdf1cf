package com.emotionmonitor.dashboard.web;

import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.dashboard.state.Snapshot;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Pushes the state to the connected pages, throttled: at most one update per {@code interval}, only when a record
 * arrived since the last one (or every {@link #HEARTBEAT_TICKS} ticks, so rates decay to 0 and dead connections are
 * noticed), one snapshot built and serialized per selected scope, whatever the input rate. Each page gets the newest
 * update only: while a send to a slow page is in progress, a newer update replaces the waiting one, so a slow page
 * costs one pending string, never a queue.
 */
public final class UpdatePublisher implements AutoCloseable {

    static final int HEARTBEAT_TICKS = 5;

    /** The page's message: the snapshot and how the server is doing. */
    public record Update(Snapshot data, Server server) {}

    /**
     * @param buildMs time to copy the snapshot out of the state and serialize it (p50, p99, max)
     * @param sendMs time to write one update to one page (p50, p99, max)
     */
    public record Server(long updates, double[] buildMs, double[] sendMs, int clients, long intervalMs, int lastUpdateChars) {}

    /** One connected page: its scope, and the update waiting to be sent to it. */
    public static final class Channel {
        final String scope;
        private final Consumer<String> sink;
        private final AtomicReference<String> pending = new AtomicReference<>();
        private final AtomicBoolean sending = new AtomicBoolean();
        private final AtomicLong sent = new AtomicLong();
        private final AtomicLong replaced = new AtomicLong();

        Channel(String scope, Consumer<String> sink) {
            this.scope = scope;
            this.sink = sink;
        }

        public long sent() {
            return sent.get();
        }

        /** Updates dropped because a newer one came while the page was still receiving. */
        public long replaced() {
            return replaced.get();
        }
    }

    private final DashboardState state;
    private final long intervalMillis;
    private final ObjectMapper json;
    private final Set<Channel> channels = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(daemon("dashboard-publisher"));
    private final ExecutorService senders = Executors.newFixedThreadPool(2, daemon("dashboard-sender"));
    private final UpdateTimings build = new UpdateTimings(2_000);
    private final UpdateTimings send = new UpdateTimings(2_000);
    private final AtomicLong updates = new AtomicLong();
    private volatile int lastChars;
    private long publishedVersion = -1;
    private int quietTicks;

    public UpdatePublisher(DashboardState state, Duration interval, ObjectMapper json) {
        this.state = state;
        this.intervalMillis = interval.toMillis();
        this.json = json;
    }

    public void start() {
        ticker.scheduleWithFixedDelay(this::tick, intervalMillis, intervalMillis, TimeUnit.MILLISECONDS);
    }

    /** Connects a page: it gets the current state at once, then the throttled updates. */
    public Channel connect(String scope, Consumer<String> sink) {
        Channel c = new Channel(scope, sink);
        channels.add(c);
        ticker.execute(() -> publish(List.of(c)));
        return c;
    }

    public void disconnect(Channel c) {
        channels.remove(c);
    }

    public int clients() {
        return channels.size();
    }

    /** The current update for {@code scope} as JSON (also what {@code /api/snapshot} returns). */
    public String render(String scope) {
        long t0 = System.nanoTime();
        Snapshot s = state.snapshot(scope);
        String out = write(new Update(s, server()));
        build.record(System.nanoTime() - t0);
        return out;
    }

    public Server server() {
        return new Server(updates.get(), build.millis(), send.millis(), channels.size(), intervalMillis, lastChars);
    }

    /** Forgets the timings so far (a benchmark's warm-up: the first updates load and compile the serializers). */
    public void resetTimings() {
        build.reset();
        send.reset();
    }

    private void tick() {
        try {
            long v = state.version();
            if (v == publishedVersion && ++quietTicks < HEARTBEAT_TICKS) {
                return;
            }
            quietTicks = 0;
            publishedVersion = v;
            publish(new ArrayList<>(channels));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(UpdatePublisher.class).warn("dashboard: an update failed", e);
        }
    }

    private void publish(List<Channel> to) {
        Map<String, List<Channel>> byScope = new TreeMap<>();
        to.forEach(c -> byScope.computeIfAbsent(c.scope, k -> new ArrayList<>()).add(c));
        byScope.forEach((scope, cs) -> {
            String update = render(scope);
            lastChars = update.length();
            updates.incrementAndGet();
            cs.forEach(c -> offer(c, update));
        });
    }

    private void offer(Channel c, String update) {
        if (c.pending.getAndSet(update) != null) {
            c.replaced.incrementAndGet();
        }
        if (c.sending.compareAndSet(false, true)) {
            senders.execute(() -> drain(c));
        }
    }

    private void drain(Channel c) {
        while (true) {
            String update = c.pending.getAndSet(null);
            if (update == null) {
                c.sending.set(false);
                // An update offered after the getAndSet but before the flag was cleared would wait for the next one.
                if (c.pending.get() == null || !c.sending.compareAndSet(false, true)) {
                    return;
                }
                continue;
            }
            long t0 = System.nanoTime();
            try {
                c.sink.accept(update);
                c.sent.incrementAndGet();
            } catch (RuntimeException e) {
                channels.remove(c);
            }
            send.record(System.nanoTime() - t0);
        }
    }

    private String write(Update u) {
        try {
            return json.writeValueAsString(u);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize the dashboard update", e);
        }
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        senders.shutdownNow();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
