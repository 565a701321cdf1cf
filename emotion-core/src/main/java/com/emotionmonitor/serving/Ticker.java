package com.emotionmonitor.serving;

/** A monotonic clock in nanoseconds; injectable so batching by time is testable without sleeping. */
@FunctionalInterface
public interface Ticker {

    long nanos();

    Ticker SYSTEM = System::nanoTime;
}
