package com.emotionmonitor.cli;

import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelState;
import com.emotionmonitor.schema.ModelStatus;
import com.emotionmonitor.schema.RolloutStep;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.store.ClassifierRequirements;
import com.emotionmonitor.store.ModelManifest;
import com.emotionmonitor.tools.ModelControl;
import com.emotionmonitor.tools.ModelServingState;
import com.emotionmonitor.tools.ModelStatusReader;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * What the {@code model} commands that talk to the running job share ({@code activate}, {@code rollback},
 * {@code shadow}, {@code canary}, {@code promote}): check the version locally, send one ModelCommand, optionally wait
 * for every subtask's verdict on the model-status topic.
 */
final class ModelSwitch {

    /**
     * One command to the job: its verb (for messages), the ModelCommand action and rollout step, the fraction of a
     * shadow or canary, and the report state that confirms it (ACTIVE; STOPPED for a STOP).
     */
    record Step(String verb, ModelAction action, RolloutStep rollout, Double fraction) {

        static Step activate() {
            return new Step("activate", ModelAction.ACTIVATE, null, null);
        }

        static Step rollback() {
            return new Step("rollback", ModelAction.ROLLBACK, null, null);
        }

        static Step shadow(double fraction) {
            return new Step("shadow", ModelAction.ACTIVATE, RolloutStep.SHADOW, fraction);
        }

        static Step canary(double fraction) {
            return new Step("canary", ModelAction.ACTIVATE, RolloutStep.CANARY, fraction);
        }

        static Step promote() {
            return new Step("promote", ModelAction.ACTIVATE, RolloutStep.PROMOTE, null);
        }

        static Step stop(String verb) {
            return new Step(verb, ModelAction.ACTIVATE, RolloutStep.STOP, null);
        }

        boolean isStop() {
            return rollout == RolloutStep.STOP;
        }

        ModelState confirmedBy() {
            return isStop() ? ModelState.STOPPED : ModelState.ACTIVE;
        }
    }

    private ModelSwitch() {}

    /** {@link #run(ModelControlOptions, Step, String, String, PrintStream, PrintStream)} for ACTIVATE / ROLLBACK. */
    static int run(ModelControlOptions o, ModelAction action, String name, String version, PrintStream out, PrintStream err)
            throws Exception {
        return run(o, action == ModelAction.ROLLBACK ? Step.rollback() : Step.activate(), name, version, out, err);
    }

    /**
     * @param version the version the command is about; null for a STOP
     * @return the exit code: 0 sent (and confirmed on every subtask if waited), 1 refused / not confirmed / not sent
     */
    static int run(ModelControlOptions o, Step step, String name, String version, PrintStream out, PrintStream err)
            throws Exception {
        String issuedBy = System.getProperty("user.name", "unknown") + "@bin/emotion";
        ModelCommand command;
        if (step.isStop()) {
            command = ModelControl.stop(name, issuedBy);
        } else {
            Path dir = o.store().resolve(name).resolve(version);
            if (!o.noLocalCheck) {
                // The job checks again on every TaskManager; this only spares sending a command that must be refused.
                ModelManifest manifest = ArtifactFiles.verify(dir);
                ClassifierRequirements.emotions(JobConfig.defaults().batchMaxTokens()).check(manifest);
            }
            command = step.rollout() == null ? ModelControl.command(step.action(), name, version, dir, issuedBy)
                    : ModelControl.rollout(step.rollout(), step.fraction(), name, version, dir, issuedBy);
        }
        RecordMetadata md;
        try {
            md = ModelControl.send(o.client(), o.controlTopic, command);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            err.println("model " + step.verb() + ": could not send to " + o.controlTopic + " at " + o.bootstrapServers + ": "
                    + cause.getClass().getSimpleName() + ": " + cause.getMessage());
            return 1;
        }
        String what = describe(command);
        err.println("model " + step.verb() + ": sent " + what + " to " + o.controlTopic + "-" + md.partition() + "@" + md.offset());
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("action", command.getAction().name());
        if (command.getRollout() != null) {
            result.put("rollout", command.getRollout().name());
        }
        if (command.getFraction() != null) {
            result.put("fraction", command.getFraction());
        }
        result.put("model", name);
        result.put("version", command.getVersion());
        result.put("artifact_location", command.getArtifactLocation());
        result.put("sha256", command.getSha256());
        result.put("issued_at", command.getIssuedAt().toString());
        int code = 0;
        if (o.waitSeconds > 0) {
            ModelServingState.Outcome outcome = await(o, step, name, command, err);
            result.put(step.isStop() ? "stopped_subtasks" : "active_subtasks", outcome.activeSubtasks());
            result.put("parallelism", outcome.parallelism());
            List<ModelStatus> refused = outcome.refused();
            if (!refused.isEmpty()) {
                result.put("refused", refused.get(0).getReason());
                err.println("model " + step.verb() + ": REFUSED by the job: " + refused.get(0).getReason());
                code = 1;
            } else if (!outcome.activeEverywhere()) {
                result.put("confirmed", false);
                err.println("model " + step.verb() + ": not confirmed within " + o.waitSeconds + " s (" + outcome.activeSubtasks()
                        + " subtask(s) " + step.confirmedBy() + "): is the job running, and are --topic/--status-topic its topics?");
                code = 1;
            } else {
                err.println("model " + step.verb() + ": " + what + " is " + step.confirmedBy() + " on all " + outcome.parallelism()
                        + " subtasks");
            }
        }
        out.println(new ObjectMapper().writeValueAsString(result));
        return code;
    }

    /** "SHADOW tiny/v2 on 10% of the posts", "ACTIVATE tiny/v2", "STOP of tiny's shadow or canary". */
    private static String describe(ModelCommand c) {
        if (c.getRollout() == RolloutStep.STOP) {
            return "STOP of " + c.getModelName() + "'s shadow or canary";
        }
        String step = c.getRollout() != null ? c.getRollout().name() : c.getAction().name();
        String share = c.getFraction() == null ? "" : String.format(Locale.ROOT, " on %s%% of the posts",
                new java.math.BigDecimal(c.getFraction() * 100).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString());
        return step + " " + c.getModelName() + "/" + c.getVersion() + share;
    }

    private static ModelServingState.Outcome await(ModelControlOptions o, Step step, String name, ModelCommand command,
                                                   PrintStream err) throws InterruptedException, java.io.IOException {
        ModelStatusReader reader = new ModelStatusReader(o.client(), o.statusTopic);
        long deadline = System.nanoTime() + o.waitSeconds * 1_000_000_000L;
        String version = step.isStop() ? null : command.getVersion();
        ModelServingState.Outcome outcome;
        while (true) {
            outcome = new ModelServingState(name, reader.readAll()).outcome(version, command.getIssuedAt(), step.confirmedBy());
            if (!outcome.refused().isEmpty() || outcome.activeEverywhere() || System.nanoTime() > deadline) {
                return outcome;
            }
            Thread.sleep(500);
        }
    }
}
