package com.emotionmonitor.cli;

import com.emotionmonitor.bench.DashboardBench;
import com.emotionmonitor.tools.DemoPosts;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.flink.util.TimeUtils;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bin/emotion bench dashboard}: is the page still responsive at 1,000 posts/s, with bounded memory? */
@Command(name = "dashboard", mixinStandardHelpOptions = true,
        description = "Feed the dashboard's state at --rate posts/s for --duration (posts, events, stats of every scope, revisions,"
                + " LATE records, alerts, model reports, dead letters) with the real server pushing to --pages event streams;"
                + " report heap, updates received per page and server time per update. A table, then one JSON line.")
public final class BenchDashboardCommand implements Callable<Integer> {

    @Option(names = "--rate", defaultValue = "1000", description = "Posts per second (default ${DEFAULT-VALUE}).") double rate;
    @Option(names = "--duration", defaultValue = "60s", description = "(default ${DEFAULT-VALUE})") String duration;
    @Option(names = "--speedup", defaultValue = "60",
            description = "Event time per wall-clock time: 60 fills the hour of history in a minute (default ${DEFAULT-VALUE}).")
    int speedup;
    @Option(names = "--topics", defaultValue = "2000", description = "Distinct hashtags, Zipf-like (default ${DEFAULT-VALUE}).") int topics;
    @Option(names = "--pages", defaultValue = "2", description = "Event-stream clients: global, then a topic (default ${DEFAULT-VALUE}).") int pages;
    @Option(names = "--update-interval", defaultValue = "500ms", description = "(default ${DEFAULT-VALUE})") String updateInterval;

    @Override
    public Integer call() throws Exception {
        Duration d = TimeUtils.parseDuration(duration);
        Duration interval = TimeUtils.parseDuration(updateInterval);
        if (rate <= 0 || speedup < 1 || topics < 1 || pages < 1) {
            System.err.println("bench dashboard: --rate > 0, --speedup, --topics and --pages >= 1");
            return 2;
        }
        var texts = DemoPosts.load().stream().map(DemoPosts.SamplePost::content).toList();
        DashboardBench.Result r = new DashboardBench(new DashboardBench.Settings(rate, d, speedup, topics, pages, interval), texts).run();
        System.out.printf(Locale.ROOT, "fed %,d posts (%,d records) in %s: %.0f posts/s, %.2f us of state per post%n",
                r.postsFed(), r.recordsFed(), d, r.postsPerSecondFed(), r.feedMicrosPerPost());
        System.out.printf(Locale.ROOT, "heap: max %.0f MB while running, %.0f MB after a GC at the end; held: %,d texts, %d topics,"
                + " %,d windows (%,d topics evicted)%n", r.heapMaxMb(), r.heapAfterGcMb(), r.textsHeld(), r.topicsHeld(),
                r.windowsHeld(), r.evictedTopics());
        System.out.printf(Locale.ROOT, "server: %d updates built; build+serialize p50 %.2f / p99 %.2f / max %.2f ms; send p50 %.2f / p99 %.2f / max %.2f ms%n",
                r.updatesBuilt(), r.buildMs()[0], r.buildMs()[1], r.buildMs()[2], r.sendMs()[0], r.sendMs()[1], r.sendMs()[2]);
        for (DashboardBench.Page p : r.pages()) {
            System.out.printf(Locale.ROOT, "page %-12s %d updates, %.2f/s, longest gap %d ms, %,d chars each%n",
                    p.scope(), p.updates(), p.updatesPerSecond(), p.longestGapMs(), p.meanChars());
        }
        System.out.println(new ObjectMapper().writeValueAsString(r));
        return 0;
    }
}
