package com.emotionmonitor.dashboard.state;

import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the model-status topic says now: for the job that reported last (a job restored from a savepoint has a new
 * id), each router subtask's serving version (its newest ACTIVE report in the SERVING role), the shadow or canary it
 * runs beside it (ACTIVE in the SHADOW or CANARY role, until STOPPED) and the version it is loading (ACCEPTED, not yet
 * ACTIVE or REFUSED), grouped by TaskManager; and the newest {@code maxRefusals} refusals of any job, each one command
 * (or restore) with the subtasks that refused it and the reason.
 */
final class ModelServing {

    /** A candidate as the page groups it: its subtasks are collected under this. */
    private record CandidateKey(String model, String version, String role, Double fraction) {}

    private static final class Subtask {
        ModelStatus active;
        ModelStatus candidate;
        ModelStatus loading;
    }

    private final int maxRefusals;
    private String jobId;
    private long jobReportedAt = Long.MIN_VALUE;
    private int parallelism;
    private final Map<Integer, Subtask> subtasks = new TreeMap<>();
    /** (job, model, version, trigger, command time) -> the refusal, newest last. */
    private final LinkedHashMap<List<Object>, Refusal> refusals = new LinkedHashMap<>();

    private static final class Refusal {
        final ModelStatus first;
        final List<String> where = new ArrayList<>();
        long reportedAt;

        Refusal(ModelStatus first) {
            this.first = first;
        }
    }

    ModelServing(int maxRefusals) {
        this.maxRefusals = maxRefusals;
    }

    void apply(ModelStatus r) {
        long at = r.getReportedAt().toEpochMilli();
        if (r.getState() == ModelState.REFUSED) {
            refused(r, at);
        }
        if (!Objects.equals(r.getJobId(), jobId)) {
            if (at < jobReportedAt) {
                return; // an older job's report, read late
            }
            jobId = r.getJobId();
            subtasks.clear();
        }
        jobReportedAt = Math.max(jobReportedAt, at);
        parallelism = r.getParallelism();
        Subtask s = subtasks.computeIfAbsent(r.getSubtask(), k -> new Subtask());
        boolean serving = r.getRole() == null || r.getRole() == ModelRole.SERVING;
        switch (r.getState()) {
            case ACTIVE -> {
                if (serving) {
                    s.active = r;
                    if (s.candidate != null && s.candidate.getVersion().equals(r.getVersion())) {
                        s.candidate = null; // promoted
                    }
                } else {
                    s.candidate = r;
                }
                doneLoading(s, r);
            }
            case ACCEPTED -> s.loading = r;
            case REFUSED -> doneLoading(s, r);
            case STOPPED -> {
                if (s.candidate != null && s.candidate.getVersion().equals(r.getVersion())) {
                    s.candidate = null;
                }
            }
        }
    }

    private static void doneLoading(Subtask s, ModelStatus r) {
        if (s.loading != null && s.loading.getVersion().equals(r.getVersion())) {
            s.loading = null;
        }
    }

    private void refused(ModelStatus r, long at) {
        List<Object> key = java.util.Arrays.asList(r.getJobId(), r.getModelName(), r.getVersion(), r.getTrigger(), r.getCommandIssuedAt());
        Refusal f = refusals.remove(key); // re-inserted: newest last
        if (f == null) {
            f = new Refusal(r);
        }
        f.where.add(where(r));
        f.reportedAt = Math.max(f.reportedAt, at);
        refusals.put(key, f);
        while (refusals.size() > maxRefusals) {
            refusals.remove(refusals.keySet().iterator().next());
        }
    }

    private static String where(ModelStatus r) {
        return (r.getTaskManager() == null ? "?" : r.getTaskManager()) + " #" + r.getSubtask();
    }

    Snapshot.Models snapshot() {
        Map<String, Map<String, List<Integer>>> servingByTm = new TreeMap<>();
        Map<String, List<String>> loadingByTm = new TreeMap<>();
        Map<String, Map<CandidateKey, List<Integer>>> candidatesByTm = new TreeMap<>();
        for (Map.Entry<Integer, Subtask> e : subtasks.entrySet()) {
            Subtask s = e.getValue();
            ModelStatus any = s.active != null ? s.active : s.loading;
            if (any == null) {
                continue;
            }
            String tm = any.getTaskManager() == null ? "(unknown TaskManager)" : any.getTaskManager();
            if (s.active != null) {
                servingByTm.computeIfAbsent(tm, k -> new TreeMap<>())
                        .computeIfAbsent(s.active.getModelName() + "/" + s.active.getVersion(), k -> new ArrayList<>()).add(e.getKey());
            }
            if (s.candidate != null) {
                ModelStatus c = s.candidate;
                candidatesByTm.computeIfAbsent(tm, k -> new java.util.LinkedHashMap<>())
                        .computeIfAbsent(new CandidateKey(c.getModelName(), c.getVersion(),
                                        c.getRole().name().toLowerCase(java.util.Locale.ROOT), c.getFraction()), k -> new ArrayList<>())
                        .add(e.getKey());
            }
            if (s.loading != null) {
                List<String> l = loadingByTm.computeIfAbsent(tm, k -> new ArrayList<>());
                String v = s.loading.getModelName() + "/" + s.loading.getVersion();
                if (!l.contains(v)) {
                    l.add(v);
                }
            }
        }
        List<Snapshot.TaskManager> tms = new ArrayList<>();
        java.util.Set<String> ids = new java.util.TreeSet<>(servingByTm.keySet());
        ids.addAll(loadingByTm.keySet());
        ids.addAll(candidatesByTm.keySet());
        for (String tm : ids) {
            List<Snapshot.Serving> serving = new ArrayList<>();
            servingByTm.getOrDefault(tm, Map.of()).forEach((nameVersion, subs) -> {
                int slash = nameVersion.indexOf('/');
                serving.add(new Snapshot.Serving(nameVersion.substring(0, slash), nameVersion.substring(slash + 1), List.copyOf(subs)));
            });
            List<Snapshot.Candidate> candidates = new ArrayList<>();
            candidatesByTm.getOrDefault(tm, Map.of()).forEach((k, subs) -> candidates.add(
                    new Snapshot.Candidate(k.model(), k.version(), k.role(), k.fraction(), List.copyOf(subs))));
            tms.add(new Snapshot.TaskManager(tm, serving, candidates, List.copyOf(loadingByTm.getOrDefault(tm, List.of()))));
        }
        List<Snapshot.Refusal> refused = new ArrayList<>();
        new ArrayDeque<>(refusals.values()).descendingIterator().forEachRemaining(f -> refused.add(new Snapshot.Refusal(
                f.first.getModelName(), f.first.getVersion(), f.first.getTrigger().name(),
                f.first.getReason() == null ? "" : f.first.getReason(), List.copyOf(f.where), f.reportedAt, f.first.getJobId())));
        return new Snapshot.Models(jobId, parallelism, tms, refused);
    }
}
