package com.emotionmonitor.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.emotionmonitor.dashboard.Dashboard;
import com.emotionmonitor.dashboard.feed.DashboardTopics;
import com.emotionmonitor.job.EmotionPipeline;
import com.emotionmonitor.job.JobConfig;
import com.emotionmonitor.job.KafkaConnectors;
import com.emotionmonitor.job.io.AvroCodec;
import com.emotionmonitor.job.model.StoreModelSource;
import com.emotionmonitor.model.Prediction;
import com.emotionmonitor.schema.AlertKind;
import com.emotionmonitor.schema.EmotionAlert;
import com.emotionmonitor.schema.EmotionStats;
import com.emotionmonitor.schema.SocialPost;
import com.emotionmonitor.schema.StatsKind;
import com.emotionmonitor.serving.EmotionModel;
import com.emotionmonitor.testkit.EmbeddedKafkaExtension;
import com.emotionmonitor.testkit.MiniClusters;
import com.emotionmonitor.tools.DemoPosts;
import com.emotionmonitor.train.TinyRecipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium through Selenium) on the real job's output: Flink
 * MiniCluster, an in-process KRaft broker, a tiny model trained here. Posts are sent with event times in the past,
 * so a few seconds of wall clock make several one-minute windows: four of the model's natural mix, then one where a
 * burst of posts the model labels with its rarest emotion makes the job raise a SPIKE; a post within the allowed
 * lateness makes that window re-fire (revision 1), a much later one becomes a LATE record of an earlier window.
 * The page must show, for the global scope and for a #topic# picked from its list, exactly the shares of the stats
 * records on the topic (newest revision plus LATE, never both revisions); the spike in its feed with the example
 * posts' texts; then the new version after {@code bin/emotion model activate}, a tampered version's refusal with
 * its reason, and a shadow beside the serving version after {@code model shadow}. Screenshots go to
 * {@code target/dashboard-it/}.
 *
 * <p>Skipped only when no Chromium is installed ({@code .ci/run} installs {@code chromium} and
 * {@code chromium-driver}); with {@code EMOTION_REQUIRE_BROWSER=true} (which {@code .ci/run} sets once they are
 * installed) a browser it cannot find fails the test instead.
 */
class DashboardIT {

    private static final String NAME = "tiny-emotion";
    private static final String TOPIC = "高考加油";
    private static final long MINUTE = 60_000L;
    private static final int PER_WINDOW = 40;
    private static final int SPIKE_POSTS = 80;
    private static final Duration TIMEOUT = Duration.ofSeconds(90);
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-it");

    @RegisterExtension
    static final MiniClusterExtension FLINK = MiniClusters.loopback(2);

    @RegisterExtension
    static final EmbeddedKafkaExtension KAFKA = new EmbeddedKafkaExtension();

