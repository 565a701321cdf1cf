package com.emotionmonitor.cli;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.tools.ModelControl;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;

/** What {@code model activate} and {@code model rollback} share: check, send, optionally wait for the job's verdict. */
final class ModelSwitch {

    private ModelSwitch() {}

    /** @return the exit code: 0 sent (and active everywhere if waited), 1 refused / not confirmed / not sent */
    static int run(ModelControlOptions o, ModelAction action, String name, String version, PrintStream out, PrintStream err)
            throws Exception {
        String verb = action.name().toLowerCase(java.util.Locale.ROOT);
        Path dir = o.store().resolve(name).resolve(version);
        if (!o.noLocalCheck) {
            // The job checks again on every TaskManager; this only spares sending a command that must be refused.
            ModelManifest manifest = ArtifactFiles.verify(dir);
            ClassifierRequirements.emotions(JobConfig.defaults().batchMaxTokens()).check(manifest);
        }
        ModelCommand command = ModelControl.command(action, name, version, dir, System.getProperty("user.name", "unknown") + "@bin/emotion");
        RecordMetadata md;
        try {
            md = ModelControl.send(o.client(), o.controlTopic, command);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("model " + verb + ": could not send to " + o.controlTopic + " at " + o.bootstrapServers + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return 1;
        }
        err.println("model " + verb + ": sent " + action + " " + name + "/" + version + " to " + o.controlTopic + "-"
                + md.partition() + "@" + md.offset());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("action", action.name());
        result.put("model", name);
        result.put("version", version);
        result.put("artifact_location", command.getArtifactLocation());
        result.put("sha256", command.getSha256());
        result.put("issued_at", command.getIssuedAt().toString());
        int code = 0;
        if (o.waitSeconds > 0) {
            ModelServingState.Outcome outcome = await(o, name, version, command, err);
            result.put("active_subtasks", outcome.activeSubtasks());
            result.put("parallelism", outcome.parallelism());
            List<ModelStatus> refused = outcome.refused();
            if (!refused.isEmpty()) {
                result.put("refused", refused.get(0).getReason());
                err.println("model " + verb + ": REFUSED by the job: " + refused.get(0).getReason());
                code = 1;
            } else if (!outcome.activeEverywhere()) {
                result.put("confirmed", false);
                err.println("model " + verb + ": not confirmed within " + o.waitSeconds + " s (" + outcome.activeSubtasks()
                        + " subtask(s) active): is the job running, and are --topic/--status-topic its topics?");
                code = 1;
            } else {
                err.println("model " + verb + ": " + name + "/" + version + " is ACTIVE on all " + outcome.parallelism() + " subtasks");
            }
        }
        out.println(new ObjectMapper().writeValueAsString(result));
        return code;
    }

    private static ModelServingState.Outcome await(ModelControlOptions o, String name, String version, ModelCommand command,
                                                   PrintStream err) throws InterruptedException, java.io.IOException {
        ModelStatusReader reader = new ModelStatusReader(o.client(), o.statusTopic);
        long deadline = System.nanoTime() + o.waitSeconds * 1_000_000_000L;
        ModelServingState.Outcome outcome;
        while (true) {
            outcome = new ModelServingState(name, reader.readAll()).outcome(version, command.getIssuedAt());
            if (!outcome.refused().isEmpty() || outcome.activeEverywhere() || System.nanoTime() > deadline) {
                return outcome;
            }
            Thread.sleep(500);
        }
    }
}
