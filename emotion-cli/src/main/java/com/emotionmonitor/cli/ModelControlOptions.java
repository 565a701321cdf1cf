package com.emotionmonitor.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the running job listens for model commands and reports what it serves (a mixin of activate and rollback). */
public final class ModelControlOptions {

    @Option(names = "--bootstrap-servers", required = true, paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers of the running job (the demo prints its own).")
    String bootstrapServers;

    @Mixin KafkaClientFlags kafka;

    @Option(names = "--topic", defaultValue = "model-control", paramLabel = "TOPIC",
            description = "The job's model-control topic (topic.model-control, default ${DEFAULT-VALUE}).")
    String controlTopic;

    @Option(names = "--status-topic", defaultValue = "model-status", paramLabel = "TOPIC",
            description = "The job's model-status topic (topic.model-status, default ${DEFAULT-VALUE}).")
    String statusTopic;

    @Option(names = "--model-store", paramLabel = "DIR", description = "Model store root (default: <project>/model-store).")
    Path modelStore;

    @Option(names = "--wait", defaultValue = "0", paramLabel = "SECONDS",
            description = "Wait until every subtask reports the version ACTIVE or one REFUSED (0 = send and return; "
                    + "reports are committed with the job's checkpoints). Default ${DEFAULT-VALUE}.")
    long waitSeconds;

    @Option(names = "--no-local-check",
            description = "Send even if the version fails the local checks (checksums, labels, max length): the job "
                    + "verifies again and refuses it; for testing refusals.")
    boolean noLocalCheck;

    /** The client properties of the job's brokers (bootstrap servers + --kafka-config / --kafka-property). */
    java.util.Properties client() throws java.io.IOException {
        return kafka.clientProperties(bootstrapServers);
    }

    Path store() {
        return modelStore != null ? modelStore : ProjectPaths.modelStore();
    }
}
