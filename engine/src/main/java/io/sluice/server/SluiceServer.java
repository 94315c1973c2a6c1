package io.sluice.server;

import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpHandler;
import io.sluice.api.Route;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketRoute;
import io.sluice.http.RequestError;
import io.sluice.routing.Router;
import io.sluice.transport.CloseReason;
import io.sluice.transport.Counters;
import io.sluice.transport.EventLoop;
import io.sluice.transport.Transport;
import io.sluice.transport.TransportConfig;
import io.sluice.transport.TransportCounter;
import io.sluice.websocket.HandshakeOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP/1.1 server: N event loops, each owning a selector and its connections, and a pool of workers
 * for handlers that block.
 *
 * <pre>{@code
 * SluiceServer server = SluiceServer.builder()
 *         .port(8080)
 *         .route(Route.of("GET", "/hello", request -> HttpResponse.text("Hello")).dispatch(Dispatch.EVENT_LOOP))
 *         .get("/users/{id}", request -> HttpResponse.json(repository.find(request.pathVariable("id"))))
 *         .build();
 * server.start();
 * }</pre>
 *
 * <p>{@link #start()} binds; {@link #stop()} closes everything at once; {@link #shutdownGracefully}
 * stops accepting, lets requests in flight finish and reports whether it got idle in time. A stopped
 * server can be started again.
 */
public final class SluiceServer {

    private static final Logger log = LoggerFactory.getLogger(SluiceServer.class);

    private final ServerConfig config;
    private final Router<Route> router;
    private final Router<Route> fallbacks;
    private final Router<WebSocketRoute> webSockets;
    private final Map<WebSocketRoute, HandshakeOptions> handshakeOptions;
    private final String allowAll;
    private final Executor suppliedWorkers;
    private final ThreadFactory workerThreadFactory;
    private final ExchangeHandler fallback;

    private Transport transport;
    private ExecutorService ownedWorkers;
    private HttpRuntime runtime;
    private Counters[] httpCounters = new Counters[0];
    private CompletableFuture<Boolean> shutdown;

    private SluiceServer(Builder builder, Router<Route> router, Router<Route> fallbacks,
            Router<WebSocketRoute> webSockets, Map<WebSocketRoute, HandshakeOptions> handshakeOptions,
            String allowAll) {
        this.config = new ServerConfig(builder);
        this.router = router;
        this.fallbacks = fallbacks;
        this.webSockets = webSockets;
        this.handshakeOptions = handshakeOptions;
        this.allowAll = allowAll;
        this.suppliedWorkers = builder.workers;
        this.workerThreadFactory = builder.workerThreadFactory;
        this.fallback = builder.fallback;
    }

    public static Builder builder() {
        return new Builder();
    }

    public ServerConfig config() {
        return config;
    }

    /**
     * Binds the address and starts the loops; does nothing when already running.
     *
     * @throws IOException when the address cannot be bound, e.g. {@link java.net.BindException} for a
     *                     port in use; the server is then stopped and may be started again
     */
    public synchronized void start() throws IOException {
        if (transport != null) {
            return;
        }
        Executor workers = suppliedWorkers;
        ExecutorService owned = null;
        if (workers == null) {
            owned = newWorkerPool();
            workers = owned;
        }
        HttpRuntime started = new HttpRuntime(config, router, fallbacks, webSockets, handshakeOptions, allowAll,
                workers, fallback);
        Counters[] counters = new Counters[config.eventLoops];
        InetSocketAddress address = config.address == null ? new InetSocketAddress(config.port)
                : new InetSocketAddress(config.address, config.port);
        try {
            transport = Transport.start(transportConfig(), address, config.eventLoops, loopThreads(), loop -> {
                Counters loopCounters = new Counters(HttpCounter.SIZE);
                counters[loop.index()] = loopCounters;
                return connection -> new HttpConnection(connection, started, loopCounters);
            });
        } catch (IOException | RuntimeException e) {
            if (owned != null) {
                owned.shutdownNow();
            }
            throw e;
        }
        ownedWorkers = owned;
        runtime = started;
        httpCounters = counters;
        shutdown = null;
        log.info("Sluice started on port {} (http) with {} event loops{}", transport.port(), config.eventLoops,
                transport.usesReusePort() ? " and SO_REUSEPORT" : "");
    }

    /** The bound port, or -1 when not running. */
    public synchronized int port() {
        return transport == null ? -1 : transport.port();
    }

    public synchronized boolean isRunning() {
        return transport != null;
    }

    /**
     * Stops accepting connections, closes idle ones, and lets requests in flight finish; their responses
     * carry {@code Connection: close}. The server stops when the last connection closes or when
     * {@code gracePeriod} passes, whichever is first.
     *
     * @return completes with {@code true} when every connection finished in time, {@code false} when
     *     the grace period ran out or {@link #stop()} was called first
     */
    public synchronized CompletableFuture<Boolean> shutdownGracefully(Duration gracePeriod) {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        return drain(gracePeriod);
    }

    /**
     * Like {@link #shutdownGracefully(Duration)} without a grace period: the requests in flight may take as
     * long as they take, unless {@link #stop()} ends the wait (for a caller that bounds it itself, such as
     * Spring Boot's shutdown phase).
     */
    public synchronized CompletableFuture<Boolean> shutdownGracefully() {
        return drain(null);
    }

    private CompletableFuture<Boolean> drain(Duration gracePeriod) {
        if (transport == null) {
            return CompletableFuture.completedFuture(true);
        }
        if (shutdown != null) {
            return shutdown;
        }
        CompletableFuture<Boolean> result = new CompletableFuture<>();
        shutdown = result;
        Transport draining = transport;
        runtime.draining = true;
        CompletableFuture<Boolean> idle = new CompletableFuture<>();
        draining.drain().thenRun(() -> idle.complete(true));
        if (gracePeriod != null) {
            log.info("Commencing graceful shutdown; waiting up to {} for active requests to complete", gracePeriod);
            idle.completeOnTimeout(false, gracePeriod.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            log.info("Commencing graceful shutdown; waiting for active requests to complete");
        }
        idle.thenAccept(inTime -> {
            // Stop on a thread of our own (not a loop that is about to be stopped), then report.
            Thread stopper = new Thread(() -> {
                if (inTime) {
                    log.info("Graceful shutdown complete");
                } else {
                    log.info("Graceful shutdown ended with requests still active");
                }
                // Completes the result once stopped; does nothing if stop() got there first (and
                // completes it with false itself).
                stop(draining, inTime);
            }, "sluice-shutdown");
            stopper.start();
        });
        return result;
    }

    /** Closes every connection and stops the loops now. Idempotent. */
    public void stop() {
        Transport running;
        synchronized (this) {
            running = transport;
        }
        if (running != null) {
            stop(running, false);
        }
    }

    /**
     * @param outcome what a pending graceful shutdown completes with once the loops have stopped:
     *                whether it went idle in time, or {@code false} for {@link #stop()}
     */
    private void stop(Transport target, boolean outcome) {
        ExecutorService workers;
        CompletableFuture<Boolean> pendingShutdown;
        synchronized (this) {
            if (transport != target) {
                return;
            }
            workers = ownedWorkers;
            pendingShutdown = shutdown;
            transport = null;
            ownedWorkers = null;
            httpCounters = new Counters[0];
        }
        try {
            if (!target.stop(10_000)) {
                log.warn("Event loops did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        log.info("Sluice stopped");
        if (pendingShutdown != null) {
            pendingShutdown.complete(outcome);
        }
    }

    /** Counters since the last start; zeros when never started. */
    public ServerStats stats() {
        Transport current;
        Counters[] http;
        synchronized (this) {
            current = transport;
            http = httpCounters;
        }
        EventLoop[] loops = current == null ? new EventLoop[0] : current.loops();
        long[] transportTotals = new long[TransportCounter.SIZE];
        int[] pendingTasks = new int[loops.length];
        for (int i = 0; i < loops.length; i++) {
            Counters counters = loops[i].counters();
            for (int c = 0; c < transportTotals.length; c++) {
                transportTotals[c] += counters.get(c);
            }
            pendingTasks[i] = loops[i].pendingTasks();
        }
        long[] httpTotals = new long[HttpCounter.SIZE];
        for (Counters counters : http) {
            if (counters != null) {
                for (int c = 0; c < httpTotals.length; c++) {
                    httpTotals[c] += counters.get(c);
                }
            }
        }
        Map<CloseReason, Long> closed = new EnumMap<>(CloseReason.class);
        for (CloseReason reason : CloseReason.values()) {
            closed.put(reason, transportTotals[TransportCounter.closed(reason)]);
        }
        Map<RequestError, Long> errors = new EnumMap<>(RequestError.class);
        for (RequestError error : RequestError.values()) {
            errors.put(error, httpTotals[HttpCounter.error(error)]);
        }
        long[] responses = new long[5];
        for (int i = 0; i < 5; i++) {
            responses[i] = httpTotals[HttpCounter.RESPONSES_1XX + i];
        }
        return new ServerStats(transportTotals[TransportCounter.ACTIVE], transportTotals[TransportCounter.ACCEPTED],
                transportTotals[TransportCounter.REJECTED], closed, httpTotals[HttpCounter.ACTIVE],
                httpTotals[HttpCounter.REQUESTS], responses, errors, httpTotals[HttpCounter.HANDLER_ERRORS],
                httpTotals[HttpCounter.REJECTED_TASKS], transportTotals[TransportCounter.BYTES_READ],
                transportTotals[TransportCounter.BYTES_WRITTEN], pendingTasks,
                transportTotals[TransportCounter.SELECTOR_REBUILDS], webSocketStats(httpTotals));
    }

    private static WebSocketStats webSocketStats(long[] totals) {
        Map<Integer, Long> closed = new java.util.TreeMap<>();
        for (int code = 1000; code <= 1015; code++) {
            long count = totals[HttpCounter.webSocketClosed(code)];
            if (count > 0) {
                closed.put(code, count);
            }
        }
        if (totals[HttpCounter.WS_CLOSED_OTHER] > 0) {
            closed.put(-1, totals[HttpCounter.WS_CLOSED_OTHER]);
        }
        return new WebSocketStats(totals[HttpCounter.WS_ACTIVE], totals[HttpCounter.WS_OPENED], closed,
                totals[HttpCounter.WS_MESSAGES_IN], totals[HttpCounter.WS_MESSAGES_IN + 1],
                totals[HttpCounter.WS_BYTES_IN], totals[HttpCounter.WS_BYTES_IN + 1],
                totals[HttpCounter.WS_MESSAGES_OUT], totals[HttpCounter.WS_MESSAGES_OUT + 1],
                totals[HttpCounter.WS_BYTES_OUT], totals[HttpCounter.WS_BYTES_OUT + 1]);
    }

    private TransportConfig transportConfig() {
        return new TransportConfig(config.readBufferSize, config.writeBufferSize, config.highWaterMark,
                config.lowWaterMark, config.writeTimeout.toMillis(), config.lingerTimeout.toMillis(),
                config.acceptBacklog, config.reusePort, config.maxConnections, config.tcpNoDelay);
    }

    private ExecutorService newWorkerPool() {
        ThreadFactory factory = workerThreadFactory != null ? workerThreadFactory : namedThreads("sluice-worker-", true);
        return new ThreadPoolExecutor(config.workerThreads, config.workerThreads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(config.maxQueuedTasks), factory, new ThreadPoolExecutor.AbortPolicy());
    }

    private static ThreadFactory loopThreads() {
        // Non-daemon: a running server keeps the JVM alive, as Boot's embedded servers do.
        return namedThreads("sluice-loop-", false);
    }

    private static ThreadFactory namedThreads(String prefix, boolean daemon) {
        AtomicInteger sequence = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + sequence.getAndIncrement());
            thread.setDaemon(daemon);
            return thread;
        };
    }

    /** Configures a {@link SluiceServer}. Every setting has a safe default. */
    public static final class Builder {

        InetAddress address;
        int port = 8080;
        int eventLoops = Runtime.getRuntime().availableProcessors();
        int workerThreads = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());
        int maxQueuedTasks = 10_000;
        Executor workers;
        ThreadFactory workerThreadFactory;
        int maxConnections = 16_384;
        int maxRequestLineLength = 8192;
        int maxHeaderSize = 8192;
        int maxHeaderCount = 100;
        long maxBodySize = 1024 * 1024;
        int maxChunkLineLength = 4096;
        int maxPipelinedRequests = 64;
        int highWaterMark = 64 * 1024;
        int lowWaterMark = 32 * 1024;
        Duration headerTimeout = Duration.ofSeconds(20);
        Duration idleTimeout = Duration.ofSeconds(60);
        Duration bodyTimeout = Duration.ofSeconds(30);
        Duration writeTimeout = Duration.ofSeconds(30);
        Duration lingerTimeout = Duration.ofSeconds(2);
        String serverHeader = "Sluice";
        boolean reusePort = true;
        boolean tcpNoDelay = true;
        int acceptBacklog = 1024;
        int readBufferSize = 64 * 1024;
        int writeBufferSize = 64 * 1024;
        private final List<Route> routes = new ArrayList<>();
        private final List<Route> fallbackRoutes = new ArrayList<>();
        private final List<WebSocketRoute> webSocketRoutes = new ArrayList<>();
        WebSocketOptions webSocketOptions = WebSocketOptions.defaults();
        ExchangeHandler fallback;

        private Builder() {
        }

        /** Address to bind (default: all interfaces). */
        public Builder address(InetAddress address) {
            this.address = address;
            return this;
        }

        /** Host name or literal address to bind. */
        public Builder address(String host) {
            try {
                this.address = host == null ? null : InetAddress.getByName(host);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("address: unknown host " + host, e);
            }
            return this;
        }

        /** Port to bind, 0 for any free port (default 8080). */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port must be between 0 and 65535 (was " + port + ")");
            }
            this.port = port;
            return this;
        }

        /** Number of event loops (default: available processors). */
        public Builder eventLoops(int eventLoops) {
            this.eventLoops = Settings.positive("eventLoops", eventLoops);
            return this;
        }

        /** Threads of the built-in worker pool (default: max(8, 2 × processors)). */
        public Builder workerThreads(int workerThreads) {
            this.workerThreads = Settings.positive("workerThreads", workerThreads);
            return this;
        }

        /** Tasks the built-in worker pool queues before answering 503 (default 10,000). */
        public Builder maxQueuedTasks(int maxQueuedTasks) {
            this.maxQueuedTasks = Settings.positive("maxQueuedTasks", maxQueuedTasks);
            return this;
        }

        /**
         * Runs worker handlers on {@code executor} instead of the built-in pool; the server never shuts
         * it down. A {@link java.util.concurrent.RejectedExecutionException} answers 503.
         */
        public Builder workerExecutor(Executor executor) {
            this.workers = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Creates the built-in pool's threads with {@code factory}, e.g. a virtual-thread factory; the
         * pool stays bounded by {@link #workerThreads} and {@link #maxQueuedTasks}.
         */
        public Builder workerThreadFactory(ThreadFactory factory) {
            this.workerThreadFactory = Objects.requireNonNull(factory, "factory");
            return this;
        }

        /** Open connections above which new ones are closed at once (default 16,384). */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = Settings.positive("maxConnections", maxConnections);
            return this;
        }

        /** Longest request line in bytes; longer gets 414 (default 8 KiB). */
        public Builder maxRequestLineLength(int bytes) {
            this.maxRequestLineLength = Settings.positive("maxRequestLineLength", bytes);
            return this;
        }

        /** Largest header section in bytes; larger gets 431 (default 8 KiB). */
        public Builder maxHeaderSize(int bytes) {
            this.maxHeaderSize = Settings.positive("maxHeaderSize", bytes);
            return this;
        }

        /** Most header fields; more gets 431 (default 100). */
        public Builder maxHeaderCount(int count) {
            this.maxHeaderCount = Settings.positive("maxHeaderCount", count);
            return this;
        }

        /** Largest request body in bytes; larger gets 413, from Content-Length before reading (default 1 MiB). */
        public Builder maxBodySize(long bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("maxBodySize must be > 0 (was " + bytes + ")");
            }
            this.maxBodySize = bytes;
            return this;
        }

        /** Requests a connection may have in flight (pipelined) before it stops reading (default 64). */
        public Builder maxPipelinedRequests(int requests) {
            this.maxPipelinedRequests = Settings.positive("maxPipelinedRequests", requests);
            return this;
        }

        /** Queued output per connection above which it stops reading, and below which it resumes (64/32 KiB). */
        public Builder writeBufferWaterMarks(int low, int high) {
            Settings.positive("writeBufferWaterMarks.low", low);
            Settings.positive("writeBufferWaterMarks.high", high);
            if (low > high) {
                throw new IllegalArgumentException("writeBufferWaterMarks: low (" + low + ") must not exceed high (" + high + ")");
            }
            this.lowWaterMark = low;
            this.highWaterMark = high;
            return this;
        }

        /** Time from a request's first byte to the end of its head; then 408 (default 20 s). */
        public Builder headerTimeout(Duration timeout) {
            this.headerTimeout = Settings.positive("headerTimeout", timeout);
            return this;
        }

        /** Time a keep-alive connection may wait for its next request (default 60 s). */
        public Builder idleTimeout(Duration timeout) {
            this.idleTimeout = Settings.positive("idleTimeout", timeout);
            return this;
        }

        /** Time a request body may go without a byte arriving; then 408 (default 30 s). */
        public Builder bodyTimeout(Duration timeout) {
            this.bodyTimeout = Settings.positive("bodyTimeout", timeout);
            return this;
        }

        /** Time queued output may make no progress before the connection is closed (default 30 s). */
        public Builder writeTimeout(Duration timeout) {
            this.writeTimeout = Settings.positive("writeTimeout", timeout);
            return this;
        }

        /**
         * Time a connection the server closes keeps draining input after its last response, so a peer
         * still sending reads that response instead of a reset (default 2 s; zero turns it off).
         */
        public Builder lingerTimeout(Duration timeout) {
            Objects.requireNonNull(timeout, "lingerTimeout");
            if (timeout.isNegative()) {
                throw new IllegalArgumentException("lingerTimeout must not be negative (was " + timeout + ")");
            }
            this.lingerTimeout = timeout;
            return this;
        }

        /** Value of the {@code Server} header; {@code null} or empty sends none (default "Sluice"). */
        public Builder serverHeader(String serverHeader) {
            if (serverHeader != null) {
                for (int i = 0; i < serverHeader.length(); i++) {
                    char c = serverHeader.charAt(i);
                    if (c < 0x20 || c >= 0x7F) {
                        throw new IllegalArgumentException("serverHeader must be printable ASCII");
                    }
                }
            }
            this.serverHeader = serverHeader;
            return this;
        }

        /** One listening socket per loop with SO_REUSEPORT where supported (default true). */
        public Builder reusePort(boolean reusePort) {
            this.reusePort = reusePort;
            return this;
        }

        public Builder tcpNoDelay(boolean tcpNoDelay) {
            this.tcpNoDelay = tcpNoDelay;
            return this;
        }

        /** Listen backlog (default 1024). */
        public Builder acceptBacklog(int backlog) {
            this.acceptBacklog = Settings.positive("acceptBacklog", backlog);
            return this;
        }

        public Builder route(Route route) {
            routes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /**
         * A route tried only for requests that would otherwise get 404: no route and no WebSocket endpoint
         * matches their path, for any method. Static files and a single-page application's index are
         * served this way, so they never shadow the application's own routes, and a path that routes
         * serve for other methods still gets 405. Fallback routes are matched among themselves by the
         * usual rules; a request they match by path but not by method gets the 404 it would have had
         * without them.
         */
        public Builder fallbackRoute(Route route) {
            fallbackRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** A WebSocket endpoint; an upgrade request to its path opens a session. */
        public Builder webSocket(WebSocketRoute route) {
            webSocketRoutes.add(Objects.requireNonNull(route, "route"));
            return this;
        }

        /** A WebSocket endpoint whose callbacks run on workers. */
        public Builder webSocket(String path, WebSocketHandler handler) {
            return webSocket(WebSocketRoute.of(path, handler));
        }

        /** WebSocket limits, pings, compression and allowed origins (default {@link WebSocketOptions#defaults()}). */
        public Builder webSocketOptions(WebSocketOptions options) {
            this.webSocketOptions = Objects.requireNonNull(options, "options");
            return this;
        }

        /**
         * Hands every request that no route or WebSocket endpoint matches, whatever its method and
         * path, to {@code handler} instead of answering 404 or 405: the whole URI space a framework
         * such as WebFlux expects. Its exchanges stream both bodies and keep the server's order,
         * limits, timeouts and graceful shutdown; the handler runs on the event loop.
         */
        public Builder fallback(ExchangeHandler handler) {
            this.fallback = Objects.requireNonNull(handler, "handler");
            return this;
        }

        public Builder routes(Iterable<Route> routes) {
            routes.forEach(this::route);
            return this;
        }

        /** A GET route on workers (it also answers HEAD). */
        public Builder get(String path, HttpHandler handler) {
            return route(Route.of("GET", path, handler));
        }

        public Builder post(String path, HttpHandler handler) {
            return route(Route.of("POST", path, handler));
        }

        public Builder put(String path, HttpHandler handler) {
            return route(Route.of("PUT", path, handler));
        }

        public Builder delete(String path, HttpHandler handler) {
            return route(Route.of("DELETE", path, handler));
        }

        public Builder patch(String path, HttpHandler handler) {
            return route(Route.of("PATCH", path, handler));
        }

        /**
         * Validates the routes and builds the server (not yet started).
         *
         * @throws IllegalArgumentException for an invalid or duplicate route
         */
        public SluiceServer build() {
            java.util.SortedSet<String> methods = new java.util.TreeSet<>();
            methods.add("OPTIONS");
            Router<Route> router = compile(routes, methods);
            Router<Route> fallbacks = fallbackRoutes.isEmpty() ? null : compile(fallbackRoutes, methods);
            Router<WebSocketRoute> webSocketRouter = null;
            Map<WebSocketRoute, HandshakeOptions> handshakes = new java.util.IdentityHashMap<>();
            if (!webSocketRoutes.isEmpty()) {
                webSocketRouter = new Router<>();
                for (WebSocketRoute route : webSocketRoutes) {
                    webSocketRouter.add("GET", route.path(), route);
                    handshakes.put(route, HttpRuntime.handshakeOptionsOf(route, webSocketOptions));
                }
                webSocketRouter.freeze();
            }
            return new SluiceServer(this, router, fallbacks, webSocketRouter, handshakes, String.join(", ", methods));
        }

        /** A frozen router of {@code routes}; adds their methods (and HEAD wherever GET is) to {@code methods}. */
        private static Router<Route> compile(List<Route> routes, java.util.Set<String> methods) {
            Router<Route> router = new Router<>();
            for (Route route : routes) {
                router.add(route.method(), route.path(), route);
                methods.add(route.method());
                if (route.method().equals("GET")) {
                    methods.add("HEAD");
                }
            }
            router.freeze();
            return router;
        }

    }
}
