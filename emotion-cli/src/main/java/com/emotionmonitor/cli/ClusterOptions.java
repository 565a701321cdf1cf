package com.emotionmonitor.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import picocli.CommandLine.Option;

/**
 * Where {@code bin/emotion run} executes the job (a picocli mixin): in this JVM by default, or on a Flink session
 * cluster given by {@code --jobmanager HOST:PORT} (its REST endpoint). For a cluster the job graph is built here and
 * submitted with the job jar (flink-job-<version>-job.jar), whose classes the TaskManagers load; DJL is not in that jar but
 * on the TaskManagers' own classpath (see deploy/local/flink-start.sh).
 */
public final class ClusterOptions {

    @Option(names = "--jobmanager", paramLabel = "HOST:PORT",
            description = "Submit to this Flink cluster (REST address, e.g. 127.0.0.1:8081) instead of running in-process.")
    String jobManager;

    @Option(names = "--job-jar", paramLabel = "JAR",
            description = "The job jar shipped to the cluster (default: flink-job/target/flink-job-<version>-job.jar, "
                    + "which flink-job's own build produces: mvn -pl flink-job -am install -DskipTests, or deploy/job-jar.sh).")
    Path jobJar;

    @Option(names = "--restore", paramLabel = "PATH",
            description = "Start from this retained checkpoint or savepoint (e.g. file:///.../chk-12): offsets, windows and "
                    + "pending Kafka transactions resume exactly where the cancelled job stopped.")
    String restorePath;

    @Option(names = {"-D", "--flink-conf"}, paramLabel = "KEY=VALUE",
            description = "A Flink setting for this submission, as 'flink run -D' takes it (repeatable), e.g. "
                    + "-Dexecution.checkpointing.externalized-checkpoint-retention=RETAIN_ON_CANCELLATION. Job-level settings "
                    + "are read here, on the client: the cluster's config.yaml does not reach them.")
    Map<String, String> flinkConf = new LinkedHashMap<>();

    @Option(names = "--detached",
            description = "With --jobmanager: return once the job is submitted, printing {\"job_id\": ...} as the last line.")
    boolean detached;

    /** flink-job's build attaches the job jar with this classifier. */
    private static final String JOB_JAR_SUFFIX = "-job.jar";

    /** The job jar flink-job's build wrote, or null. */
    private static Path defaultJobJar() {
        Path target = ProjectPaths.home().resolve("flink-job/target");
        try (java.util.stream.Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().startsWith("flink-job-")
                    && f.getFileName().toString().endsWith(JOB_JAR_SUFFIX)).findFirst().orElse(null);
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /** The environment to build the job on. */
    public StreamExecutionEnvironment environment() {
        Configuration conf = Configuration.fromMap(flinkConf);
        if (restorePath != null && !restorePath.isBlank()) {
            conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        }
        if (jobManager == null) {
            if (detached) {
                throw new IllegalArgumentException("--detached needs --jobmanager: an in-process job ends with this command");
            }
            return StreamExecutionEnvironment.getExecutionEnvironment(conf);
        }
        int colon = jobManager.lastIndexOf(':');
        int port;
        try {
            port = Integer.parseInt(jobManager.substring(colon + 1));
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT (the REST port, 8081 by default), got '" + jobManager + "'");
        }
        if (colon <= 0) {
            throw new IllegalArgumentException("--jobmanager must be HOST:PORT, got '" + jobManager + "'");
        }
        String jar = resolveJar().toAbsolutePath().toString();
        return StreamExecutionEnvironment.createRemoteEnvironment(jobManager.substring(0, colon), port, conf, jar);
    }

    /** {@code --detached}: the caller reports the submission and returns instead of waiting for the job. */
    public boolean returnAfterSubmit() {
        return detached;
    }

    /** The machine-readable last line of a detached submission. */
    public String submittedJson(JobClient client) {
        return "{\"job_id\":\"" + client.getJobID() + "\",\"jobmanager\":\"" + jobManager + "\"}";
    }

    private Path resolveJar() {
        Path jar = jobJar != null ? jobJar : defaultJobJar();
        if (jobJar == null && jar == null) {
            throw new IllegalArgumentException("no job jar in " + ProjectPaths.home().resolve("flink-job/target").toAbsolutePath()
                    + ": build it with 'mvn -B -q -pl flink-job -am install -DskipTests' (or deploy/job-jar.sh), or pass --job-jar");
        }
        return ProjectPaths.requireFile(jar, "job jar");
    }
}
