package com.emotionmonitor.tools;

import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.store.ArtifactFiles;
import com.emotionmonitor.schema.ModelAction;
import com.emotionmonitor.schema.ModelCommand;
import com.emotionmonitor.schema.RolloutStep;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Issues {@link ModelCommand}s to a running job: builds one for a published version (its directory as a {@code file:}
 * URI, the SHA-256 of its manifest.json so the job serves exactly that artifact) and writes it to the model-control
 * topic with an idempotent {@code acks=all} producer, keyed by model name.
 */
public final class ModelControl {

    private ModelControl() {}

    /**
     * A command for {@code versionDir} (a model-store version directory).
     *
     * @throws IllegalArgumentException when the directory is not a published version
     */
    public static ModelCommand command(ModelAction action, String modelName, String version, Path versionDir, String issuedBy) {
        Path manifest = versionDir.resolve(ArtifactFiles.MANIFEST);
        if (!Files.isRegularFile(manifest)) {
            throw new IllegalArgumentException("no published version at " + versionDir.toAbsolutePath() + " (no "
                    + ArtifactFiles.MANIFEST + ")");
        }
        return ModelCommand.newBuilder()
                .setModelName(modelName)
                .setVersion(version)
                .setAction(action)
                .setArtifactLocation(versionDir.toAbsolutePath().normalize().toUri().toString())
                .setSha256(ArtifactFiles.sha256(manifest))
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)) // the wire precision: reports echo it exactly
                .setIssuedBy(issuedBy)
                .build();
    }

    /**
     * A rollout step for {@code versionDir}: SHADOW or CANARY on {@code fraction} of the posts, or PROMOTE (fraction
     * null). Sent as ACTIVATE with the step in {@code rollout} (see ModelCommand.avsc: the released action enum
     * cannot grow).
     */
    public static ModelCommand rollout(RolloutStep step, Double fraction, String modelName, String version, Path versionDir,
                                       String issuedBy) {
        ModelCommand c = command(ModelAction.ACTIVATE, modelName, version, versionDir, issuedBy);
        c.setRollout(step);
        c.setFraction(fraction);
        return c;
    }

    /** STOP: the running shadow or canary of {@code modelName} ends; names no version (older jobs refuse it as malformed). */
    public static ModelCommand stop(String modelName, String issuedBy) {
        return ModelCommand.newBuilder()
                .setModelName(modelName)
                .setVersion("")
                .setAction(ModelAction.ACTIVATE)
                .setArtifactLocation("")
                .setSha256("")
                .setIssuedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS))
                .setIssuedBy(issuedBy)
                .setRollout(RolloutStep.STOP)
                .build();
    }

    /** Sends the command and waits for the broker's acknowledgement; returns where it was written. */
    public static RecordMetadata send(String bootstrapServers, String topic, ModelCommand command)
            throws java.util.concurrent.ExecutionException, InterruptedException, java.util.concurrent.TimeoutException {
        return send(EventAudit.bootstrapOnly(bootstrapServers), topic, command);
    }

    /** @param client the Kafka client properties (bootstrap servers, security ...) */
    public static RecordMetadata send(Properties client, String topic, ModelCommand command)
            throws InterruptedException, ExecutionException, TimeoutException {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "emotion-model-control");
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "30000");
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "30000");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "20000");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            return producer.send(new ProducerRecord<>(topic, command.getModelName().getBytes(StandardCharsets.UTF_8),
                    new AvroCodec<>(ModelCommand.class).encode(command))).get(1, TimeUnit.MINUTES);
        }
    }
}
