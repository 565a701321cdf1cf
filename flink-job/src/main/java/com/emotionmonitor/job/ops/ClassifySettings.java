package com.emotionmonitor.job.ops;

import java.io.Serializable;
import java.time.Duration;

/**
 * What the classify operators need of the job's settings: the micro-batch cut ({@code batch.*}) and the async
 * operator's bounds ({@code async.*}).
 */
public record ClassifySettings(int batchMaxSize, int batchMaxTokens, Duration batchMaxWait, int batchOverheadTokens,
                               int asyncCapacity, Duration asyncTimeout) implements Serializable {}
