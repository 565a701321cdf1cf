package com.emotionmonitor.dashboard.web;

import com.emotionmonitor.dashboard.state.DashboardState;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import java.util.function.Supplier;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The dashboard's web server, on 127.0.0.1 only: the page ({@code /}, from the jar), ECharts from its WebJar
 * ({@code /lib/echarts.min.js}; nothing is loaded from elsewhere), the current state as JSON
 * ({@code /api/snapshot?scope=global}), the throttled updates as server-sent events ({@code /api/updates?scope=...},
 * event {@code update}) and the feed's health ({@code /api/health}).
 */
public final class DashboardServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";
    private static final int MAX_PAGES = 32;

    private final Javalin app;

    /** @param health what {@code /api/health} reports, as JSON (reading every topic, the feed's failure) */
    public DashboardServer(int port, UpdatePublisher publisher, Supplier<String> health) {
        byte[] echarts = WebJarAsset.read(WebJarAsset.path("org.webjars.npm", "echarts", "dist/echarts.min.js"));
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.host = HOST;
            config.jetty.port = port;
            config.jetty.threadPool = new QueuedThreadPool(MAX_PAGES + 8, 2, 60_000);
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/dashboard";
                files.location = Location.CLASSPATH;
            });
            config.routes.get("/lib/echarts.min.js", ctx -> ctx.contentType("text/javascript")
                    .header("Cache-Control", "max-age=86400").result(echarts));
            config.routes.get("/api/snapshot", ctx -> ctx.contentType("application/json")
                    .result(publisher.render(scope(ctx.queryParam("scope")))));
            config.routes.get("/api/health", ctx -> ctx.contentType("application/json").result(health.get()));
            config.routes.sse("/api/updates", client -> {
                if (publisher.clients() >= MAX_PAGES) {
                    client.sendEvent("refused", "too many pages open (" + MAX_PAGES + ")");
                    client.close();
                    return;
                }
                client.keepAlive();
                UpdatePublisher.Channel channel = publisher.connect(scope(client.ctx().queryParam("scope")),
                        update -> {
                            client.sendEvent("update", update);
                            if (client.terminated()) {
                                throw new IllegalStateException("page gone");
                            }
                        });
                client.onClose(() -> publisher.disconnect(channel));
            });
        }).start();
    }

    static String scope(String requested) {
        return requested == null || requested.isBlank() ? DashboardState.GLOBAL : requested;
    }

    /** The port it listens on (the one asked for, or the free one taken for port 0). */
    public int port() {
        return app.port();
    }

    public String url() {
        return "http://" + HOST + ":" + port() + "/";
    }

    @Override
    public void close() {
        app.stop();
    }
}
