package com.emotionmonitor.demo;

import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import java.util.List;
import java.util.Map;

/**
 * Follows the job's model-status topic for the demo's live view: which version each subtask stamps now, what is
 * loading, and the last refusal with its reason. Re-reads the (small) topic once a second on its own thread.
 */
public final class ModelStatusWatcher implements Runnable {

    private final ModelStatusReader reader;
    private final String modelName;
    private volatile boolean stopRequested;
    private volatile String summary = "model status: (no report yet)";

    public ModelStatusWatcher(String bootstrapServers, String statusTopic, String modelName) {
        this.reader = new ModelStatusReader(bootstrapServers, statusTopic);
        this.modelName = modelName;
    }

    @Override
    public void run() {
        while (!stopRequested) {
            try {
                summary = describe(new ModelServingState(modelName, reader.readAll()));
            } catch (RuntimeException e) {
                summary = "model status: cannot read the status topic: " + e.getMessage();
            }
            try {
                Thread.sleep(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public void stop() {
        stopRequested = true;
    }

    /** One line (two with a refusal) for the live view. */
    public String summary() {
        return summary;
    }

    static String describe(ModelServingState state) {
        if (!state.hasReports()) {
            return "model status: (no report yet)";
        }
        StringBuilder b = new StringBuilder("model status: ");
        Map<String, Integer> serving = state.servingVersions();
        serving.forEach((version, subtasks) -> b.append(state.modelName()).append('/').append(version).append(" ACTIVE on ")
                .append(subtasks).append('/').append(state.parallelism()).append(" subtasks  "));
        ModelStatus candidate = state.candidate();
        if (candidate != null) {
            b.append(candidate.getRole().name().toLowerCase(java.util.Locale.ROOT)).append(' ').append(candidate.getVersion())
                    .append(String.format(java.util.Locale.ROOT, " on %.0f%% of the posts", 100 * candidate.getFraction()))
                    .append(" (").append(state.candidateBySubtask().size()).append('/').append(state.parallelism())
                    .append(" subtasks)  ");
        }
        List<ModelStatus> refusals = List.copyOf(state.refusals().values());
        if (!refusals.isEmpty()) {
            ModelStatus r = refusals.get(0);
            String reason = r.getReason() == null ? "" : r.getReason();
            b.append("\n  last refused: ").append(r.getVersion()).append(": ")
                    .append(reason.length() > 140 ? reason.substring(0, 140) + "..." : reason);
        }
        return b.toString();
    }
}
