package com.emotionmonitor.job.alerts;

import com.emotionmonitor.model.Emotion;
import java.util.Arrays;

/**
 * The keyed state of one scope: per emotion, the EWMA mean and variance of its share of a window, and
 * where its alert episode stands; and where its drift episode stands. A plain POJO (public fields, no-arg constructor) so Flink serialises it
 * without Kryo and can evolve it.
 */
public class ScopeBaseline {

    public static final int NORMAL = 0;
    public static final int ALERTING = 1;
    public static final int COOLDOWN = 2;

    public double[] mean = new double[Emotion.count()];
    public double[] variance = new double[Emotion.count()];
    public int[] status = new int[Emotion.count()];
    public int[] cooldownLeft = new int[Emotion.count()];
    /** Severity ordinal of the SPIKE that opened the current episode: its RECOVERY reports the same. */
    public int[] episodeSeverity = new int[Emotion.count()];
    /** Windows folded into the baseline so far. */
    public int windows;
    /** End of the newest window seen (event time): stale state is dropped relative to it. */
    public long lastWindowEnd;
    /** A DRIFT episode is open for this scope. */
    public boolean driftAlerting;
    /** Judged windows in a row on the other side of the drift threshold than {@link #driftAlerting}, and their sum. */
    public int driftRun;
    public double driftSum;

    public ScopeBaseline() {}

    @Override
    public String toString() {
        return "ScopeBaseline[windows=" + windows + " mean=" + Arrays.toString(mean) + " status=" + Arrays.toString(status) + "]";
    }
}
