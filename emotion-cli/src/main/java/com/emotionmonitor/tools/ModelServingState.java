package com.emotionmonitor.tools;

import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the model-status reports of one model say about the running job: which version each subtask of the newest
 * job stamps now, which shadow or canary candidate runs beside it, which versions were refused and why, and which
 * version served before the current one (the default target of a rollback).
 */
public final class ModelServingState {

    private final String modelName;
    private final List<ModelStatus> reports;

    /** @param reports the model-status topic's records (any models, any order) */
    public ModelServingState(String modelName, List<ModelStatus> reports) {
        this.modelName = modelName;
        this.reports = reports.stream()
                .filter(r -> r.getModelName().equals(modelName))
                .sorted(Comparator.comparing(ModelStatus::getReportedAt))
                .toList();
    }

    public boolean hasReports() {
        return !reports.isEmpty();
    }

    /** The job that reported last (a job restored from a savepoint has a new id), or null. */
    public String jobId() {
        return reports.isEmpty() ? null : reports.get(reports.size() - 1).getJobId();
    }

    /** Router subtasks of that job. */
    public int parallelism() {
        return reports.isEmpty() ? 0 : reports.get(reports.size() - 1).getParallelism();
    }

    /** Subtask -> its newest ACTIVE report of a serving version, for the newest job. */
    public Map<Integer, ModelStatus> activeBySubtask() {
        Map<Integer, ModelStatus> out = new TreeMap<>();
        String job = jobId();
        for (ModelStatus r : reports) {
            if (r.getState() == ModelState.ACTIVE && serving(r) && Objects.equals(r.getJobId(), job)) {
                out.put(r.getSubtask(), r);
            }
        }
        return out;
    }

    /** Subtask -> the shadow or canary it runs now (its newest ACTIVE candidate report not followed by a STOPPED), newest job. */
    public Map<Integer, ModelStatus> candidateBySubtask() {
        Map<Integer, ModelStatus> out = new TreeMap<>();
        String job = jobId();
        for (ModelStatus r : reports) {
            if (serving(r) || !Objects.equals(r.getJobId(), job)) {
                continue;
            }
            if (r.getState() == ModelState.ACTIVE) {
                out.put(r.getSubtask(), r);
            } else if (r.getState() == ModelState.STOPPED) {
                out.remove(r.getSubtask());
            }
        }
        return out;
    }

    /** The candidate most subtasks run now (its newest report), or null when no shadow or canary runs. */
    public ModelStatus candidate() {
        Map<String, Integer> votes = new LinkedHashMap<>();
        Map<String, ModelStatus> newest = new LinkedHashMap<>();
        for (ModelStatus r : candidateBySubtask().values()) {
            votes.merge(r.getVersion(), 1, Integer::sum);
            newest.put(r.getVersion(), r);
        }
        return votes.entrySet().stream().max(Map.Entry.comparingByValue()).map(e -> newest.get(e.getKey())).orElse(null);
    }

    private static boolean serving(ModelStatus r) {
        return r.getRole() == null || r.getRole() == ModelRole.SERVING;
    }

    /** Version -> subtasks stamping it now. */
    public Map<String, Integer> servingVersions() {
        Map<String, Integer> out = new LinkedHashMap<>();
        activeBySubtask().values().forEach(r -> out.merge(r.getVersion(), 1, Integer::sum));
        return out;
    }

    /** The version most subtasks stamp now, or null. */
    public String servingVersion() {
        return servingVersions().entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse(null);
    }

    /** The newest version that was ACTIVE as the serving one before the current one (any job), or null. */
    public String previousVersion() {
        String current = servingVersion();
        for (int i = reports.size() - 1; i >= 0; i--) {
            ModelStatus r = reports.get(i);
            if (r.getState() == ModelState.ACTIVE && serving(r) && !r.getVersion().equals(current)) {
                return r.getVersion();
            }
        }
        return null;
    }

    /** Version -> its newest refusal, newest first. */
    public Map<String, ModelStatus> refusals() {
        Map<String, ModelStatus> out = new LinkedHashMap<>();
        for (int i = reports.size() - 1; i >= 0; i--) {
            ModelStatus r = reports.get(i);
            if (r.getState() == ModelState.REFUSED) {
                out.putIfAbsent(r.getVersion(), r);
            }
        }
        return out;
    }

    /** The reports about the command issued at {@code issuedAt} for {@code version} (a serving switch or a new candidate). */
    public Outcome outcome(String version, Instant issuedAt) {
        return outcome(version, issuedAt, ModelState.ACTIVE);
    }

    /**
     * The reports about the command issued at {@code issuedAt}: those about {@code version} (any version when null,
     * as for a STOP, which names none), done when every subtask reports {@code done} (ACTIVE; STOPPED for a STOP).
     */
    public Outcome outcome(String version, Instant issuedAt, ModelState done) {
        List<ModelStatus> about = new ArrayList<>();
        for (ModelStatus r : reports) {
            if ((version == null || r.getVersion().equals(version)) && issuedAt.equals(r.getCommandIssuedAt())) {
                about.add(r);
            }
        }
        return new Outcome(about, done);
    }

    /** What the subtasks reported about one command; {@code done}: the state that confirms it. */
    public record Outcome(List<ModelStatus> reports, ModelState done) {

        public Outcome(List<ModelStatus> reports) {
            this(reports, ModelState.ACTIVE);
        }

        /** Subtasks that confirmed the command (reported {@link #done}). */
        public long activeSubtasks() {
            return reports.stream().filter(r -> r.getState() == done).map(ModelStatus::getSubtask).distinct().count();
        }

        public List<ModelStatus> refused() {
            return reports.stream().filter(r -> r.getState() == ModelState.REFUSED).toList();
        }

        /** Router subtasks of the job that reported, 0 before any report. */
        public int parallelism() {
            return reports.isEmpty() ? 0 : reports.get(reports.size() - 1).getParallelism();
        }

        public boolean activeEverywhere() {
            return parallelism() > 0 && activeSubtasks() >= parallelism();
        }
    }

    public String modelName() {
        return modelName;
    }
}
