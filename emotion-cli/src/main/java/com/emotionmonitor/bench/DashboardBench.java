package com.emotionmonitor.bench;

import com.emotionmonitor.dashboard.state.DashboardState;
import com.emotionmonitor.dashboard.web.DashboardServer;
import com.emotionmonitor.dashboard.web.UpdatePublisher;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.AlertSeverity;
import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionCounts;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionExamples;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.FailureStage;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The dashboard under a steady stream, as a program (never a timed test): {@code rate} posts/s for {@code duration}
 * fed through the real {@link DashboardState} (a post, its event, and per window the stats of every scope it touched,
 * some revisions and LATE records, alerts, model reports, dead letters), with the real server and publisher pushing
 * to {@code pages} real event-stream clients. Event time runs {@code speedup} times faster than the wall clock, so
 * a minute of it fills the whole hour of history, and posts carry hashtags from a Zipf-like set of {@code topics},
 * so the topic table overflows. Measures whether the feeder keeps up, the heap, the updates the pages receive and
 * the server-side time per update (after the first 5 s, which load and compile the serializers).
 */
public final class DashboardBench {

    private static final long WINDOW = 60_000L;
    private static final Duration WARM_UP = Duration.ofSeconds(5);
    private static final Emotion[] MIX = {Emotion.NEUTRAL, Emotion.NEUTRAL, Emotion.NEUTRAL, Emotion.HAPPY, Emotion.HAPPY,
        Emotion.ANGRY, Emotion.SAD, Emotion.SAD, Emotion.FEAR, Emotion.SURPRISE};

    public record Settings(double rate, Duration duration, int speedup, int topics, int pages, Duration updateInterval) {}

    /** What one run measured. Heap in MB; times in ms unless named otherwise. */
    public record Result(double postsPerSecondFed, long postsFed, long recordsFed, double feedMicrosPerPost,
                         double heapMaxMb, double heapAfterGcMb, long updatesBuilt, double[] buildMs, double[] sendMs,
                         List<Page> pages, int textsHeld, int topicsHeld, long windowsHeld, long evictedTopics) {}

    /** One page's view: updates received, per second, the longest gap between two, and the mean update size. */
    public record Page(String scope, long updates, double updatesPerSecond, long longestGapMs, long meanChars) {}

    private final Settings settings;
    private final List<String> texts;

    public DashboardBench(Settings settings, List<String> texts) {
        this.settings = settings;
        this.texts = texts;
    }