    @Test
    void showsTheJobsWindowsItsSpikeWithTextsAndTheModelSwap(@TempDir Path store, @TempDir Path browserProfile) throws Exception {
        Path chromium = executable("CHROMIUM_BIN", "/usr/bin/chromium");
        Path chromedriver = executable("CHROMEDRIVER_BIN", "/usr/bin/chromedriver");

        TinyRecipe.trainAndPublish(store, NAME, "v1", 42L);
        TinyRecipe.trainAndPublish(store, NAME, "v2", 7L);
        Path v3 = TinyRecipe.trainAndPublish(store, NAME, "v3", 3L);
        TinyModelStoreBytes.flipOneByte(v3.resolve(EmotionModel.WEIGHTS));
        StoreModelSource model = StoreModelSource.resolve(store, NAME, "v1");
        String bootstrap = KAFKA.bootstrapServers();
        JobConfig config = PipelineFixture.config(bootstrap, "dashboard", model, false).with(Map.of(
                "watermark.out-of-orderness", "1s",
                // No partition may go idle while the other runs ahead (its posts would all come late): both get posts.
                "watermark.idleness", "30s",
                "window.late-flush-interval", "500ms",
                "alerts.warmup-windows", "3"));
        PipelineFixture.createTopics(bootstrap, config);

        // The spike's emotion: the one the model gives least often to the sample (among those it gives at all).
        List<String> texts = DemoPosts.load().stream().map(DemoPosts.SamplePost::content).toList();
        Map<String, List<String>> byLabel = labels(model.versionDir(), texts);
        String spikeEmotion = byLabel.entrySet().stream().filter(e -> e.getValue().size() >= 5)
                .min((a, b) -> Integer.compare(a.getValue().size(), b.getValue().size())).orElseThrow().getKey();
        System.out.println("DashboardIT: the tiny model's labels of the sample: " + byLabel.entrySet().stream()
                .map(e -> e.getKey() + " " + e.getValue().size()).collect(Collectors.joining(", ")) + "; spike of " + spikeEmotion);

        Map<String, String> sentTexts = new LinkedHashMap<>();
        long base = (System.currentTimeMillis() - 30 * MINUTE) / MINUTE * MINUTE;
        List<SocialPost> posts = new ArrayList<>();
        for (int w = 0; w <= 4; w++) {
            for (int i = 0; i < PER_WINDOW; i++) {
                String text = texts.get((w * PER_WINDOW + i) % texts.size());
                posts.add(post("w" + w + "-" + i, i % 4 == 0 ? "#" + TOPIC + "# " + text : text, base + w * MINUTE + i * 1_400L));
            }
        }
        List<String> spikeTexts = byLabel.get(spikeEmotion);
        for (int k = 0; k < SPIKE_POSTS; k++) {
            posts.add(post("spike-" + k, spikeTexts.get(k % spikeTexts.size()), base + 4 * MINUTE + 500 + k * 700L));
        }
        posts.forEach(p -> sentTexts.put(p.getId(), p.getText()));
        // On the topic before the job starts: both partitions have data from the first poll, none goes idle meanwhile.
        PipelineFixture.produce(bootstrap, config.postsTopic(), posts, List.of());

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        EmotionPipeline.configure(env, config);
        EmotionPipeline.build(env, config, KafkaConnectors.postsSource(config), model, KafkaConnectors.sinks(config));
        JobClient job = env.executeAsync("dashboard IT");
        Properties client = new Properties();
        client.put("bootstrap.servers", bootstrap);
        Dashboard dashboard = Dashboard.start(Dashboard.Settings.of(client, 0).withUpdateInterval(Duration.ofMillis(250))
                .withTopics(new DashboardTopics(config.postsTopic(), config.eventsTopic(), config.statsTopic(), config.alertsTopic(),
                        config.modelStatusTopic(), config.deadLetterTopic(), config.comparisonsTopic(), config.driftAlertsTopic())));
        WebDriver browser = browser(chromium, chromedriver, browserProfile);
        try {
            browser.get(dashboard.url());
            // Into both partitions: carries each one's watermark 20 s past the spike window, then stops there.
            List<SocialPost> ticks = new ArrayList<>();
            for (int i = 0; i <= 10; i++) {
                ticks.add(post("after-" + i, texts.get(i), base + 5 * MINUTE + i * 2_000L));
            }
            ticks.forEach(t -> List.of("-0", "-1").forEach(s -> sentTexts.put(t.getId() + s, t.getText())));
            produceToEveryPartition(bootstrap, config.postsTopic(), ticks, Duration.ofMillis(200));

            // The spike window fired on time and the detector raised its SPIKE.
            Output out = awaitOutput(config, o -> o.newest("global", base + 4 * MINUTE) != null
                    && o.spike("global", spikeEmotion) != null, "the spike window and its alert");
            EmotionAlert spike = out.spike("global", spikeEmotion);

            // A post within the allowed lateness (revision 1 of the spike window), one beyond it (LATE, window 1).
            List<SocialPost> late = List.of(post("late-rev", texts.get(3), base + 4 * MINUTE + 30_000L),
                    post("late-late", texts.get(4), base + MINUTE + 10_000L));
            late.forEach(p -> sentTexts.put(p.getId(), p.getText()));
            PipelineFixture.produce(bootstrap, config.postsTopic(), late, List.of());
            out = awaitOutput(config, o -> o.newest("global", base + 4 * MINUTE).getRevision() >= 1
                    && o.stats.stream().anyMatch(s -> s.getKind() == StatsKind.LATE && s.getScope().equals("global")),
                    "the spike window's revision 1 and a LATE record");

            // The chart shows exactly the topic's figures: global, then the picked #topic#.
            Output expected = out;
            awaitPage(browser, b -> chartMatches(b, expected.windows("global")), () -> "global chart vs the stats topic: "
                    + describe(expected.windows("global")) + "\n page: " + chartData(browser));
            assertTrue(expected.windows("global").get(base + 4 * MINUTE)[6] >= 1, "the re-fired window is shown with its revision");
            assertEquals(PER_WINDOW + SPIKE_POSTS + 1, total(expected.windows("global").get(base + 4 * MINUTE)),
                    "revision 1 replaced revision 0: the window counts each post once");
            assertEquals(PER_WINDOW + 1, total(expected.windows("global").get(base + MINUTE)), "window 1 plus its LATE post");
            assertEquals("1", browser.findElement(By.id("kpi-late")).getText(), "one late event");

            // The spike in the feed, with the texts of its example posts.
            awaitPage(browser, b -> !b.findElements(By.cssSelector(
                    "#alerts tr[data-kind='SPIKE'][data-emotion='" + spikeEmotion + "'][data-scope='global'] li.example")).isEmpty(),
                    () -> "the spike of " + spikeEmotion + " in the feed");
            WebElement row = browser.findElement(By.cssSelector("#alerts tr[data-kind='SPIKE'][data-emotion='" + spikeEmotion + "'][data-scope='global']"));
            List<String> shown = row.findElements(By.cssSelector("li.example")).stream().map(el -> shownText(el.getText())).toList();
            List<String> exampleTexts = spike.getExamplePostIds().stream().map(sentTexts::get).toList();
            assertFalse(exampleTexts.isEmpty(), "the alert names example posts");
            assertEquals(exampleTexts.stream().map(DashboardIT::shownText).toList(), shown, "the example posts' texts, in the alert's order");
            assertTrue(row.getText().contains(String.format(Locale.ROOT, "%.1f", spike.getScore())), "its z: " + row.getText());
            screenshot(browser, "dashboard-global.png");

            browser.findElement(By.cssSelector("#topics li[data-scope='topic:" + TOPIC + "']")).click();
            awaitPage(browser, b -> b.findElement(By.id("scope-title")).getText().equals("#" + TOPIC + "#")
                    && chartMatches(b, expected.windows("topic:" + TOPIC)), () -> "topic chart vs the stats topic: "
                    + describe(expected.windows("topic:" + TOPIC)) + "\n page: " + chartData(browser));
            screenshot(browser, "dashboard-topic.png");
            browser.findElement(By.cssSelector("#topics li[data-scope='global']")).click();

            // A model swap shows the new version; a tampered one its refusal with the reason.
            ModelHotSwapIT.SteadyProducer steady = new ModelHotSwapIT.SteadyProducer(bootstrap, config.postsTopic(),
                    steadyPosts(texts, base + 6 * MINUTE), 20);
            steady.start();
            try {
                String[] control = {"--bootstrap-servers", bootstrap, "--topic", config.modelControlTopic(), "--status-topic",
                        config.modelStatusTopic(), "--model-store", store.toString(), "--wait", "60"};
                assertEquals(0, PipelineFixture.modelCli(control, "activate", NAME, "v2"), "v2 ACTIVE on every subtask");
                awaitPage(browser, b -> servingVersions(b).equals(List.of(NAME + "/v2")) && subtasksOn(b, "v2") == 2,
                        () -> "the page shows v2 serving: " + browser.findElement(By.id("models")).getText());
                assertEquals(1, PipelineFixture.modelCli(control, "activate", "--no-local-check", NAME, "v3"), "the tampered v3 is refused");
                awaitPage(browser, b -> b.findElement(By.id("refusals")).getText().contains(NAME + "/v3")
                                && b.findElement(By.id("refusals")).getText().contains("sha256 mismatch"),
                        () -> "the refusal of v3: " + browser.findElement(By.id("refusals")).getText());
                assertEquals(List.of(NAME + "/v2"), servingVersions(browser), "v2 keeps serving");

                // A shadow is shown beside the serving version, never as it.
                assertEquals(0, PipelineFixture.modelCli(control, "shadow", NAME, "v1", "--fraction", "0.5"), "SHADOW v1 running on every subtask");
                awaitPage(browser, b -> b.findElements(By.cssSelector("#models .candidate[data-role='shadow']")).stream()
                                .anyMatch(c -> c.getText().startsWith("shadow 50% " + NAME + "/v1")),
                        () -> "the page shows the shadow: " + browser.findElement(By.id("models")).getText());
                assertEquals(List.of(NAME + "/v2"), servingVersions(browser), "v2 still serves");
            } finally {
                steady.stop();
            }
            screenshot(browser, "dashboard-after-swap.png");
            String body = browser.findElement(By.tagName("body")).getText();
            assertTrue(body.contains("情绪监测") && body.contains(TOPIC), "Chinese text on the page");
        } finally {
            browser.quit();
            dashboard.close();
            if (!job.getJobStatus().get(1, TimeUnit.MINUTES).isGloballyTerminalState()) {
                job.cancel().get(1, TimeUnit.MINUTES);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------------

    /** What the job committed on the stats and alerts topics (read_committed), as a downstream consumer reads it. */
    static final class Output {
        final List<EmotionStats> stats = new ArrayList<>();
        final List<EmotionAlert> alerts = new ArrayList<>();

        EmotionStats newest(String scope, long windowStart) {
            return stats.stream().filter(s -> s.getKind() == StatsKind.WINDOW && s.getScope().equals(scope)
                            && s.getWindowStart().toEpochMilli() == windowStart)
                    .max((a, b) -> Integer.compare(a.getRevision(), b.getRevision())).orElse(null);
        }

        EmotionAlert spike(String scope, String emotion) {
            return alerts.stream().filter(a -> a.getKind() == AlertKind.SPIKE && a.getScope().equals(scope)
                    && a.getEmotion().name().toLowerCase(Locale.ROOT).equals(emotion)).findFirst().orElse(null);
        }

        /** Window start -> {6 counts: newest WINDOW revision + every LATE record, then that revision}. */
        Map<Long, long[]> windows(String scope) {
            Map<Long, long[]> out = new TreeMap<>();
            for (EmotionStats s : stats) {
                if (s.getScope().equals(scope) && s.getKind() == StatsKind.WINDOW) {
                    EmotionStats n = newest(scope, s.getWindowStart().toEpochMilli());
                    long[] c = counts(n);
                    out.put(s.getWindowStart().toEpochMilli(), new long[] {c[0], c[1], c[2], c[3], c[4], c[5], n.getRevision()});
                }
            }
            for (EmotionStats s : stats) {
                if (s.getScope().equals(scope) && s.getKind() == StatsKind.LATE) {
                    long[] w = out.computeIfAbsent(s.getWindowStart().toEpochMilli(), k -> new long[] {0, 0, 0, 0, 0, 0, -1});
                    long[] c = counts(s);
                    for (int i = 0; i < 6; i++) {
                        w[i] += c[i];
                    }
                }
            }
            return out;
        }

        private static long[] counts(EmotionStats s) {
            var c = s.getCounts();
            return new long[] {c.getHappy(), c.getAngry(), c.getSad(), c.getFear(), c.getSurprise(), c.getNeutral()};
        }
    }

    private static Output read(JobConfig c) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA.bootstrapServers());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        AvroCodec<EmotionStats> stats = new AvroCodec<>(EmotionStats.class);
        AvroCodec<EmotionAlert> alerts = new AvroCodec<>(EmotionAlert.class);
        Output out = new Output();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (String topic : List.of(c.statsTopic(), c.alertsTopic())) {
                consumer.partitionsFor(topic).forEach(pi -> partitions.add(new TopicPartition(pi.topic(), pi.partition())));
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (r.topic().equals(c.statsTopic())) {
                        out.stats.add(stats.decode(r.value()));
                    } else {
                        out.alerts.add(alerts.decode(r.value()));
                    }
                }
            }
        }
        return out;
    }

    private static Output awaitOutput(JobConfig c, Predicate<Output> done, String what) throws Exception {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true) {
            Output out = read(c);
            if (done.test(out)) {
                return out;
            }
            if (System.nanoTime() > deadline) {
                fail("not within " + TIMEOUT + ": " + what + "; stats records: " + out.stats.stream()
                        .map(s -> String.format(Locale.ROOT, "%n  %s %s %s r%d total %d", s.getScope(), s.getKind(), s.getWindowStart(),
                                s.getRevision(), s.getTotal())).collect(Collectors.joining()) + "\nalerts " + out.alerts);
            }
            Thread.sleep(300);
        }
    }

    /** Whether every window of {@code expected} is drawn with exactly its counts and shares, and no other window. */
    private static boolean chartMatches(WebDriver browser, Map<Long, long[]> expected) {
        List<List<List<Number>>> series = chartData(browser);
        if (series.size() != 6) {
            return false;
        }
        for (int e = 0; e < 6; e++) {
            List<List<Number>> points = series.get(e);
            if (points.size() != expected.size()) {
                return false;
            }
            int i = 0;
            for (Map.Entry<Long, long[]> w : expected.entrySet()) {
                List<Number> pt = points.get(i++);
                long total = total(w.getValue());
                double share = total == 0 ? 0 : 100.0 * w.getValue()[e] / total;
                if (pt.get(0).longValue() != w.getKey() || pt.get(1).longValue() != w.getValue()[e]
                        || pt.get(2).longValue() != total || Math.abs(pt.get(3).doubleValue() - share) > 1e-9) {
                    return false;
                }
            }
        }
        return true;
    }

    /** What the chart draws: per emotion series, per window [start, count, total, share %]. */
    @SuppressWarnings("unchecked")
    private static List<List<List<Number>>> chartData(WebDriver browser) {
        Object data = ((JavascriptExecutor) browser).executeScript(
                "return window.dashboard.chart.getOption().series.map(s => s.data.map(d => [d.start, d.count, d.total, d.value]));");
        return (List<List<List<Number>>>) data;
    }

    private static List<String> servingVersions(WebDriver browser) {
        return browser.findElements(By.cssSelector("#models .serving .version")).stream().map(WebElement::getText).distinct().toList();
    }

    private static int subtasksOn(WebDriver browser, String version) {
        return browser.findElements(By.cssSelector("#models .serving")).stream()
                .filter(s -> s.findElement(By.cssSelector(".version")).getText().endsWith("/" + version))
                .mapToInt(s -> s.getText().replaceAll(".* on subtasks? ", "").split(",\\s*").length).sum();
    }

    private static void awaitPage(WebDriver browser, java.util.function.Function<WebDriver, Boolean> done,
                                  java.util.function.Supplier<String> what) {
        try {
            new WebDriverWait(browser, TIMEOUT, Duration.ofMillis(250)).until(done::apply);
        } catch (org.openqa.selenium.TimeoutException e) {
            screenshot(browser, "dashboard-failure.png");
            fail("the page did not show it within " + TIMEOUT + ": " + what.get());
        }
    }

    private static long total(long[] w) {
        long t = 0;
        for (int i = 0; i < 6; i++) {
            t += w[i];
        }
        return t;
    }

    private static String describe(Map<Long, long[]> windows) {
        return windows.entrySet().stream().map(e -> Instant.ofEpochMilli(e.getKey()) + " " + java.util.Arrays.toString(e.getValue()))
                .collect(Collectors.joining("; "));
    }

    /** As rendered: cut at 200 code points (as the dashboard keeps it), white space collapsed (as the browser shows it). */
    private static String shownText(String text) {
        String t = text.codePointCount(0, text.length()) <= 200 ? text : text.substring(0, text.offsetByCodePoints(0, 200)) + "…";
        return t.replaceAll("\\s+", " ").strip();
    }

    private static Map<String, List<String>> labels(Path versionDir, List<String> texts) {
        Map<String, List<String>> out = new TreeMap<>();
        try (EmotionModel m = EmotionModel.load(versionDir)) {
            List<Prediction> predictions = m.classify(texts);
            for (int i = 0; i < texts.size(); i++) {
                out.computeIfAbsent(predictions.get(i).emotion().label(), k -> new ArrayList<>()).add(texts.get(i));
            }
        }
        return out;
    }

    private static List<SocialPost> steadyPosts(List<String> texts, long from) {
        List<SocialPost> out = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            out.add(post("steady-" + i, texts.get(i % texts.size()), from + i * 50L));
        }
        return out;
    }

    /** Each post once into each of the posts topic's two partitions (ids suffixed -0, -1), {@code pause} apart. */
    private static void produceToEveryPartition(String bootstrap, String topic, List<SocialPost> posts, Duration pause) throws Exception {
        Properties p = new Properties();
        p.put("bootstrap.servers", bootstrap);
        p.put("acks", "all");
        AvroCodec<SocialPost> codec = new AvroCodec<>(SocialPost.class);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (SocialPost post : posts) {
                for (int partition = 0; partition < 2; partition++) {
                    SocialPost copy = SocialPost.newBuilder(post).setId(post.getId() + "-" + partition).build();
                    producer.send(new ProducerRecord<>(topic, partition, copy.getId().getBytes(StandardCharsets.UTF_8), codec.encode(copy))).get();
                }
                Thread.sleep(pause.toMillis());
            }
        }
    }

    private static SocialPost post(String id, String text, long createdAt) {
        return SocialPost.newBuilder().setId(id).setText(text).setCreatedAt(Instant.ofEpochMilli(createdAt)).setAuthorId(null)
                .setSource(null).build();
    }


    /** The browser binary, or skip (fail when EMOTION_REQUIRE_BROWSER=true: .ci/run found it, so a miss is a broken set-up). */
    private static Path executable(String env, String fallback) {
        Path p = Path.of(System.getenv().getOrDefault(env, fallback));
        if (!Files.isExecutable(p)) {
            if ("true".equals(System.getenv("EMOTION_REQUIRE_BROWSER"))) {
                fail(p + " is missing: .ci/run installs chromium and chromium-driver");
            }
            Assumptions.abort(p + " is not installed (apt-get install chromium chromium-driver): the browser test is skipped");
        }
        return p;
    }

    private static WebDriver browser(Path chromium, Path chromedriver, Path profile) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        // Headless and quiet: without these flags Chromium tries to reach Google's services.
        options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-quic",
                "--disable-default-apps", "--disable-extensions", "--no-first-run", "--no-default-browser-check",
                "--metrics-recording-only", "--user-data-dir=" + profile, "--window-size=1440,1500", "--lang=zh-CN");
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    private static void screenshot(WebDriver browser, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
            byte[] png = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
            Files.write(SCREENSHOTS.resolve(name), png);
            System.out.println("DashboardIT: screenshot " + SCREENSHOTS.resolve(name).toAbsolutePath());
        } catch (Exception e) {
            System.err.println("DashboardIT: no screenshot " + name + ": " + e);
        }
    }

    /** Corrupts a published file the way a bad copy does: the checksums must catch it. */
    private static final class TinyModelStoreBytes {
        static void flipOneByte(Path file) throws java.io.IOException {
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length / 2] ^= 0x01;
            Files.write(file, bytes);
        }
    }
}
