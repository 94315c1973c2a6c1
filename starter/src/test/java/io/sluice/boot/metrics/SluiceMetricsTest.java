package io.sluice.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MockClock;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.search.RequiredSearch;
import io.micrometer.core.instrument.simple.SimpleConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.api.HttpResponse;
import io.sluice.boot.metrics.WebSocketEcho.Echo;
import io.sluice.boot.metrics.WebSocketEcho.EchoClient;
import io.sluice.server.SluiceServer;
import io.sluice.transport.CloseReason;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The meters of a real server on 127.0.0.1 after known traffic. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class SluiceMetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int REQUESTS = 5;

    private final ThreadPoolExecutor workers = new ThreadPoolExecutor(4, 4, 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(100));
    private final CountDownLatch slowEntered = new CountDownLatch(1);
    private final CountDownLatch slowRelease = new CountDownLatch(1);
    private final ExecutorService testThreads = Executors.newSingleThreadExecutor();
    private SluiceServer server;

    @AfterEach
    void stop() {
        slowRelease.countDown();
        if (server != null) {
            server.stop();
        }
        testThreads.shutdownNow();
        workers.shutdownNow();
    }

    @Test
    void metersMatchTheTrafficThatHappened() throws Exception {
        server = startServer(2);
        String port = Integer.toString(server.port());
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SluiceMetrics metrics = new SluiceMetrics(() -> server, workers, Tags.of("port", port));
        metrics.bindTo(registry);

        try (RawHttpConnection http = new RawHttpConnection(server.port())) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(http.get("/hello")).isEqualTo(200);
            }
            await(counter(registry, "sluice.data.received"), http.bytesSent());
            await(counter(registry, "sluice.data.sent"), http.bytesReceived());
            assertThat(gauge(registry, "sluice.connections.active").getAsDouble()).isEqualTo(1);
            assertThat(counter(registry, "sluice.connections.accepted").getAsDouble()).isEqualTo(1);

            Future<Integer> slow = testThreads.submit(() -> http.get("/slow"));
            assertThat(slowEntered.await(10, TimeUnit.SECONDS)).isTrue();
            await(gauge(registry, "sluice.requests.active"), 1);
            slowRelease.countDown();
            assertThat(slow.get(10, TimeUnit.SECONDS)).isEqualTo(200);
            await(gauge(registry, "sluice.requests.active"), 0);

            EchoClient echo = EchoClient.connect(server.port());
            await(gauge(registry, "sluice.websocket.sessions.active"), 1);
            await(gauge(registry, "sluice.connections.active"), 2);
            echo.exchange();

            // The limit is two connections, both in use: a third is closed at once.
            try (RawHttpConnection third = new RawHttpConnection(server.port())) {
                assertThat(third.closedByServer()).isTrue();
            }
            await(counter(registry, "sluice.connections.rejected"), 1);

            echo.close();
        }

        await(gauge(registry, "sluice.connections.active"), 0);
        await(closed(registry, "completed"), 1); // the WebSocket close handshake
        await(closed(registry, "peer-closed"), 1); // the HTTP connection the client closed
        for (String reason : List.of("idle-timeout", "request-timeout", "write-timeout", "protocol-error", "io-error",
                "shutdown")) {
            assertThat(closed(registry, reason).getAsDouble()).as(reason).isZero();
        }
        assertThat(counter(registry, "sluice.connections.accepted").getAsDouble()).isEqualTo(2);
        await(gauge(registry, "sluice.websocket.sessions.active"), 0);
        assertThat(counter(registry, "sluice.websocket.sessions.opened").getAsDouble()).isEqualTo(1);
        await(wsClosed(registry, "1000"), 1);
        assertThat(wsClosed(registry, "other").getAsDouble()).isZero();
        assertThat(messages(registry, "received", "text").getAsDouble()).isEqualTo(EchoClient.TEXTS);
        assertThat(messages(registry, "received", "binary").getAsDouble()).isEqualTo(EchoClient.BINARIES);
        assertThat(messages(registry, "sent", "text").getAsDouble()).isEqualTo(EchoClient.TEXTS);
        assertThat(messages(registry, "sent", "binary").getAsDouble()).isEqualTo(EchoClient.BINARIES);
        assertThat(counter(registry, "sluice.selector.rebuilds").getAsDouble()).isZero();

        assertThat(registry.find("sluice.loop.tasks.pending").gauges()).extracting(g -> g.getId().getTag("loop"))
                .containsExactlyInAnyOrder("0", "1");
        // Requests and WebSocket callbacks ran on the worker pool, which is measured as an executor.
        await(() -> registry.get("executor.completed").tag("name", "sluice.worker").functionCounter().count(),
                workers.getCompletedTaskCount());
        assertThat(workers.getCompletedTaskCount()).isGreaterThanOrEqualTo(REQUESTS + 1);
        assertThat(registry.get("executor.pool.max").tag("name", "sluice.worker").gauge().value()).isEqualTo(4);

        List<Meter> ours = registry.getMeters().stream().filter(m -> m.getId().getName().startsWith("sluice."))
                .toList();
        assertThat(ours).allSatisfy(m -> assertThat(m.getId().getTag("port")).isEqualTo(port));
        // Executor meters carry the tag keys of every other executor's, or Prometheus would refuse them.
        assertThat(registry.find("executor.completed").tag("name", "sluice.worker").functionCounter().getId().getTags())
                .extracting(Tag::getKey).containsExactly("name");
        assertThat(ours.stream().map(m -> m.getId().getName()).collect(Collectors.toSet())).containsExactlyInAnyOrder(
                "sluice.connections.active", "sluice.connections.accepted", "sluice.connections.rejected",
                "sluice.connections.closed", "sluice.data.received", "sluice.data.sent", "sluice.requests.active",
                "sluice.loop.tasks.pending", "sluice.selector.rebuilds", "sluice.websocket.sessions.active",
                "sluice.websocket.sessions.opened", "sluice.websocket.sessions.closed",
                "sluice.websocket.messages.received", "sluice.websocket.messages.sent");
    }

    @Test
    void metersReadZeroOnceTheServerStops() throws Exception {
        server = startServer(2);
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SluiceMetrics(() -> server, null, Tags.of("port", Integer.toString(server.port()))).bindTo(registry);
        try (RawHttpConnection http = new RawHttpConnection(server.port())) {
            assertThat(http.get("/hello")).isEqualTo(200);
            await(counter(registry, "sluice.connections.accepted"), 1);
        }
        server.stop();

        await(counter(registry, "sluice.connections.accepted"), 0);
        assertThat(counter(registry, "sluice.data.received").getAsDouble()).isZero();
        assertThat(registry.find("executor.completed").meters()).isEmpty();
    }

    @Test
    void withoutAServerEveryMeterReadsZero() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        new SluiceMetrics(() -> null, null, Tags.empty()).bindTo(registry);

        assertThat(gauge(registry, "sluice.connections.active").getAsDouble()).isZero();
        assertThat(counter(registry, "sluice.connections.accepted").getAsDouble()).isZero();
        assertThat(wsClosed(registry, "1000").getAsDouble()).isZero();
        assertThat(registry.find("sluice.loop.tasks.pending").meters()).isEmpty();
    }

    @Test
    void theMetersOfOneScrapeShareASnapshot() throws Exception {
        server = startServer(1);
        MockClock clock = new MockClock();
        SimpleMeterRegistry registry = new SimpleMeterRegistry(SimpleConfig.DEFAULT, clock);
        new SluiceMetrics(() -> server, null, Tags.empty()).bindTo(registry);
        DoubleSupplier accepted = counter(registry, "sluice.connections.accepted");
        assertThat(accepted.getAsDouble()).isZero();

        try (RawHttpConnection http = new RawHttpConnection(server.port())) {
            assertThat(http.get("/hello")).isEqualTo(200);
            assertThat(server.stats().connectionsAccepted()).isEqualTo(1);

            assertThat(accepted.getAsDouble()).as("within the snapshot's age").isZero();
            assertThat(gauge(registry, "sluice.connections.active").getAsDouble()).isZero();
            clock.add(SluiceMetrics.SNAPSHOT_MAX_AGE);
            assertThat(accepted.getAsDouble()).isEqualTo(1);
            assertThat(gauge(registry, "sluice.connections.active").getAsDouble()).isEqualTo(1);
        }
    }

    @Test
    void closeReasonTagsAreLowerCaseWithHyphens() {
        assertThat(SluiceMetrics.tagValue(CloseReason.PEER_CLOSED)).isEqualTo("peer-closed");
        assertThat(SluiceMetrics.tagValue(CloseReason.SHUTDOWN)).isEqualTo("shutdown");
    }

    private SluiceServer startServer(int eventLoops) throws Exception {
        SluiceServer started = SluiceServer.builder()
                .address("127.0.0.1")
                .port(0)
                .eventLoops(eventLoops)
                .maxConnections(2)
                .workerExecutor(workers)
                .lingerTimeout(Duration.ZERO)
                .get("/hello", request -> HttpResponse.text("hello"))
                .get("/slow", request -> {
                    slowEntered.countDown();
                    slowRelease.await();
                    return HttpResponse.text("finally");
                })
                .webSocket("/echo", new Echo())
                .build();
        started.start();
        return started;
    }

    private static DoubleSupplier gauge(SimpleMeterRegistry registry, String name) {
        RequiredSearch search = registry.get(name);
        return () -> search.gauge().value();
    }

    private static DoubleSupplier counter(SimpleMeterRegistry registry, String name) {
        RequiredSearch search = registry.get(name);
        return () -> search.functionCounter().count();
    }

    private static DoubleSupplier closed(SimpleMeterRegistry registry, String reason) {
        return () -> registry.get("sluice.connections.closed").tag("reason", reason).functionCounter().count();
    }

    private static DoubleSupplier wsClosed(SimpleMeterRegistry registry, String code) {
        return () -> registry.get("sluice.websocket.sessions.closed").tag("code", code).functionCounter().count();
    }

    private static DoubleSupplier messages(SimpleMeterRegistry registry, String direction, String type) {
        return () -> registry.get("sluice.websocket.messages." + direction).tag("type", type).functionCounter().count();
    }

    /** Polls a meter until it reads {@code expected}; meters reuse a snapshot for 0.1 s, so it takes a few polls. */
    private static void await(DoubleSupplier meter, double expected) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        double last = meter.getAsDouble();
        while (last != expected) {
            if (System.nanoTime() - deadline > 0) {
                fail("Meter still reads " + last + " after " + WAIT.toSeconds() + " s; expected " + expected);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            last = meter.getAsDouble();
        }
    }
}
