package com.emotionmonitor.demo;

import com.emotionmonitor.tools.DemoPosts;

import com.emotionmonitor.model.Emotion;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The demo's injected spike ({@code --inject-spike EMOTION}): during one event-time window, after every normal replayed
 * post, {@code perPost} extra posts of one emotion, cycling through {@code posts} (real posts of that label from the
 * bundled sample). The window is the one holding the event time reached {@code after} the first post (wall clock),
 * so the spike fills one whole statistics window and the windows before it are the warm-up of the baseline.
 *
 * @param selection how {@code posts} were chosen, for the log and the summary
 */
public record SpikeBurst(Emotion emotion, List<DemoPosts.SamplePost> posts, int perPost, Duration after, String selection) {

    public SpikeBurst {
        if (posts.isEmpty()) {
            throw new IllegalArgumentException("no " + emotion.label() + " posts to inject");
        }
        if (perPost < 1) {
            throw new IllegalArgumentException("--spike-ratio must be >= 1: " + perPost);
        }
        if (after.isNegative()) {
            throw new IllegalArgumentException("--spike-at must not be negative");
        }
    }

    /**
     * The default start: the window after {@code warmupWindows} whole windows of replay, so that the baseline is warm
     * (one window of margin for a first window cut short by the replay's start or jitter).
     */
    public static Duration defaultAfter(Duration windowSize, int eventTimeSpeedup, int warmupWindows) {
        return windowSize.multipliedBy(warmupWindows + 1L).dividedBy(eventTimeSpeedup);
    }

    /** Event-time start of the burst window, given the replay's clock. */
    public long windowStart(ReplayClock clock, Duration windowSize) {
        long at = clock.eventTimeAfter(after);
        return at - Math.floorMod(at, windowSize.toMillis()); // tumbling windows are aligned to the epoch
    }

    /** The k-th injected post (cycling). */
    public DemoPosts.SamplePost post(long k) {
        return posts.get((int) (k % posts.size()));
    }
}
