package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.DeadLetter;
import com.emotionmonitor.schema.DriftAlert;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionEvent;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.ModelComparison;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Everything the dashboard knows, fed record by record from the topics (one feeding thread) and read as a
 * {@link Snapshot} (any thread). Every part is bounded by {@link Limits}, whatever the input rate: windows per scope
 * and topics by count and event time, texts, alerts, refusals and dead letters by count, latency samples by count.
 * {@link #version()} changes with every record applied, so a publisher can tell that there is something new.
 */
public final class DashboardState {

    /**
     * @param history event time shown, back from the newest window end (1 h)
     * @param maxWindowsPerScope cap on the windows of one scope (for small window sizes)
     * @param maxTopics topic scopes held (the busiest stay)
     * @param maxPostTexts post texts held for the example posts (the newest)
     * @param maxAlerts alerts in the spike feed
     * @param maxRefusals model refusals kept
     * @param latencyWindow span of the latency percentiles
     * @param maxLatencySamples samples kept for them (the newest)
     */
    public record Limits(Duration history, int maxWindowsPerScope, int maxTopics, int maxPostTexts, int maxAlerts,
                         int maxRefusals, Duration latencyWindow, int maxLatencySamples) {

        public static Limits defaults() {
            return new Limits(Duration.ofHours(1), 720, 500, 100_000, 100, 50, Duration.ofSeconds(30), 30_000);
        }

        public Limits withHistory(Duration h) {
            return new Limits(h, maxWindowsPerScope, maxTopics, maxPostTexts, maxAlerts, maxRefusals, latencyWindow, maxLatencySamples);
        }

        public Limits withMaxPostTexts(int n) {
            return new Limits(history, maxWindowsPerScope, maxTopics, n, maxAlerts, maxRefusals, latencyWindow, maxLatencySamples);
        }

        public Limits withMaxTopics(int n) {
            return new Limits(history, maxWindowsPerScope, n, maxPostTexts, maxAlerts, maxRefusals, latencyWindow, maxLatencySamples);
        }
    }

    public static final String GLOBAL = ScopeHistories.GLOBAL;
    private static final int TOP_TOPICS = 20;
    private static final int RATE_SECONDS = 10;
    /** Events whose post was not read yet (the posts topic behind): waiting for its record timestamp. */
    private static final int MAX_AWAITING_POSTS = 10_000;

    private final Limits limits;
    private final LongSupplier clock;
    private final AtomicLong version = new AtomicLong();

    private final ScopeHistories scopes;
    private final PostTexts texts;
    private final SpikeFeed alerts;
    private final ModelServing models;
    /** An hour of one-minute windows; the drift feed as long as the spike feed. */
    private final RolloutView rollout;
    private final DeadLetterLog deadLetters = new DeadLetterLog(10);
    private final LatencyWindow latency;
    private final RateMeter postsRate = new RateMeter(RATE_SECONDS);
    private final RateMeter eventsRate = new RateMeter(RATE_SECONDS);
    private final LinkedHashMap<String, Long> awaitingPost = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
            return size() > MAX_AWAITING_POSTS;
        }
    };
    private long postsRead;
    private long lateEvents;
    private long lateRecords;
    private long revisions;
    private long records;
    private long undecodable;
    private long ignoredOld;

    /** @param clock wall-clock millis (rates, latency) */
    public DashboardState(Limits limits, LongSupplier clock) {
        this.limits = limits;
        this.clock = clock;
        this.scopes = new ScopeHistories(limits.history(), limits.maxWindowsPerScope(), limits.maxTopics());
        this.texts = new PostTexts(limits.maxPostTexts());
        this.alerts = new SpikeFeed(limits.maxAlerts());
        this.models = new ModelServing(limits.maxRefusals());
        this.rollout = new RolloutView(60, limits.maxAlerts());
        this.latency = new LatencyWindow(limits.latencyWindow().toMillis(), limits.maxLatencySamples());
    }

    /**
     * A post from the posts topic, with its Kafka record timestamp (when it was produced). Counted in posts/s only
     * when produced within the rate's span: the posts read back at the start are history, not input now.
     */
    public synchronized void onPost(SocialPost p, long recordTimestamp) {
        texts.put(p.getId(), p.getText(), recordTimestamp);
        postsRead++;
        long now = clock.getAsLong();
        if (now - recordTimestamp <= RATE_SECONDS * 1000L) {
            postsRate.mark(now);
        }
        Long eventSeenAt = awaitingPost.remove(p.getId());
        if (eventSeenAt != null) {
            latency.record(eventSeenAt, eventSeenAt - recordTimestamp);
        }
        changed();
    }

    /** A labelled post, read committed: its end-to-end latency ends now. */
    public synchronized void onEvent(EmotionEvent e) {
        long now = clock.getAsLong();
        eventsRate.mark(now);
        PostTexts.Post p = texts.get(e.getPostId());
        if (p != null) {
            latency.record(now, now - p.recordTimestamp());
        } else {
            awaitingPost.put(e.getPostId(), now);
        }
        changed();
    }

    public synchronized void onStats(EmotionStats s) {
        if (!scopes.apply(s)) {
            ignoredOld++;
        } else if (s.getScope().equals(GLOBAL)) {
            if (s.getKind() == StatsKind.LATE) {
                lateEvents += s.getTotal();
                lateRecords++;
            } else if (s.getRevision() > 0) {
                revisions++;
            }
        }
        changed();
    }

    public synchronized void onAlert(EmotionAlert a) {
        alerts.add(a, texts);
        changed();
    }

    public synchronized void onModelStatus(ModelStatus m) {
        models.apply(m);
        changed();
    }

    /** A shadow's comparison record (model-comparisons). */
    public synchronized void onComparison(ModelComparison c) {
        rollout.add(c);
        changed();
    }

    public synchronized void onDriftAlert(DriftAlert a) {
        rollout.add(a);
        changed();
    }

    public synchronized void onDeadLetter(DeadLetter d) {
        deadLetters.add(d);
        changed();
    }

    /** A record of {@code topic} that was not the record the topic carries: counted, skipped. */
    public synchronized void onUndecodable(String topic) {
        undecodable++;
        changed();
    }

    private void changed() {
        records++;
        version.incrementAndGet();
    }

    /** Increases with every record applied. */
    public long version() {
        return version.get();
    }

    /** @param scope {@code global} or {@code topic:<name>}; an unknown scope has no windows */
    public synchronized Snapshot snapshot(String scope) {
        long now = clock.getAsLong();
        long[] lat = latency.percentiles(now);
        return new Snapshot(now, scope, scopes.windows(scope), limits.history().toMillis(),
                scopes.newestEnd() == Long.MIN_VALUE ? 0 : scopes.newestEnd(), scopes.topTopics(TOP_TOPICS),
                alerts.snapshot(texts), models.snapshot(),
                new Snapshot.Throughput(postsRate.perSecond(now), eventsRate.perSecond(now), postsRead, eventsRate.total()),
                new Snapshot.Latency(lat[0], lat[1], lat[2], limits.latencyWindow().toSeconds()),
                deadLetters.snapshot(), new Snapshot.Late(lateEvents, lateRecords, revisions),
                new Snapshot.Feed(records, undecodable, texts.size(), scopes.topicCount(), scopes.windowsHeld(),
                        scopes.evictedTopics(), ignoredOld), rollout.snapshot(texts));
    }
}
