package com.emotionmonitor.job.model;

import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.ModelTrigger;
import com.emotionmonitor.store.ModelKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

/**
 * The model commands a router has received, kept in its broadcast state: the serving versions commanded (sequence
 * number -> commanded version: the start version first, so a restore can fall back to it, then the last
 * {@value #HISTORY} serving commands), and in a second state the shadow or canary candidate running beside them
 * ({@link #ROLLOUT}, one entry or none). Every subtask applies the same commands in the same order and decides from
 * the commands and this state alone, never from what it loaded, so the state is identical on all of them, as Flink
 * requires.
 */
public final class ModelCommandLog {

    /** Commands kept: enough to fall back past several refused versions on restore. */
    public static final int HISTORY = 16;

    /** Sequence number -> commanded version. */
    public static final MapStateDescriptor<Long, ModelTarget> STATE =
            new MapStateDescriptor<>("model-commands", Types.LONG, TypeInformation.of(ModelTarget.class));

    /** The running shadow or canary candidate, under {@link #CANDIDATE}; empty when none runs. */
    public static final MapStateDescriptor<Integer, Rollout> ROLLOUT =
            new MapStateDescriptor<>("model-rollout", Types.INT, TypeInformation.of(Rollout.class));

    private static final Integer CANDIDATE = 0;

    private final ModelSource models;

    public ModelCommandLog(ModelSource models) {
        this.models = models;
    }

    /** The commanded versions of a restored state, newest first: what a restored router tries, in this order. */
    public static List<ModelTarget> newestFirst(Iterable<Map.Entry<Long, ModelTarget>> state) throws Exception {
        List<ModelTarget> out = new ArrayList<>();
        for (Map.Entry<Long, ModelTarget> e : state) {
            out.add(e.getValue());
        }
        out.sort(Comparator.comparingLong((ModelTarget t) -> t.sequence).reversed());
        return out;
    }

    /**
     * The command as a target with the next sequence number.
     *
     * @throws IllegalArgumentException for a command without a usable name and version, a location the TaskManagers
     *     cannot read or outside the trusted roots, or without the sha256 pin the job requires
     * @throws com.emotionmonitor.model.ModelLoadException when the job requires a signature and the version has none
     */
    public ModelTarget parse(ModelCommand command, ReadOnlyBroadcastState<Long, ModelTarget> state) throws Exception {
        if (command.getModelName() == null || command.getModelName().isBlank() || command.getModelName().contains("/")
                || command.getVersion() == null || command.getVersion().isBlank() || command.getVersion().contains("/")) {
            throw new IllegalArgumentException("a command needs a model name and a version without '/', got '"
                    + command.getModelName() + "' '" + command.getVersion() + "'");
        }
        ModelKey key = new ModelKey(command.getModelName(), command.getVersion());
        ModelTrust trust = models.trust();
        trust.checkPinned(command.getSha256());
        java.nio.file.Path dir = models.locate(key, command.getArtifactLocation()); // refuses a location outside the roots
        trust.checkSigned(dir, command.getSha256());
        return new ModelTarget(nextSequence(state), key.name(), key.version(), dir.toString(), command.getSha256(),
                trigger(command), command.getIssuedAt() == null ? null : command.getIssuedAt().toEpochMilli());
    }

    /** A malformed command as a target, for its refusal report. */
    public static ModelTarget unparsed(ModelCommand command) {
        return new ModelTarget(-1, String.valueOf(command.getModelName()), String.valueOf(command.getVersion()),
                command.getArtifactLocation(), command.getSha256(), trigger(command),
                command.getIssuedAt() == null ? null : command.getIssuedAt().toEpochMilli());
    }

    /** Appends {@code target}; the start version is written first, and only the newest {@value #HISTORY} are kept. */
    public void append(BroadcastState<Long, ModelTarget> state, ModelTarget target) throws Exception {
        if (!state.iterator().hasNext()) {
            state.put(0L, models.startTarget());
        }
        state.put(target.sequence, target);
        List<Long> sequences = new ArrayList<>();
        for (Map.Entry<Long, ModelTarget> e : state.entries()) {
            sequences.add(e.getKey());
        }
        sequences.sort(null);
        for (int i = 0; i < sequences.size() - HISTORY; i++) {
            state.remove(sequences.get(i));
        }
    }

    /** The candidate in the rollout state, or null. */
    public static Rollout candidate(ReadOnlyBroadcastState<Integer, Rollout> rollout) throws Exception {
        return rollout.get(CANDIDATE);
    }

    /** Records {@code candidate} as the one running (replacing any other). */
    public static void startCandidate(BroadcastState<Integer, Rollout> rollout, Rollout candidate) throws Exception {
        rollout.put(CANDIDATE, candidate);
    }

    /** Forgets the running candidate. */
    public static void endCandidate(BroadcastState<Integer, Rollout> rollout) throws Exception {
        rollout.remove(CANDIDATE);
    }

    /** The newest commanded serving version (the start version when no command came yet): what the state says serves. */
    public ModelTarget newestServing(ReadOnlyBroadcastState<Long, ModelTarget> state) throws Exception {
        ModelTarget newest = null;
        for (Map.Entry<Long, ModelTarget> e : state.immutableEntries()) {
            if (newest == null || e.getKey() > newest.sequence) {
                newest = e.getValue();
            }
        }
        return newest != null ? newest : models.startTarget();
    }

    private static long nextSequence(ReadOnlyBroadcastState<Long, ModelTarget> state) throws Exception {
        long max = 0;
        for (Map.Entry<Long, ModelTarget> e : state.immutableEntries()) {
            max = Math.max(max, e.getKey());
        }
        return max + 1;
    }

    /** Why a command acts: its rollout step if it has one, else its action. */
    public static ModelTrigger trigger(ModelCommand command) {
        if (command.getRollout() != null) {
            return switch (command.getRollout()) {
                case SHADOW -> ModelTrigger.SHADOW;
                case CANARY -> ModelTrigger.CANARY;
                case STOP -> ModelTrigger.STOP;
                case PROMOTE -> ModelTrigger.PROMOTE;
            };
        }
        return command.getAction() == ModelAction.ROLLBACK ? ModelTrigger.ROLLBACK : ModelTrigger.ACTIVATE;
    }
}
