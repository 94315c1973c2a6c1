package io.sluice.server;

import io.sluice.api.Dispatch;
import io.sluice.api.Headers;
import io.sluice.api.WebSocketClosedException;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.http.QueryParameters;
import io.sluice.websocket.CloseCodes;
import io.sluice.websocket.DeflateInflater;
import io.sluice.websocket.MessageDeflater;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The application's side of a WebSocket: thread-safe sends that are handed to the owning loop in
 * batches (one wakeup and one write for many messages), writability from a byte count with high and
 * low water marks, and ordered callbacks with inbound backpressure, either to the handler or to a
 * {@link Flow.Subscriber} with demand.
 */
final class ServerWebSocketSession implements WebSocketSession {

    private static final Logger log = LoggerFactory.getLogger(ServerWebSocketSession.class);
    private static final AtomicLong SEQUENCE = new AtomicLong();

    /** What the handshake settled, handed to the connection that takes over. */
    record Handshake(String path, Map<String, String> pathVariables, Headers headers, QueryParameters query,
            String subprotocol, MessageDeflater deflater, DeflateInflater inflater, InetSocketAddress remoteAddress) {
    }

    private final WebSocketConnection connection;
    private final WebSocketHandler handler;
    private final Handshake handshake;
    private final String id = Long.toString(SEQUENCE.incrementAndGet(), 36);
    private final Map<String, Object> attributes = new ConcurrentHashMap<>();
    private final Executor callbacks;
    private final WebSocketOptions options;
    private final long highWaterMark;
    private final long lowWaterMark;

    private volatile boolean open = true;

    // Outbound: sends from other threads wait here until the loop drains them in one task.
    private final Queue<Runnable> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean outboxScheduled = new AtomicBoolean();
    private final AtomicLong outstandingBytes = new AtomicLong();
    private volatile boolean unwritable;
    private final Queue<CompletableFuture<Void>> writabilityWaiters = new ConcurrentLinkedQueue<>();

    // Inbound: messages handed to callbacks or buffered for the subscriber, and not yet processed.
    private final AtomicInteger inboundQueued = new AtomicInteger();
    private final AtomicBoolean readingPausedForInbound = new AtomicBoolean();
    private final MessagePublisher publisher = new MessagePublisher();

    ServerWebSocketSession(WebSocketConnection connection, WebSocketRoute route, Handshake handshake, Executor workers,
            WebSocketOptions options, long highWaterMark, long lowWaterMark) {
        this.connection = connection;
        this.handler = route.handler();
        this.handshake = handshake;
        this.options = options;
        this.highWaterMark = highWaterMark;
        this.lowWaterMark = lowWaterMark;
        this.callbacks = route.dispatch() == Dispatch.EVENT_LOOP ? new LoopExecutor()
                : new SerialExecutor(workers, this::callbacksRejected);
    }

    WebSocketHandler handler() {
        return handler;
    }

    // ---------------------------------------------------------------- WebSocketSession

    @Override
    public String id() {
        return id;
    }

    @Override
    public String path() {
        return handshake.path();
    }

    @Override
    public Map<String, String> pathVariables() {
        return handshake.pathVariables();
    }

    @Override
    public QueryParameters query() {
        return handshake.query();
    }

    @Override
    public Headers handshakeHeaders() {
        return handshake.headers();
    }

    @Override
    public String subprotocol() {
        return handshake.subprotocol();
    }

    @Override
    public Map<String, Object> attributes() {
        return attributes;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return handshake.remoteAddress();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public CompletionStage<Void> sendText(CharSequence text) {
        return send(WebSocketMessage.text(text));
    }

    @Override
    public CompletionStage<Void> sendBinary(byte[] data) {
        return send(WebSocketMessage.binary(data));
    }

    @Override
    public CompletionStage<Void> send(WebSocketMessage message) {
        Objects.requireNonNull(message, "message");
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!open) {
            done.completeExceptionally(new ClosedChannelException());
            return done;
        }
        reserve(message.data().length);
        onLoop(() -> connection.writeMessage(message, done));
        return done;
    }

