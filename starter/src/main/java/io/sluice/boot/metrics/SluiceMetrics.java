package io.sluice.boot.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.sluice.server.ServerStats;
import io.sluice.server.SluiceServer;
import io.sluice.server.WebSocketStats;
import io.sluice.transport.CloseReason;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The meters of one Sluice server: connections, bytes, requests in flight, event-loop queues, selector
 * rebuilds, WebSocket sessions and messages, and the worker pool through {@link ExecutorServiceMetrics}
 * ({@code executor.*} meters tagged {@code name=sluice.worker} and nothing else, as Boot tags its own
 * executors).
 *
 * <p>The engine only counts; every meter here reads those counters when the registry asks, so the
 * request path never calls Micrometer. Meters read 0 while the server is not running. The meters of one
 * scrape share a {@link ServerStats} snapshot taken at most {@link #SNAPSHOT_MAX_AGE} earlier.
 *
 * <p>Bind it once the server has started, as the auto-configuration does on
 * {@code ApplicationStartedEvent}: the event loops and the port (a tag the caller passes) are known only
 * then. Micrometer holds the objects behind function meters weakly, so keep this binder reachable for as
 * long as its meters should report.
 */
public final class SluiceMetrics implements MeterBinder {

    /** How long the meters of a scrape reuse one snapshot of the engine's counters. */
    public static final Duration SNAPSHOT_MAX_AGE = Duration.ofMillis(100);

    /** The {@code name} tag of the worker pool's {@code executor.*} meters. */
    public static final String WORKER_EXECUTOR_NAME = "sluice.worker";

    /** Not one of Micrometer's {@link BaseUnits}; Prometheus shows it as the {@code _requests} suffix. */
    static final String REQUESTS = "requests";

    private static final Logger log = LoggerFactory.getLogger(SluiceMetrics.class);

    /**
     * The close codes a session can end with, each its own {@code code} tag value: the codes of RFC 6455
     * that appear in close frames or are reported locally (1005 no status, 1006 no close frame). The
     * reserved 1004 and the TLS-only 1015 never occur; every other code is tagged {@code other}.
     */
    private static final int[] CLOSE_CODES = {1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011,
            1012, 1013, 1014};
    /** The engine's key for close codes outside 1000-1015. */
    private static final int OTHER_CLOSE_CODES = -1;

    private final Supplier<SluiceServer> server;
    private final Executor workerExecutor;
    private final Tags tags;
    /** Strong references to what the function meters read, one per registry bound. */
    private final List<StatsReader> readers = new CopyOnWriteArrayList<>();

    /**
     * @param server         the server to measure, looked up on every snapshot; {@code null} while none runs
     * @param workerExecutor the executor the server runs handlers on, or {@code null}; measured when it is an
     *                       {@link ExecutorService} Micrometer understands (a {@code ThreadPoolExecutor}, a
     *                       {@code ForkJoinPool})
     * @param tags           tags of every {@code sluice.*} meter, typically {@code port}
     */
    public SluiceMetrics(Supplier<SluiceServer> server, Executor workerExecutor, Iterable<Tag> tags) {
        this.server = Objects.requireNonNull(server, "server");
        this.workerExecutor = workerExecutor;
        this.tags = Tags.of(tags);
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        StatsReader stats = new StatsReader(server, registry.config().clock(), SNAPSHOT_MAX_AGE.toNanos());
        readers.add(stats);
        bindConnections(registry, stats);
        counter(registry, stats, "sluice.data.received", BaseUnits.BYTES, "Bytes read from sockets",
                ServerStats::bytesRead);
        counter(registry, stats, "sluice.data.sent", BaseUnits.BYTES, "Bytes written to sockets",
                ServerStats::bytesWritten);
        gauge(registry, stats, "sluice.requests.active", REQUESTS, "Requests received and not yet answered",
                ServerStats::requestsActive);
        bindEventLoops(registry, stats);
        bindWebSockets(registry, stats);
        bindWorkers(registry);
    }

    private void bindConnections(MeterRegistry registry, StatsReader stats) {
        gauge(registry, stats, "sluice.connections.active", BaseUnits.CONNECTIONS,
                "Open connections, including those lingering after the server closed them",
                ServerStats::connectionsActive);
        counter(registry, stats, "sluice.connections.accepted", BaseUnits.CONNECTIONS, "Connections accepted",
                ServerStats::connectionsAccepted);
        counter(registry, stats, "sluice.connections.rejected", BaseUnits.CONNECTIONS,
                "Connections closed at once because the connection limit was reached",
                ServerStats::connectionsRejected);
        for (CloseReason reason : CloseReason.values()) {
            FunctionCounter.builder("sluice.connections.closed", stats, s -> s.read(all -> all.connectionsClosed(reason)))
                    .tags(tags).tag("reason", tagValue(reason))
                    .baseUnit(BaseUnits.CONNECTIONS).description("Connections closed, by reason")
                    .register(registry);
        }
    }

    private void bindEventLoops(MeterRegistry registry, StatsReader stats) {
        counter(registry, stats, "sluice.selector.rebuilds", BaseUnits.EVENTS,
                "Selectors replaced because they kept waking up without events or failed",
                ServerStats::selectorRebuilds);
        SluiceServer running = server.get();
        if (running == null) {
            log.debug("No Sluice server yet: binding no per-loop meters");
            return;
        }
        for (int loop = 0; loop < running.config().eventLoops(); loop++) {
            int index = loop;
            Gauge.builder("sluice.loop.tasks.pending", stats, s -> s.read(all -> pendingTasks(all, index)))
                    .tags(tags).tag("loop", Integer.toString(loop))
                    .baseUnit(BaseUnits.TASKS).description("Tasks waiting in an event loop's queue")
                    .register(registry);
        }
    }

    private void bindWebSockets(MeterRegistry registry, StatsReader stats) {
        gauge(registry, stats, "sluice.websocket.sessions.active", BaseUnits.SESSIONS, "Open WebSocket sessions",
                s -> s.webSocket().sessionsActive());
        counter(registry, stats, "sluice.websocket.sessions.opened", BaseUnits.SESSIONS,
                "WebSocket handshakes accepted", s -> s.webSocket().sessionsOpened());
        for (int code : CLOSE_CODES) {
            closedSessions(registry, stats, Integer.toString(code), code);
        }
        closedSessions(registry, stats, "other", OTHER_CLOSE_CODES);
        messages(registry, stats, "sluice.websocket.messages.received", "WebSocket messages received",
                WebSocketStats::textMessagesIn, WebSocketStats::binaryMessagesIn);
        messages(registry, stats, "sluice.websocket.messages.sent", "WebSocket messages sent",
                WebSocketStats::textMessagesOut, WebSocketStats::binaryMessagesOut);
    }

    private void closedSessions(MeterRegistry registry, StatsReader stats, String tag, int code) {
        FunctionCounter.builder("sluice.websocket.sessions.closed", stats,
                        s -> s.read(all -> all.webSocket().sessionsClosed(code)))
                .tags(tags).tag("code", tag)
                .baseUnit(BaseUnits.SESSIONS).description("WebSocket sessions closed, by close code")
                .register(registry);
    }

    private void messages(MeterRegistry registry, StatsReader stats, String name, String description,
            ToDoubleFunction<WebSocketStats> text, ToDoubleFunction<WebSocketStats> binary) {
        FunctionCounter.builder(name, stats, s -> s.read(all -> text.applyAsDouble(all.webSocket())))
                .tags(tags).tag("type", "text").baseUnit(BaseUnits.MESSAGES).description(description)
                .register(registry);
        FunctionCounter.builder(name, stats, s -> s.read(all -> binary.applyAsDouble(all.webSocket())))
                .tags(tags).tag("type", "binary").baseUnit(BaseUnits.MESSAGES).description(description)
                .register(registry);
    }

    private void bindWorkers(MeterRegistry registry) {
        if (workerExecutor instanceof ExecutorService workers) {
            // Tagged like every other executor (Boot binds applicationTaskExecutor with the name alone):
            // Prometheus refuses a meter whose tag keys differ from those of another meter of the same name.
            new ExecutorServiceMetrics(workers, WORKER_EXECUTOR_NAME, Tags.empty()).bindTo(registry);
        } else if (workerExecutor != null) {
            log.debug("Worker executor {} is not an ExecutorService; no executor meters", workerExecutor);
        }
    }

    private void gauge(MeterRegistry registry, StatsReader stats, String name, String unit, String description,
            ToDoubleFunction<ServerStats> value) {
        Gauge.builder(name, stats, s -> s.read(value)).tags(tags).baseUnit(unit).description(description)
                .register(registry);
    }

    private void counter(MeterRegistry registry, StatsReader stats, String name, String unit, String description,
            ToDoubleFunction<ServerStats> value) {
        FunctionCounter.builder(name, stats, s -> s.read(value)).tags(tags).baseUnit(unit).description(description)
                .register(registry);
    }

    private static double pendingTasks(ServerStats stats, int loop) {
        int[] pending = stats.pendingTasksPerLoop();
        return loop < pending.length ? pending[loop] : 0;
    }

    /** {@code IDLE_TIMEOUT} → {@code idle-timeout}: Micrometer's lower-case style for tag values. */
    static String tagValue(CloseReason reason) {
        return reason.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
