package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Where handlers run (loop or worker threads, custom factories and executors) and how loops share connections. */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class ServerDispatchThreadsTest {

    private SluiceServer server;
    private ExecutorService executor;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.stop();
        }
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private static SluiceServer.Builder threadNameRoutes(SluiceServer.Builder builder) {
        return builder
                .route(Route.of("GET", "/loop", request -> HttpResponse.text(Thread.currentThread().getName()))
                        .dispatch(Dispatch.EVENT_LOOP))
                .get("/worker", request -> HttpResponse.text(Thread.currentThread().getName()))
                .get("/stream", request -> HttpResponse.status(200).stream(out ->
                        out.write(Thread.currentThread().getName().getBytes(StandardCharsets.UTF_8))));
    }

    private SluiceServer start(SluiceServer.Builder builder) throws IOException {
        server = threadNameRoutes(builder).build();
        server.start();
        return server;
    }

    private String fetch(String path) throws IOException {
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            RawHttpClient.Response response = client.exchange(get(path));
            assertThat(response.status()).isEqualTo(200);
            return response.bodyText();
        }
    }

    @Test
    void loopHandlersRunOnLoopThreadsAndOthersOnWorkers() throws Exception {
        start(testServer());
        assertThat(fetch("/loop")).startsWith("sluice-loop-");
        assertThat(fetch("/worker")).startsWith("sluice-worker-");
        assertThat(fetch("/stream")).as("body writers run on workers").startsWith("sluice-worker-");
    }

    @Test
    void customWorkerThreadFactoryMakesTheWorkers() throws Exception {
        AtomicInteger made = new AtomicInteger();
        start(testServer().workerThreadFactory(runnable -> {
            Thread thread = new Thread(runnable, "custom-worker-" + made.getAndIncrement());
            thread.setDaemon(true);
            return thread;
        }));
        assertThat(fetch("/worker")).startsWith("custom-worker-");
        assertThat(fetch("/stream")).startsWith("custom-worker-");
        assertThat(fetch("/loop")).startsWith("sluice-loop-");
        assertThat(made.get()).isPositive();
    }

    @Test
    void customWorkerExecutorRunsHandlersAndOutlivesTheServer() throws Exception {
        AtomicInteger tasks = new AtomicInteger();
        executor = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "my-executor");
            thread.setDaemon(true);
            return thread;
        });
        start(testServer().workerExecutor(task -> {
            tasks.incrementAndGet();
            executor.execute(task);
        }));
        assertThat(fetch("/worker")).isEqualTo("my-executor");
        assertThat(fetch("/stream")).isEqualTo("my-executor");
        assertThat(fetch("/loop")).startsWith("sluice-loop-");
        assertThat(tasks.get()).isGreaterThanOrEqualTo(2);

        server.stop();
        assertThat(executor.isShutdown()).as("the server never shuts a supplied executor down").isFalse();
        server.start();
        assertThat(fetch("/worker")).isEqualTo("my-executor");
    }

    @Test
    void rejectingExecutorAnswers503() throws Exception {
        start(testServer().workerExecutor(task -> {
            throw new java.util.concurrent.RejectedExecutionException("full");
        }));
        try (RawHttpClient client = new RawHttpClient(server.port(), 5_000)) {
            RawHttpClient.Response response = client.exchange(get("/worker"));
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("1");
            // The connection stays usable.
            assertThat(client.exchange(get("/loop")).status()).isEqualTo(200);
        }
        assertThat(server.stats().rejectedTasks()).isEqualTo(1);
    }

    @Test
    void withReusePortConnectionsSpreadOverBothLoops() throws Exception {
        start(testServer().eventLoops(2).reusePort(true));
        assertThat(loopsSeenOver(200)).containsExactly("sluice-loop-0", "sluice-loop-1");
    }

    @Test
    void withoutReusePortTwoLoopsShareOneListener() throws Exception {
        start(testServer().eventLoops(2).reusePort(false));
        assertThat(loopsSeenOver(20)).containsExactly("sluice-loop-0", "sluice-loop-1");
        assertThat(fetch("/worker")).startsWith("sluice-worker-");
    }

    /** Loop threads that served {@code /loop} over up to {@code connections} new connections (stops once both are seen). */
    private Set<String> loopsSeenOver(int connections) throws IOException {
        Set<String> loops = new TreeSet<>();
        for (int i = 0; i < connections && loops.size() < 2; i++) {
            loops.add(fetch("/loop"));
        }
        return loops;
    }
}
