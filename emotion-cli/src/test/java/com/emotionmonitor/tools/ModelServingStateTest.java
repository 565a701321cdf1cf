package com.emotionmonitor.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.emotionmonitor.schema.ModelRole;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.ModelTrigger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the CLI and the demo read from the model-status topic: serving versions, the rollback target, refusals. */
class ModelServingStateTest {

    private static final Instant COMMAND = Instant.parse("2026-05-01T10:00:00Z");

    private static ModelStatus report(long at, String job, int subtask, String version, ModelState state, ModelTrigger trigger,
                                      Instant issuedAt) {
        return ModelStatus.newBuilder()
                .setModelName("m").setVersion(version).setState(state).setTrigger(trigger)
                .setPreviousVersion(null).setReason(state == ModelState.REFUSED ? "sha256 mismatch" : null)
                .setArtifactLocation("/store/m/" + version).setCommandIssuedAt(issuedAt)
                .setJobId(job).setTaskManager("tm").setSubtask(subtask).setParallelism(2)
                .setReportedAt(Instant.ofEpochMilli(at)).build();
    }

    @Test
    void theNewestJobsActiveReportsSayWhatServesAndWhatServedBefore() {
        List<ModelStatus> reports = List.of(
                report(1, "job-a", 0, "v1", ModelState.ACTIVE, ModelTrigger.STARTUP, null),
                report(2, "job-a", 1, "v1", ModelState.ACTIVE, ModelTrigger.STARTUP, null),
                report(3, "job-a", 0, "v2", ModelState.ACTIVE, ModelTrigger.ACTIVATE, COMMAND),
                report(4, "job-a", 1, "v2", ModelState.ACTIVE, ModelTrigger.ACTIVATE, COMMAND),
                report(5, "job-a", 0, "v3", ModelState.REFUSED, ModelTrigger.ACTIVATE, COMMAND.plusSeconds(60)),
                // restored from a savepoint: a new job id, v2 again
                report(6, "job-b", 1, "v2", ModelState.ACTIVE, ModelTrigger.RESTORE, COMMAND),
                report(7, "job-b", 0, "v2", ModelState.ACTIVE, ModelTrigger.RESTORE, COMMAND),
                report(8, "other-model-job", 0, "x9", ModelState.ACTIVE, ModelTrigger.STARTUP, null));
        ModelStatus otherModel = reports.get(7);
        otherModel.setModelName("other");

        ModelServingState state = new ModelServingState("m", reports);
        assertEquals("job-b", state.jobId());
        assertEquals(Map.of("v2", 2), state.servingVersions());
        assertEquals("v2", state.servingVersion());
        assertEquals("v1", state.previousVersion(), "the rollback target: the newest other version that was active");
        assertEquals(List.of("v3"), List.copyOf(state.refusals().keySet()));

        ModelServingState.Outcome v2 = state.outcome("v2", COMMAND);
        assertTrue(v2.activeEverywhere());
        ModelServingState.Outcome v3 = state.outcome("v3", COMMAND.plusSeconds(60));
        assertFalse(v3.activeEverywhere());
        assertEquals(1, v3.refused().size());
    }

    @Test
    void aShadowOrCanaryIsACandidateBesideTheServingVersionNeverTheServingOne() {
        Instant shadowAt = COMMAND.plusSeconds(120);
        Instant stopAt = COMMAND.plusSeconds(240);
        List<ModelStatus> reports = List.of(
                report(1, "job-a", 0, "v1", ModelState.ACTIVE, ModelTrigger.STARTUP, null),
                report(2, "job-a", 1, "v1", ModelState.ACTIVE, ModelTrigger.STARTUP, null),
                candidate(report(3, "job-a", 0, "v2", ModelState.ACTIVE, ModelTrigger.SHADOW, shadowAt), ModelRole.SHADOW),
                candidate(report(4, "job-a", 1, "v2", ModelState.ACTIVE, ModelTrigger.SHADOW, shadowAt), ModelRole.SHADOW));
        ModelServingState shadowing = new ModelServingState("m", reports);
        assertEquals(Map.of("v1", 2), shadowing.servingVersions(), "a shadow serves nothing");
        assertNull(shadowing.previousVersion(), "nor is it a rollback target");
        assertEquals("v2", shadowing.candidate().getVersion());
        assertEquals(ModelRole.SHADOW, shadowing.candidate().getRole());
        assertTrue(shadowing.outcome("v2", shadowAt).activeEverywhere());

        List<ModelStatus> stopped = new java.util.ArrayList<>(reports);
        stopped.add(candidate(report(5, "job-a", 0, "v2", ModelState.STOPPED, ModelTrigger.STOP, stopAt), ModelRole.SHADOW));
        ModelServingState half = new ModelServingState("m", stopped);
        assertFalse(half.outcome(null, stopAt, ModelState.STOPPED).activeEverywhere(), "one of two subtasks stopped");
        stopped.add(candidate(report(6, "job-a", 1, "v2", ModelState.STOPPED, ModelTrigger.STOP, stopAt), ModelRole.SHADOW));
        ModelServingState done = new ModelServingState("m", stopped);
        assertTrue(done.outcome(null, stopAt, ModelState.STOPPED).activeEverywhere(), "a STOP names no version: matched by time");
        assertNull(done.candidate(), "nothing runs beside v1 any more");
    }

    private static ModelStatus candidate(ModelStatus report, ModelRole role) {
        report.setRole(role);
        report.setFraction(0.5);
        return report;
    }

    @Test
    void withoutReportsNothingIsKnown() {
        ModelServingState state = new ModelServingState("m", List.of());
        assertFalse(state.hasReports());
        assertNull(state.servingVersion());
        assertNull(state.previousVersion());
        assertFalse(state.outcome("v1", COMMAND).activeEverywhere());
    }
}
