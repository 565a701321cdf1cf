package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.DeadLetter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Dead letters read: how many, per failure stage, and the newest few with their reason and coordinates. */
final class DeadLetterLog {

    private static final int MAX_ERROR_CHARS = 300;

    private final int keep;
    private long total;
    private final Map<String, Long> byStage = new TreeMap<>();
    private final ArrayDeque<Snapshot.DeadLetter> recent = new ArrayDeque<>();

    DeadLetterLog(int keep) {
        this.keep = keep;
    }

    void add(DeadLetter d) {
        total++;
        byStage.merge(d.getStage().name(), 1L, Long::sum);
        String error = d.getError() == null ? "" : d.getError();
        if (error.length() > MAX_ERROR_CHARS) {
            error = error.substring(0, MAX_ERROR_CHARS) + "…";
        }
        recent.addFirst(new Snapshot.DeadLetter(d.getStage().name(), error,
                d.getSourceTopic() + "-" + d.getSourcePartition() + "@" + d.getSourceOffset(), d.getFailedAt().toEpochMilli()));
        while (recent.size() > keep) {
            recent.removeLast();
        }
    }

    Snapshot.DeadLetters snapshot() {
        return new Snapshot.DeadLetters(total, Map.copyOf(byStage), new ArrayList<>(recent));
    }

    List<Snapshot.DeadLetter> recent() {
        return List.copyOf(recent);
    }
}
