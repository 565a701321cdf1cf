package com.emotionmonitor.cli;

import com.emotionmonitor.tools.DemoPosts;
import com.emotionmonitor.tools.PostIds;
import com.emotionmonitor.tools.PostProducer;
import java.util.concurrent.Callable;
import me.tongfei.progressbar.ProgressBar;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code bin/emotion produce}: feed a running job N real posts through a real Kafka producer. */
@Command(
        name = "produce",
        mixinStandardHelpOptions = true,
        description = {
            "Send --count real Weibo posts (the bundled usual_eval sample, cycled) to the posts topic as Avro SocialPost,",
            "keyed by id <id-prefix><index>, with an idempotent acks=all producer. Pair with 'audit-events' (same prefix,",
            "first index and count) to check that exactly those posts came out labelled. Last line: one JSON object."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every post was acknowledged by the broker", "1:sending failed", "2:invalid arguments"})
public final class ProduceCommand implements Callable<Integer> {

    @Option(names = "--bootstrap-servers", defaultValue = "127.0.0.1:9092", paramLabel = "HOST:PORT,...",
            description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
    String bootstrapServers;

    @Mixin KafkaClientFlags kafka;

    @Option(names = "--topic", defaultValue = "social-posts", description = "Posts topic (default ${DEFAULT-VALUE}).")
    String topic;

    @Option(names = {"-n", "--count"}, required = true, paramLabel = "N", description = "Number of posts to send.")
    long count;

    @Option(names = "--id-prefix", defaultValue = "post-", paramLabel = "PREFIX", description = "Post ids are PREFIX + index (default ${DEFAULT-VALUE}).")
    String idPrefix;

    @Option(names = "--first-index", defaultValue = "0", paramLabel = "I", description = "Index of the first post (default ${DEFAULT-VALUE}).")
    long firstIndex;

    @Option(names = "--rate", defaultValue = "0", paramLabel = "POSTS_PER_S",
            description = "Send rate; 0 = as fast as the broker acknowledges (default ${DEFAULT-VALUE}).")
    double rate;

    @Override
    public Integer call() throws Exception {
        PostIds ids;
        try {
            if (count < 1 || rate < 0) {
                throw new IllegalArgumentException("--count must be >= 1 and --rate >= 0");
            }
            ids = new PostIds(idPrefix, firstIndex, count);
        } catch (IllegalArgumentException e) {
            System.err.println("produce: " + e.getMessage());
            return 2;
        }
        long started = System.nanoTime();
        try (ProgressBar bar = ProgressBars.builder("produce", count).setUnit(" posts", 1).build()) {
            new PostProducer(kafka.clientProperties(bootstrapServers), topic).send(DemoPosts.load(), ids, rate, bar::stepTo);
        } catch (IllegalStateException e) {
            System.err.println("produce: " + e.getMessage());
            return 1;
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(java.util.Locale.ROOT, "{\"produced\":%d,\"topic\":\"%s\",\"first_id\":\"%s\",\"last_id\":\"%s\",\"seconds\":%.1f}%n",
                count, topic, ids.id(firstIndex), ids.id(firstIndex + count - 1), seconds);
        return 0;
    }
}
