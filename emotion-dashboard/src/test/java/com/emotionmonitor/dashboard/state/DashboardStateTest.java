package com.emotionmonitor.dashboard.state;

import static com.emotionmonitor.dashboard.Records.MINUTE;
import static com.emotionmonitor.dashboard.Records.window;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.dashboard.Records;
import com.emotionmonitor.schema.Emotion;
import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.StatsKind;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class DashboardStateTest {

    private static final long T0 = 1_800_000_000_000L - (1_800_000_000_000L % MINUTE);
    private final AtomicLong clock = new AtomicLong(T0);

    private DashboardState state(DashboardState.Limits limits) {
        return new DashboardState(limits, clock::get);
    }

    @Test
    void aLateRevisionReplacesItsWindowAndLateRecordsAddToIt() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onStats(window("global", T0, 0, 5, 1, 1, 1, 1, 1));
        s.onStats(window("global", T0, 1, 6, 1, 1, 1, 1, 1)); // one late post, full updated counts
        s.onStats(window("global", T0, 0, 5, 1, 1, 1, 1, 1)); // a stale revision read again: ignored
        s.onStats(Records.stats("global", T0, StatsKind.LATE, 0, 0, 2, 0, 0, 0, 0));

        Snapshot.Window w = s.snapshot("global").windows().get(0);
        assertEquals(1, w.revision());
        assertArrayEquals(new long[] {6, 3, 1, 1, 1, 1}, w.counts(), "revision 1 replaced revision 0, the LATE record added");
        assertEquals(13, w.total());
        assertEquals(2, w.lateEvents());
        Snapshot.Late late = s.snapshot("global").late();
        assertEquals(2, late.lateEvents());
        assertEquals(1, late.lateRecords());
        assertEquals(1, late.revisions());
    }

    @Test
    void aTopicsVolumeFollowsRevisionsWithoutDoubleCounting() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onStats(window("topic:高考", T0, 0, 10, 0, 0, 0, 0, 0));
        s.onStats(window("topic:高考", T0, 1, 11, 0, 0, 0, 0, 0));
        assertEquals(List.of(new Snapshot.Topic("topic:高考", "高考", 11)), s.snapshot("global").topics());
    }

    @Test
    void theHistoryKeepsTheLastHourOfEventTimeAndIgnoresOlderRecords() {
        DashboardState s = state(DashboardState.Limits.defaults());
        for (int i = 0; i < 90; i++) {
            s.onStats(window("global", T0 + i * MINUTE, 0, 1, 0, 0, 0, 0, 0));
        }
        List<Snapshot.Window> windows = s.snapshot("global").windows();
        assertEquals(60, windows.size(), "one hour of one-minute windows");
        assertEquals(T0 + 30 * MINUTE, windows.get(0).start());
        assertEquals(T0 + 89 * MINUTE, windows.get(59).start());

        s.onStats(window("global", T0 + 5 * MINUTE, 1, 9, 0, 0, 0, 0, 0));
        assertEquals(60, s.snapshot("global").windows().size(), "a revision of a window out of the history is not shown");
        assertEquals(1, s.snapshot("global").feed().ignoredOld());
    }

    @Test
    void topicScopesAreBoundedAndTheBusiestStay() {
        DashboardState s = state(DashboardState.Limits.defaults().withMaxTopics(3));
        s.onStats(window("topic:a", T0, 0, 50, 0, 0, 0, 0, 0));
        s.onStats(window("topic:b", T0, 0, 40, 0, 0, 0, 0, 0));
        s.onStats(window("topic:c", T0, 0, 1, 0, 0, 0, 0, 0));
        s.onStats(window("topic:d", T0, 0, 30, 0, 0, 0, 0, 0)); // c (smallest) makes room
        s.onStats(window("topic:e", T0, 0, 2, 0, 0, 0, 0, 0));  // d is now the smallest

        Snapshot snap = s.snapshot("global");
        assertEquals(List.of("topic:a", "topic:b", "topic:e"), snap.topics().stream().map(Snapshot.Topic::scope).toList());
        assertEquals(3, snap.feed().topicsHeld());
        assertEquals(2, snap.feed().evictedTopics());
        assertTrue(s.snapshot("topic:c").windows().isEmpty());
    }

    @Test
    void aSpikeShowsTheTextsOfItsExamplePostsAndFindsOneReadAfterIt() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onPost(Records.post("p1", "气死我了！#高考#"), T0);
        s.onPost(Records.post("p2", "太过分了"), T0);
        s.onAlert(Records.spike("global", Emotion.ANGRY, T0, List.of("p1", "p2", "p3")));

        Snapshot.Alert a = s.snapshot("global").alerts().get(0);
        assertEquals("angry", a.emotion());
        assertEquals("SPIKE", a.kind());
        assertEquals(List.of(new Snapshot.Example("p1", "气死我了！#高考#"), new Snapshot.Example("p2", "太过分了"),
                new Snapshot.Example("p3", null)), a.examples());

        s.onPost(Records.post("p3", "愤怒"), T0);
        assertEquals("愤怒", s.snapshot("global").alerts().get(0).examples().get(2).text());
    }

    @Test
    void postTextsAndAlertsAreBounded() {
        DashboardState.Limits limits = new DashboardState.Limits(Duration.ofHours(1), 720, 500, 3, 2, 50, Duration.ofSeconds(30), 100);
        DashboardState s = state(limits);
        for (int i = 0; i < 5; i++) {
            s.onPost(Records.post("p" + i, "文本" + i), T0);
        }
        for (int i = 0; i < 4; i++) {
            s.onAlert(Records.spike("global", Emotion.SAD, T0 + i * MINUTE, List.of("p0", "p4")));
        }
        Snapshot snap = s.snapshot("global");
        assertEquals(3, snap.feed().textsHeld());
        assertEquals(2, snap.alerts().size(), "the newest alerts");
        assertEquals(T0 + 3 * MINUTE, snap.alerts().get(0).windowStart(), "newest first");
        assertNull(snap.alerts().get(0).examples().get(0).text(), "p0 left the cache");
        assertEquals("文本4", snap.alerts().get(0).examples().get(1).text());
    }

    @Test
    void aLongTextIsCut() {
        String longText = "长".repeat(500);
        assertEquals(PostTexts.MAX_CODE_POINTS + 1, PostTexts.cut(longText).codePointCount(0, PostTexts.cut(longText).length()));
        String emoji = "😀".repeat(300); // surrogate pairs are never split
        String cut = PostTexts.cut(emoji);
        assertEquals("😀".repeat(PostTexts.MAX_CODE_POINTS) + "…", cut);
    }

    @Test
    void latencyRunsFromThePostsRecordTimestampToItsEventEvenWhenTheEventIsReadFirst() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onPost(Records.post("a", "x"), T0 - 250);
        s.onEvent(Records.event("a", Emotion.HAPPY)); // read at T0
        clock.set(T0 + 1_000);
        s.onEvent(Records.event("b", Emotion.SAD));   // its post not read yet
        clock.set(T0 + 1_500);
        s.onPost(Records.post("b", "y"), T0 + 200);   // produced 800 ms before its event was read
        Snapshot.Latency l = s.snapshot("global").latency();
        assertEquals(2, l.samples());
        assertEquals(250, l.p50Ms());
        assertEquals(800, l.p99Ms());

        clock.set(T0 + 60_000);
        assertEquals(-1, s.snapshot("global").latency().p50Ms(), "only the last 30 s count");
    }

    @Test
    void ratesCountTheLastCompleteSeconds() {
        DashboardState s = state(DashboardState.Limits.defaults());
        for (int second = 0; second < 10; second++) {
            clock.set(T0 + second * 1_000L);
            for (int i = 0; i < 100; i++) {
                s.onPost(Records.post(second + "-" + i, "x"), T0);
                if (i % 2 == 0) {
                    s.onEvent(Records.event(second + "-" + i, Emotion.NEUTRAL));
                }
            }
        }
        clock.set(T0 + 10_000);
        Snapshot.Throughput t = s.snapshot("global").throughput();
        assertEquals(100.0, t.postsPerSecond(), 1e-9);
        assertEquals(50.0, t.eventsPerSecond(), 1e-9);
        clock.set(T0 + 30_000);
        assertEquals(0.0, s.snapshot("global").throughput().postsPerSecond(), 1e-9, "a quiet stream reads 0");
        for (int i = 0; i < 100; i++) {
            s.onPost(Records.post("old-" + i, "x"), T0); // produced 30 s ago: read back at the start, not input now
        }
        clock.set(T0 + 31_000);
        assertEquals(0.0, s.snapshot("global").throughput().postsPerSecond(), 1e-9);
        assertEquals(1100, s.snapshot("global").feed().textsHeld(), "their texts are kept");
    }

    @Test
    void theServingVersionIsShownPerTaskManagerAndEveryRefusalWithItsReason() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.ACTIVE, "v1", null, 0));
        s.onModelStatus(Records.status("job-1", 1, "tm-b", ModelState.ACTIVE, "v1", null, 0));
        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.ACCEPTED, "v2", null, 10));
        Snapshot.Models m = s.snapshot("global").models();
        assertEquals(List.of(new Snapshot.TaskManager("tm-a", List.of(new Snapshot.Serving("weibo-emotion", "v1", List.of(0))),
                        List.of(), List.of("weibo-emotion/v2")),
                new Snapshot.TaskManager("tm-b", List.of(new Snapshot.Serving("weibo-emotion", "v1", List.of(1))), List.of(),
                        List.of())),
                m.taskManagers());

        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.ACTIVE, "v2", null, 20));
        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.REFUSED, "v3", "sha256 mismatch: model.params", 30));
        s.onModelStatus(Records.status("job-1", 1, "tm-b", ModelState.REFUSED, "v3", "sha256 mismatch: model.params", 31));
        m = s.snapshot("global").models();
        assertEquals("v2", m.taskManagers().get(0).serving().get(0).version());
        assertTrue(m.taskManagers().get(0).loading().isEmpty());
        assertEquals(1, m.refusals().size(), "one command refused by both subtasks");
        Snapshot.Refusal r = m.refusals().get(0);
        assertEquals("v3", r.version());
        assertEquals("sha256 mismatch: model.params", r.reason());
        assertEquals(List.of("tm-a #0", "tm-b #1"), r.where());

        // A job restored from a savepoint reports under a new id: only its subtasks are shown.
        s.onModelStatus(Records.status("job-2", 0, "tm-c", ModelState.ACTIVE, "v2", null, 40));
        m = s.snapshot("global").models();
        assertEquals("job-2", m.jobId());
        assertEquals(List.of("tm-c"), m.taskManagers().stream().map(Snapshot.TaskManager::id).toList());
        s.onModelStatus(Records.status("job-1", 1, "tm-b", ModelState.ACTIVE, "v9", null, 35)); // older job, read late
        assertEquals(List.of("tm-c"), s.snapshot("global").models().taskManagers().stream().map(Snapshot.TaskManager::id).toList());
    }

    @Test
    void aShadowOrCanaryIsShownBesideTheServingVersionUntilItStopsOrIsPromoted() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.ACTIVE, "v1", null, 0));
        s.onModelStatus(Records.status("job-1", 1, "tm-a", ModelState.ACTIVE, "v1", null, 0));
        for (int subtask = 0; subtask < 2; subtask++) {
            s.onModelStatus(candidate(Records.status("job-1", subtask, "tm-a", ModelState.ACTIVE, "v2", null, 10), ModelRole.SHADOW, 0.1));
        }
        Snapshot.TaskManager tm = s.snapshot("global").models().taskManagers().get(0);
        assertEquals(List.of(new Snapshot.Serving("weibo-emotion", "v1", List.of(0, 1))), tm.serving(), "a shadow does not serve");
        assertEquals(List.of(new Snapshot.Candidate("weibo-emotion", "v2", "shadow", 0.1, List.of(0, 1))), tm.candidates());

        s.onModelStatus(candidate(Records.status("job-1", 0, "tm-a", ModelState.STOPPED, "v2", null, 20), ModelRole.SHADOW, 0.1));
        assertEquals(List.of(1), s.snapshot("global").models().taskManagers().get(0).candidates().get(0).subtasks(),
                "stopped on subtask 0 only so far");

        s.onModelStatus(candidate(Records.status("job-1", 0, "tm-a", ModelState.ACTIVE, "v2", null, 30), ModelRole.CANARY, 0.25));
        s.onModelStatus(Records.status("job-1", 0, "tm-a", ModelState.ACTIVE, "v2", null, 40)); // promoted on subtask 0
        tm = s.snapshot("global").models().taskManagers().get(0);
        assertEquals(List.of(new Snapshot.Serving("weibo-emotion", "v1", List.of(1)), new Snapshot.Serving("weibo-emotion", "v2", List.of(0))),
                tm.serving());
        assertEquals(List.of(new Snapshot.Candidate("weibo-emotion", "v2", "shadow", 0.1, List.of(1))), tm.candidates(),
                "the promoted subtask runs no candidate any more");
    }

    private static com.emotionmonitor.schema.ModelStatus candidate(com.emotionmonitor.schema.ModelStatus r, ModelRole role, double fraction) {
        r.setRole(role);
        r.setFraction(fraction);
        return r;
    }

    @Test
    void aShadowsComparisonsArePerWindowWithRevisionsReplacingAndLateRecordsAdded() {
        DashboardState s = state(DashboardState.Limits.defaults());
        s.onPost(Records.post("p-1", "气死我了"), T0);
        s.onComparison(Records.comparison("global", T0, StatsKind.WINDOW, 0, 100, 90, "p-1"));
        s.onComparison(Records.comparison("global", T0, StatsKind.WINDOW, 1, 110, 97, "p-1")); // a late re-firing
        s.onComparison(Records.comparison("global", T0, StatsKind.LATE, 0, 5, 5, "p-1"));
        s.onComparison(Records.comparison("topic:高考", T0, StatsKind.WINDOW, 0, 30, 30, "p-1")); // per topic: not shown
        s.onComparison(Records.comparison("global", T0 + MINUTE, StatsKind.WINDOW, 0, 50, 25, "p-unknown"));
        Snapshot.Rollout r = s.snapshot("global").rollout();
        assertEquals(2, r.comparisons().size());
        Snapshot.Comparison newest = r.comparisons().get(0);
        assertEquals(T0 + MINUTE, newest.windowStart(), "newest window first");
        assertEquals(0.5, newest.agreement(), 1e-9);
        assertEquals(null, newest.disagreements().get(0).text(), "a post not in the cache has no text");
        Snapshot.Comparison first = r.comparisons().get(1);
        assertEquals(115, first.compared(), "revision 1 replaces revision 0, the LATE record adds");
        assertEquals(102, first.agreed());
        assertEquals(5, first.lateCompared());
        assertEquals("weibo-emotion/v1", first.serving());
        assertEquals("weibo-emotion/v2", first.shadow());
        assertEquals(new Snapshot.Disagreement("p-1", "气死我了", "angry", 0.9f, "sad", 0.8f), first.disagreements().get(0));

        List<Double> shares = List.of(0.1, 0.5, 0.1, 0.1, 0.1, 0.1);
        s.onDriftAlert(com.emotionmonitor.schema.DriftAlert.newBuilder().setScope("global")
                .setKind(com.emotionmonitor.schema.DriftAlertKind.DRIFT)
                .setWindowStart(java.time.Instant.ofEpochMilli(T0)).setWindowEnd(java.time.Instant.ofEpochMilli(T0 + MINUTE))
                .setDivergence(0.21).setMeanDivergence(0.2).setThreshold(0.1).setWindows(3).setWindowTotal(110)
                .setObservedShares(shares).setReferenceShares(shares).setDetectedAt(java.time.Instant.ofEpochMilli(T0 + MINUTE))
                .build());
        Snapshot.Drift d = s.snapshot("global").rollout().drift().get(0);
        assertEquals("DRIFT", d.kind());
        assertEquals(0.21, d.divergence(), 1e-9);
        assertEquals(3, d.windows());
    }

    @Test
    void deadLettersAreCountedByStageWithTheNewestReasons() {
        DashboardState s = state(DashboardState.Limits.defaults());
        for (int i = 0; i < 12; i++) {
            s.onDeadLetter(Records.deadLetter(i, "not a SocialPost #" + i));
        }
        s.onUndecodable("social-posts");
        Snapshot snap = s.snapshot("global");
        assertEquals(12, snap.deadLetters().total());
        assertEquals(12L, snap.deadLetters().byStage().get("DESERIALIZE"));
        assertEquals(10, snap.deadLetters().recent().size());
        assertEquals("social-posts-0@11", snap.deadLetters().recent().get(0).source());
        assertEquals(1, snap.feed().undecodable());
    }

    @Test
    void everyRecordChangesTheVersion() {
        DashboardState s = state(DashboardState.Limits.defaults());
        long v = s.version();
        s.onStats(window("global", T0, 0, 1, 0, 0, 0, 0, 0));
        assertTrue(s.version() > v);
    }
}