    public Result run() throws Exception {
        DashboardState state = new DashboardState(DashboardState.Limits.defaults(), System::currentTimeMillis);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        ObjectMapper json = new ObjectMapper();
        try (UpdatePublisher publisher = new UpdatePublisher(state, settings.updateInterval(), json);
             DashboardServer server = new DashboardServer(0, publisher, () -> "{}")) {
            publisher.start();
            List<PageClient> pages = new ArrayList<>();
            for (int i = 0; i < settings.pages(); i++) {
                PageClient p = new PageClient(server.url(), i == 0 ? "global" : "topic:" + topicName(0));
                p.start();
                pages.add(p);
            }
            Feeder feeder = new Feeder(state);
            long start = System.nanoTime();
            long end = start + settings.duration().toNanos();
            double heapMax = 0;
            long nextHeapSample = start;
            long fed = 0;
            boolean warm = false;
            while (System.nanoTime() < end) {
                if (!warm && System.nanoTime() - start > WARM_UP.toNanos()) {
                    publisher.resetTimings(); // the first updates load and compile the serializers
                    warm = true;
                }
                long due = (long) ((System.nanoTime() - start) / 1e9 * settings.rate());
                for (; fed < due; fed++) {
                    feeder.post(fed, System.currentTimeMillis(), (System.nanoTime() - start) / 1_000_000L);
                }
                if (System.nanoTime() >= nextHeapSample) {
                    heapMax = Math.max(heapMax, memory.getHeapMemoryUsage().getUsed() / 1e6);
                    nextHeapSample += 1_000_000_000L;
                }
                Thread.sleep(5);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            Thread.sleep(settings.updateInterval().toMillis() * 2);
            pages.forEach(PageClient::stop);
            System.gc();
            Thread.sleep(200);
            double heapAfterGc = memory.getHeapMemoryUsage().getUsed() / 1e6;
            UpdatePublisher.Server s = publisher.server();
            var held = state.snapshot("global").feed();
            List<Page> pageResults = pages.stream().map(p -> p.result(seconds)).toList();
            return new Result(fed / seconds, fed, feeder.records, feeder.nanos / 1e3 / Math.max(1, fed), heapMax, heapAfterGc,
                    s.updates(), s.buildMs(), s.sendMs(), pageResults, held.textsHeld(), held.topicsHeld(), held.windowsHeld(),
                    held.evictedTopics());
        }
    }

    static String topicName(int k) {
        return "话题" + k;
    }

    /** Turns post number n into the records the job would write about it, and feeds them to the state. */
    private final class Feeder {
        private final DashboardState state;
        private final Random random = new Random(19);
        /** scope -> counts of the event-time window in progress. */
        private final Map<String, long[]> window = new HashMap<>();
        private final List<String> recentIds = new ArrayList<>();
        private long windowStart = Long.MIN_VALUE;
        private long records;
        private long nanos;

        Feeder(DashboardState state) {
            this.state = state;
        }

        void post(long n, long nowMillis, long elapsedMillis) {
            long eventTime = Instant.parse("2026-06-01T00:00:00Z").toEpochMilli() + elapsedMillis * settings.speedup();
            long ws = eventTime - Math.floorMod(eventTime, WINDOW);
            if (windowStart == Long.MIN_VALUE) {
                windowStart = ws;
            }
            if (ws != windowStart) {
                closeWindow(nowMillis);
                windowStart = ws;
            }
            String id = "bench-" + n;
            String text = texts.get((int) (n % texts.size()));
            List<String> topics = random.nextInt(10) < 3 ? List.of(topicName(zipf())) : List.of();
            Emotion emotion = MIX[random.nextInt(MIX.length)];
            SocialPost post = new SocialPost(id, topics.isEmpty() ? text : "#" + topics.get(0) + "# " + text,
                    Instant.ofEpochMilli(eventTime), null, null);
            EmotionEvent event = new EmotionEvent(id, Instant.ofEpochMilli(eventTime), emotion, List.of(0.5f, 0.1f, 0.1f, 0.1f, 0.1f, 0.1f),
                    0.5f, topics, false, "weibo-emotion", "bench", null, false, Instant.ofEpochMilli(nowMillis));
            long t0 = System.nanoTime();
            state.onPost(post, nowMillis - 20 - random.nextInt(200));
            state.onEvent(event);
            records += 2;
            if (n % 1000 == 999) {
                state.onDeadLetter(new DeadLetter("social-posts", 0, n, null, null, null, null, null, FailureStage.DESERIALIZE,
                        "bench: not a SocialPost", Instant.ofEpochMilli(nowMillis)));
                records++;
            }
            nanos += System.nanoTime() - t0;
            window.computeIfAbsent("global", k -> new long[6])[emotion.ordinal()]++;
            for (String t : topics) {
                window.computeIfAbsent("topic:" + t, k -> new long[6])[emotion.ordinal()]++;
            }
            if (recentIds.size() < 3) {
                recentIds.add(id);
            }
        }

        /** The stats of the window that just closed (plus a revision of it and a LATE record now and then), an alert per 10. */
        private void closeWindow(long nowMillis) {
            long t0 = System.nanoTime();
            long index = windowStart / WINDOW;
            window.forEach((scope, counts) -> {
                state.onStats(stats(scope, windowStart, StatsKind.WINDOW, 0, counts, nowMillis));
                records++;
            });
            if (index % 3 == 0) {
                long[] global = window.get("global").clone();
                global[5]++;
                state.onStats(stats("global", windowStart, StatsKind.WINDOW, 1, global, nowMillis));
                state.onStats(stats("global", windowStart - WINDOW, StatsKind.LATE, 0, new long[] {0, 0, 1, 0, 0, 0}, nowMillis));
                records += 2;
            }
            if (index % 10 == 0) {
                state.onAlert(new EmotionAlert("global", Emotion.ANGRY, Instant.ofEpochMilli(windowStart),
                        Instant.ofEpochMilli(windowStart + WINDOW), 0.4, 0.1, 11.0, AlertSeverity.HIGH, 1000L,
                        Instant.ofEpochMilli(nowMillis), AlertKind.SPIKE, List.copyOf(recentIds)));
                records++;
            }
            if (index % 20 == 0) {
                for (int subtask = 0; subtask < 2; subtask++) {
                    state.onModelStatus(new ModelStatus("weibo-emotion", "bench-" + index, ModelState.ACTIVE, ModelTrigger.ACTIVATE,
                            null, null, null, null, "bench-job", "tm-" + subtask, subtask, 2, Instant.ofEpochMilli(nowMillis),
                            com.emotionmonitor.schema.ModelRole.SERVING, null));
                    records++;
                }
            }
            nanos += System.nanoTime() - t0;
            window.clear();
            recentIds.clear();
        }

        /** Hashtags by rank, ~1/k: a few busy topics and a long tail. */
        private int zipf() {
            double u = random.nextDouble();
            return (int) Math.floor(Math.pow(settings.topics() + 1, u)) - 1;
        }
    }

    private static EmotionStats stats(String scope, long start, StatsKind kind, int revision, long[] c, long nowMillis) {
        long total = 0;
        for (long x : c) {
            total += x;
        }
        return new EmotionStats(scope, kind, Instant.ofEpochMilli(start), Instant.ofEpochMilli(start + WINDOW), revision,
                new EmotionCounts(c[0], c[1], c[2], c[3], c[4], c[5]), total, 0L, null, Instant.ofEpochMilli(nowMillis),
                new EmotionExamples(List.of(), List.of(), List.of(), List.of(), List.of(), List.of()), null, null);
    }

    /** A page's event stream, read by a real HTTP client on its own thread. */
    private static final class PageClient implements Runnable {
        private final String url;
        private final String scope;
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicLong updates = new AtomicLong();
        private final AtomicLong chars = new AtomicLong();
        private volatile long longestGapNanos;
        private volatile boolean stop;
        private Thread thread;

        PageClient(String base, String scope) {
            this.url = base + "api/updates?scope=" + java.net.URLEncoder.encode(scope, StandardCharsets.UTF_8);
            this.scope = scope;
        }

        void start() {
            thread = new Thread(this, "bench-page");
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            try {
                HttpResponse<InputStream> res = http.send(HttpRequest.newBuilder(URI.create(url)).header("Accept", "text/event-stream").build(),
                        HttpResponse.BodyHandlers.ofInputStream());
                try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
                    long last = 0;
                    for (String line; !stop && (line = in.readLine()) != null; ) {
                        if (line.startsWith("data: ")) {
                            long now = System.nanoTime();
                            if (last != 0 && updates.get() > 1) {
                                longestGapNanos = Math.max(longestGapNanos, now - last);
                            }
                            last = now;
                            updates.incrementAndGet();
                            chars.addAndGet(line.length());
                        }
                    }
                }
            } catch (Exception e) {
                if (!stop) {
                    System.err.println("bench dashboard: page stream failed: " + e);
                }
            }
        }

        void stop() {
            stop = true;
        }

        Page result(double seconds) {
            long n = updates.get();
            return new Page(scope, n, n / seconds, longestGapNanos / 1_000_000L, n == 0 ? 0 : chars.get() / n);
        }
    }
}
