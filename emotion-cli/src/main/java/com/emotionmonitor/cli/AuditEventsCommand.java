package com.emotionmonitor.cli;

import com.emotionmonitor.tools.EventAudit;
import com.emotionmonitor.tools.EventTally;
import com.emotionmonitor.tools.PostIds;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/emotion audit-events}: did exactly the posts that were sent come out labelled, each once? */
@Command(
        name = "audit-events",
        mixinStandardHelpOptions = true,
        description = {
            "Read the events topic from the beginning as a read_committed consumer (no consumer group, no offsets moved)",
            "and check the events of posts <id-prefix><index> (as sent by 'produce') against the expected range: each",
            "exactly once, none missing, none unexpected, every value a valid EmotionEvent keyed by its post id.",
            "Waits until all expected events are there (or --timeout). Last line: one JSON object."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:exactly once", "1:missing, duplicate, unexpected or undecodable events", "2:invalid arguments"})
public final class AuditEventsCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Mixin KafkaClientFlags kafka;

    @Option(names = "--topic", defaultValue = "emotion-events", description = "Events topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-n", "--expect"}, required = true, paramLabel = "N", description = "Number of posts that were sent.")
    long expect;

    @Option(names = "--id-prefix", defaultValue = "post-", paramLabel = "PREFIX", description = "Id prefix the posts were sent with (default ${DEFAULT-VALUE}).")
    String idPrefix;

    @Option(names = "--first-index", defaultValue = "0", paramLabel = "I", description = "Index of the first post (default ${DEFAULT-VALUE}).")
    long firstIndex;

    @Option(names = "--timeout", defaultValue = "5min", paramLabel = "DURATION",
            description = "Give up waiting for missing events after this long (default ${DEFAULT-VALUE}).")
    String timeout;

    @Option(names = "--settle", defaultValue = "0s", paramLabel = "DURATION",
            description = "Once all are there, keep reading this long for late duplicates (default ${DEFAULT-VALUE}).")
    String settle;

    @Override
    public Integer call() throws java.io.IOException {
        PostIds ids;
        Duration deadline;
        Duration settleFor;
        try {
            ids = new PostIds(idPrefix, firstIndex, expect);
            deadline = TimeUtils.parseDuration(timeout);
            settleFor = TimeUtils.parseDuration(settle);
        } catch (IllegalArgumentException e) {
            System.err.println("audit-events: " + e.getMessage());
            return 2;
        }
        EventTally tally = new EventAudit(kafka.clientProperties(bootstrapServers), topic).run(ids, deadline, settleFor);
        System.out.println(tally.toJson());
        return tally.exactlyOnce() ? 0 : 1;
    }
}