    @Override
    public CompletionStage<Void> ping(byte[] payload) {
        Objects.requireNonNull(payload, "payload");
        if (payload.length > 125) {
            throw new IllegalArgumentException("A ping payload is at most 125 bytes (was " + payload.length + ")");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> connection.writePing(payload, done));
        return done;
    }

    @Override
    public CompletionStage<Void> close(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("Not a close code an application may send: " + code);
        }
        Objects.requireNonNull(reason, "reason");
        if (reason.getBytes(StandardCharsets.UTF_8).length > 123) {
            throw new IllegalArgumentException("A close reason is at most 123 UTF-8 bytes");
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        onLoop(() -> connection.startClose(code, reason, done));
        return done;
    }

    @Override
    public boolean isWritable() {
        return !unwritable;
    }

    @Override
    public CompletionStage<Void> whenWritable() {
        if (!unwritable || !open) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> waiter = new CompletableFuture<>();
        writabilityWaiters.add(waiter);
        if (!unwritable || !open) {
            wakeWriters();
        }
        return waiter;
    }

    @Override
    public Flow.Publisher<WebSocketMessage> receive() {
        return publisher;
    }

    @Override
    public CompletionStage<Void> sendAll(Flow.Publisher<WebSocketMessage> messages) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        messages.subscribe(new Flow.Subscriber<>() {
            private Flow.Subscription subscription;
            private CompletionStage<Void> last = CompletableFuture.completedFuture(null);

            @Override
            public void onSubscribe(Flow.Subscription subscription) {
                this.subscription = subscription;
                requestWhenWritable();
            }

            @Override
            public void onNext(WebSocketMessage message) {
                last = send(message);
                last.whenComplete((ok, failure) -> {
                    if (failure != null && result.completeExceptionally(failure)) {
                        subscription.cancel();
                    }
                });
                requestWhenWritable();
            }

            private void requestWhenWritable() {
                whenWritable().thenRun(() -> {
                    if (!result.isDone()) {
                        subscription.request(1);
                    }
                });
            }

            @Override
            public void onError(Throwable failure) {
                result.completeExceptionally(failure);
            }

            @Override
            public void onComplete() {
                last.whenComplete((ok, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(null);
                    }
                });
            }
        });
        return result;
    }

    @Override
    public String toString() {
        return "WebSocketSession[" + id + " " + handshake.path() + "]";
    }

    // ---------------------------------------------------------------- outbound plumbing

    /**
     * Runs a send, ping or close on the loop, in call order. On the loop it runs at once only when its
     * bytes will leave with a flush that is coming anyway: this session's own read (an echo) or a batch.
     * A send from the loop to another session, the typical broadcast, joins the outbox instead, so that
     * everything that session receives during this loop iteration is written with one system call at the
     * end of the iteration (where the loop runs its tasks) rather than one per message.
     */
    private void onLoop(Runnable operation) {
        if (outbox.isEmpty() && connection.loop().inLoop() && connection.flushesLater()) {
            operation.run();
            return;
        }
        outbox.add(operation);
        if (outboxScheduled.compareAndSet(false, true)) {
            connection.loop().execute(this::drainOutbox);
        }
    }

    /** On the loop: every queued send in one go, then one flush. */
    private void drainOutbox() {
        outboxScheduled.set(false);
        connection.beginBatch();
        try {
            Runnable operation;
            while ((operation = outbox.poll()) != null) {
                operation.run();
            }
        } finally {
            connection.endBatch();
        }
    }

    private void reserve(long bytes) {
        if (outstandingBytes.addAndGet(bytes) > highWaterMark && !unwritable) {
            unwritable = true;
        }
    }

    /** Bytes of earlier sends have been written (or dropped): maybe writable again. */
    void released(long bytes) {
        if (outstandingBytes.addAndGet(-bytes) < lowWaterMark && unwritable) {
            unwritable = false;
            wakeWriters();
        }
    }

    private void wakeWriters() {
        // Completing a waiter may run a producer that sends until the session is unwritable again and
        // registers a new waiter; that one must wait for the next transition, not be completed here.
        CompletableFuture<Void> waiter;
        while ((!unwritable || !open) && (waiter = writabilityWaiters.poll()) != null) {
            waiter.complete(null);
        }
    }

    /** No more sends are possible (a close frame went out or came in). */
    void closedForSending() {
        open = false;
        wakeWriters();
    }

    // ---------------------------------------------------------------- inbound plumbing (from the loop)

    void dispatchOpen() {
        callbacks.execute(() -> invoke(() -> handler.onOpen(this)));
    }

    // A message is the subscriber's once receive() has a subscriber. With workers, onOpen (where one
    // usually subscribes) runs after the loop may already have routed the first messages to the
    // handler's queue; those tasks hand them to the subscriber instead, and until that queue is empty
    // the loop keeps routing through it, so the subscriber sees every message in arrival order.
    void dispatchText(String text) {
        if (publisher.subscribed() && inboundQueued.get() == 0) {
            publisher.offer(WebSocketMessage.text(text));
            return;
        }
        enqueued();
        callbacks.execute(() -> {
            try {
                if (publisher.subscribed()) {
                    publisher.takeRouted(WebSocketMessage.text(text));
                } else {
                    invoke(() -> handler.onText(this, text));
                }
            } finally {
                processed();
            }
        });
    }

    void dispatchBinary(byte[] data) {
        if (publisher.subscribed() && inboundQueued.get() == 0) {
            publisher.offer(WebSocketMessage.binary(data));
            return;
        }
        enqueued();
        callbacks.execute(() -> {
            try {
                if (publisher.subscribed()) {
                    publisher.takeRouted(WebSocketMessage.binary(data));
                } else {
                    invoke(() -> handler.onBinary(this, data));
                }
            } finally {
                processed();
            }
        });
    }

    void dispatchPong(byte[] payload) {
        callbacks.execute(() -> invoke(() -> handler.onPong(this, payload)));
    }

    void dispatchError(Throwable error) {
        callbacks.execute(() -> {
            try {
                handler.onError(this, error);
            } catch (RuntimeException e) {
                log.warn("onError of {} failed", this, e);
            }
        });
    }

    void dispatchClose(int code, String reason) {
        open = false;
        wakeWriters();
        publisher.terminate(code, reason);
        callbacks.execute(() -> {
            try {
                handler.onClose(this, code, reason);
            } catch (Exception e) {
                log.warn("onClose of {} failed", this, e);
            }
        });
    }

    /** Whether reading is paused because the application has not caught up with received messages. */
    boolean inboundBacklogged() {
        return readingPausedForInbound.get();
    }

    /** The workers refused this session's callbacks (queue full, shutting down): give up on it. */
    private void callbacksRejected() {
        log.warn("Workers rejected the callbacks of {}; closing it with 1013 (try again later)", this);
        if (open) {
            close(CloseCodes.TRY_AGAIN_LATER, "Server overloaded");
        }
    }

    private void enqueued() {
        if (inboundQueued.incrementAndGet() > options.maxQueuedMessages()
                && readingPausedForInbound.compareAndSet(false, true)) {
            connection.pauseReading();
        }
    }

    private void processed() {
        if (inboundQueued.decrementAndGet() <= options.maxQueuedMessages() / 2
                && readingPausedForInbound.compareAndSet(true, false)) {
            connection.loop().execute(connection::resumeReading);
        }
    }

    @FunctionalInterface
    private interface Callback {
        void run() throws Exception;
    }

    private void invoke(Callback callback) {
        try {
            callback.run();
        } catch (Throwable t) {
            log.error("WebSocket handler of {} failed; closing it with 1011", this, t);
            try {
                handler.onError(this, t);
            } catch (RuntimeException e) {
                log.warn("onError of {} failed", this, e);
            }
            if (open) {
                close(CloseCodes.INTERNAL_ERROR, "");
            }
        }
    }

    /** Runs callbacks of EVENT_LOOP endpoints inline when already on the loop. */
    private final class LoopExecutor implements Executor {
        @Override
        public void execute(Runnable task) {
            if (connection.loop().inLoop()) {
                task.run();
            } else {
                connection.loop().execute(task);
            }
        }
    }

    /**
     * The session's messages as a {@link Flow.Publisher}: delivered on the callback executor, only
     * against demand; while there is none, the socket is not read.
     */
    private final class MessagePublisher implements Flow.Publisher<WebSocketMessage>, Flow.Subscription {

        private final Queue<WebSocketMessage> buffered = new ConcurrentLinkedQueue<>();
        private final AtomicLong demand = new AtomicLong();
        private volatile Flow.Subscriber<? super WebSocketMessage> subscriber;
        private volatile boolean cancelled;
        private volatile Throwable failure;
        private volatile boolean completed;
        private boolean draining;
        private boolean terminated;
        private final AtomicBoolean taken = new AtomicBoolean();

        boolean subscribed() {
            return subscriber != null && !cancelled;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super WebSocketMessage> candidate) {
            Objects.requireNonNull(candidate, "subscriber");
            if (!taken.compareAndSet(false, true)) {
                candidate.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                    }

                    @Override
                    public void cancel() {
                    }
                });
                candidate.onError(new IllegalStateException("A session's messages can be received by one subscriber"));
                return;
            }
            subscriber = candidate;
            callbacks.execute(() -> {
                candidate.onSubscribe(this);
                drain();
            });
        }

        @Override
        public void request(long n) {
            if (n <= 0) {
                failure = new IllegalArgumentException("Flow §3.9: request(n) needs n > 0, was " + n);
                cancelled = true;
                callbacks.execute(this::drain);
                return;
            }
            demand.accumulateAndGet(n, (current, added) -> current + added < 0 ? Long.MAX_VALUE : current + added);
            callbacks.execute(this::drain);
        }

        @Override
        public void cancel() {
            cancelled = true;
            buffered.clear();
            resumeIfPaused();
        }

        /**
         * On the callback executor: a message the loop routed to the handler before the subscription
         * existed. Its read already happened, so there is no reading to pause; the handler queue's
         * accounting (enqueued/processed) covers it.
         */
        void takeRouted(WebSocketMessage message) {
            buffered.add(message);
            drain();
        }

        /** From the loop: a message for the subscriber. */
        void offer(WebSocketMessage message) {
            buffered.add(message);
            if ((demand.get() == 0 || buffered.size() > options.maxQueuedMessages())
                    && readingPausedForInbound.compareAndSet(false, true)) {
                connection.pauseReading();
            }
            callbacks.execute(this::drain);
        }

        /** From the loop: the session closed. */
        void terminate(int code, String reason) {
            if (code == CloseCodes.NORMAL || code == CloseCodes.GOING_AWAY || code == CloseCodes.NO_STATUS) {
                completed = true;
            } else {
                failure = new WebSocketClosedException(code, reason);
            }
            if (subscriber != null) {
                callbacks.execute(this::drain);
            }
        }

        /** On the callback executor (serial), never re-entered. */
        private void drain() {
            Flow.Subscriber<? super WebSocketMessage> target = subscriber;
            if (draining || target == null || terminated) {
                return;
            }
            draining = true;
            try {
                while (!cancelled && demand.get() > 0) {
                    WebSocketMessage next = buffered.poll();
                    if (next == null) {
                        break;
                    }
                    demand.decrementAndGet();
                    try {
                        target.onNext(next);
                    } catch (Throwable t) {
                        log.error("Subscriber of {} failed; closing the session", ServerWebSocketSession.this, t);
                        cancelled = true;
                        close(CloseCodes.INTERNAL_ERROR, "");
                    }
                }
                if (buffered.isEmpty() && !cancelled) {
                    if (failure != null) {
                        terminated = true;
                        target.onError(failure);
                    } else if (completed) {
                        terminated = true;
                        target.onComplete();
                    }
                } else if (cancelled && failure != null && !terminated) {
                    terminated = true;
                    target.onError(failure);
                }
                if (buffered.isEmpty() || demand.get() > 0) {
                    resumeIfPaused();
                }
            } finally {
                draining = false;
            }
        }

        private void resumeIfPaused() {
            if (readingPausedForInbound.compareAndSet(true, false)) {
                connection.loop().execute(connection::resumeReading);
            }
        }
    }
}
