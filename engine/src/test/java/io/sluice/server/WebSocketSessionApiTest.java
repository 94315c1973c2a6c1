package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.testServer;
import static io.sluice.server.WebSocketTestSupport.poll;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawWebSocketClient;
import io.sluice.testing.RawWebSocketClient.Message;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The application-facing session API over real sockets: sends from other threads, attributes, the open
 * state, broadcast to many sessions, outbound backpressure (writability, {@code sendAll}) against a client
 * that stops reading, and inbound backpressure through {@code receive()}.
 */
@Timeout(30)
class WebSocketSessionApiTest {

    /** Server-side bytes (queued in the session plus kernel socket buffers) a non-reading client may cost. */
    private static final long OUTBOUND_BOUND = 8L << 20;

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private Recorder start(Dispatch dispatch) throws Exception {
        Recorder recorder = new Recorder();
        recorder.echo = false;
        start(WebSocketRoute.of("/ws", recorder).dispatch(dispatch));
        return recorder;
    }

    private void start(WebSocketRoute route) throws Exception {
        server = testServer().writeTimeout(Duration.ofSeconds(30))
                .webSocket(route)
                .webSocketOptions(WebSocketOptions.defaults().withMaxFrameSize(32 << 20).withMaxMessageSize(32 << 20))
                .build();
        server.start();
    }

    // ---------------------------------------------------------------- sends, open state, attributes

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void sendsFromAnotherThreadArriveInOrderAndCompleteTheirStages(Dispatch dispatch) throws Exception {
        Recorder recorder = start(dispatch);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            WebSocketSession session = recorder.awaitOpen();
            assertThat(session.isOpen()).isTrue();
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                sends.add(i % 2 == 0 ? session.sendText("m" + i).toCompletableFuture()
                        : session.sendBinary(("m" + i).getBytes(StandardCharsets.US_ASCII)).toCompletableFuture());
            }
            for (int i = 0; i < 500; i++) {
                Message message = ws.readMessage();
                assertThat(message.type()).isEqualTo(i % 2 == 0 ? RawWebSocketClient.TEXT : RawWebSocketClient.BINARY);
                assertThat(message.text()).isEqualTo("m" + i);
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(5, TimeUnit.SECONDS);
            // A ping from the application reaches the client; its pong comes back to onPong.
            session.ping("app-ping".getBytes(StandardCharsets.US_ASCII)).toCompletableFuture().get(5, TimeUnit.SECONDS);
            RawWebSocketClient.Frame ping = ws.readFrame();
            assertThat(ping.opcode()).isEqualTo(RawWebSocketClient.PING);
            ws.sendPong(ping.payload());
            assertThat(new String(poll(recorder.pongs, "onPong"), StandardCharsets.US_ASCII)).isEqualTo("app-ping");
        }
    }

    @Test
    void aSendCompletesOnlyOnceTheClientHasTakenItsBytes() throws Exception {
        Recorder recorder = start(Dispatch.WORKER);
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").receiveBufferSize(64 * 1024)
                .connect()) {
            WebSocketSession session = recorder.awaitOpen();
            byte[] big = WebSocketTestSupport.binary(16 << 20, 3);
            CompletableFuture<Void> sent = session.sendBinary(big).toCompletableFuture();
            await("the server starts writing", Duration.ofSeconds(5), () -> server.stats().bytesWritten() > (1 << 20));
            // 16 MiB cannot fit into the socket buffers of a client that is not reading.
            assertThat(sent).isNotDone();
            assertThat(session.isWritable()).isFalse();
            assertThat(ws.readMessage().data()).isEqualTo(big);
            sent.get(5, TimeUnit.SECONDS);
            await("writable again", Duration.ofSeconds(5), session::isWritable);
        }
    }

    @Test
    void sendsAfterCloseFailAndIsOpenFollowsTheSession() throws Exception {
        Recorder recorder = start(Dispatch.WORKER);
        WebSocketSession session;
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            session = recorder.awaitOpen();
            assertThat(session.isOpen()).isTrue();
            ws.sendClose(1000, "");
            assertThat(ws.awaitCloseCode()).isEqualTo(1000);
            recorder.awaitClosed();
        }
        assertThat(session.isOpen()).isFalse();
        assertThatThrownBy(() -> session.sendText("late").toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> session.sendBinary(new byte[10]).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        assertThatThrownBy(() -> session.ping(new byte[0]).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class);
        // Closing a closed session is harmless, and a closed session never blocks a producer.
        session.close(1000, "").toCompletableFuture().get(5, TimeUnit.SECONDS);
        session.whenWritable().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Test
    void closeValidatesItsArguments() throws Exception {
        Recorder recorder = start(Dispatch.WORKER);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            WebSocketSession session = recorder.awaitOpen();
            assertThatThrownBy(() -> session.close(1005, "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.close(1006, "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.close(999, "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.close(5000, "")).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.close(1000, "é".repeat(62))).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> session.ping(new byte[126])).isInstanceOf(IllegalArgumentException.class);
            assertThat(session.isOpen()).isTrue();
            session.close(1000, "é".repeat(61) + "x"); // 123 bytes: the longest allowed reason
            RawWebSocketClient.Frame close = ws.awaitCloseFrame();
            assertThat(close.closeCode()).isEqualTo(1000);
            assertThat(close.closeReason()).isEqualTo("é".repeat(61) + "x");
        }
    }

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void attributesBelongToTheirSession(Dispatch dispatch) throws Exception {
        AtomicInteger counter = new AtomicInteger();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketSession session) {
                session.attributes().put("user", "user-" + counter.incrementAndGet());
            }

            @Override
            public void onText(WebSocketSession session, String text) {
                session.attributes().merge("count", 1, (a, b) -> (Integer) a + (Integer) b);
                session.sendText(session.attributes().get("user") + ":" + session.attributes().get("count") + ":" + text);
            }
        };
        start(WebSocketRoute.of("/ws", handler).dispatch(dispatch));
        try (RawWebSocketClient a = RawWebSocketClient.connect(server.port(), "/ws")) {
            a.sendText("x");
            String first = a.readMessage().text();
            try (RawWebSocketClient b = RawWebSocketClient.connect(server.port(), "/ws")) {
                b.sendText("y");
                String second = b.readMessage().text();
                a.sendText("z");
                String third = a.readMessage().text();
                assertThat(first).isEqualTo("user-1:1:x");
                assertThat(second).isEqualTo("user-2:1:y");
                assertThat(third).isEqualTo("user-1:2:z");
            }
        }
    }

    @Test
    void aThrowingCallbackClosesTheSessionWith1011() throws Exception {
        Recorder recorder = new Recorder() {
            @Override
            public void onText(WebSocketSession session, String text) throws Exception {
                super.onText(session, text);
                throw new IllegalStateException("boom");
            }
        };
        recorder.echo = false;
        start(WebSocketRoute.of("/ws", recorder));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            ws.sendText("explode");
            assertThat(ws.awaitCloseCode()).isEqualTo(1011);
            ws.sendClose(1011, "");
            assertThat(ws.awaitServerClose()).isTrue();
        }
        assertThat(poll(recorder.errors, "onError")).hasMessage("boom");
        assertThat(recorder.awaitClosed().code()).isEqualTo(1011);
    }

    // ---------------------------------------------------------------- broadcast

    @Test
    @Timeout(40)
    void aThousandSessionsAllReceiveEveryBroadcast() throws Exception {
        Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketSession session) {
                sessions.add(session);
            }

            @Override
            public void onClose(WebSocketSession session, int code, String reason) {
                sessions.remove(session);
            }
        };
        start(WebSocketRoute.of("/room", handler).dispatch(Dispatch.EVENT_LOOP));
        HttpClient http = HttpClient.newHttpClient();
        int count = 1000;
        List<CompletableFuture<JdkClient>> connecting = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            connecting.add(JdkClient.connectAsync(http, server.port(), "/room"));
        }
        CompletableFuture.allOf(connecting.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);
        List<JdkClient> clients = connecting.stream().map(CompletableFuture::join).toList();
        await("every session open", Duration.ofSeconds(10), () -> sessions.size() == count);
        assertThat(server.stats().webSocket().sessionsActive()).isEqualTo(count);
        for (int round = 0; round < 3; round++) {
            WebSocketMessage message = WebSocketMessage.text("broadcast " + round);
            List<CompletableFuture<Void>> sends = new ArrayList<>();
            for (WebSocketSession session : sessions) {
                sends.add(session.send(message).toCompletableFuture());
            }
            CompletableFuture.allOf(sends.toArray(new CompletableFuture[0])).get(10, TimeUnit.SECONDS);
            for (JdkClient client : clients) {
                assertThat(client.next()).isEqualTo("broadcast " + round);
            }
        }
        assertThat(server.stats().webSocket().textMessagesOut()).isEqualTo(3L * count);
    }

    /**
     * A handler on the loop that sends to other sessions (a broadcast) has those sends written at the end
     * of the loop iteration, each session's batch with one flush: what each receiver gets, and in which
     * order, must be exactly what was sent, a close included, interleaved with the sender's own echo.
     */
    @Test
    void sendsFromTheLoopToOtherSessionsArriveInCallOrderWithTheCloseLast() throws Exception {
        List<WebSocketSession> sessions = new CopyOnWriteArrayList<>();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketSession session) {
                sessions.add(session);
            }

            @Override
            public void onText(WebSocketSession sender, String text) {
                for (int i = 0; i < 50; i++) {
                    for (WebSocketSession each : sessions) {
                        each.sendText(text + " " + i);
                    }
                }
                if (text.equals("last")) {
                    for (WebSocketSession each : sessions) {
                        if (each != sender) {
                            each.close(1000, "bye");
                        }
                    }
                }
            }
        };
        start(WebSocketRoute.of("/room", handler).dispatch(Dispatch.EVENT_LOOP));
        try (RawWebSocketClient sender = RawWebSocketClient.connect(server.port(), "/room");
                RawWebSocketClient first = RawWebSocketClient.connect(server.port(), "/room");
                RawWebSocketClient second = RawWebSocketClient.connect(server.port(), "/room")) {
            await("three sessions open", Duration.ofSeconds(5), () -> sessions.size() == 3);
            sender.sendText("hello").sendText("last");
            for (RawWebSocketClient client : List.of(sender, first, second)) {
                for (String text : List.of("hello", "last")) {
                    for (int i = 0; i < 50; i++) {
                        assertThat(client.readMessage().text()).isEqualTo(text + " " + i);
                    }
                }
            }
            assertThat(first.awaitCloseCode()).isEqualTo(1000);
            assertThat(second.awaitCloseCode()).isEqualTo(1000);
        }
        assertThat(server.stats().webSocket().textMessagesOut()).isEqualTo(3L * 2 * 50);
    }

    // ---------------------------------------------------------------- outbound backpressure

    /** A producer that respects writability: sends while writable, waits on whenWritable otherwise. */
    private static final class WritabilityProducer implements Runnable {
        final WebSocketSession session;
        final int messageSize;
        final int messages;
        final AtomicLong handed = new AtomicLong();
        final AtomicBoolean waiting = new AtomicBoolean();
        final AtomicLong maxBacklog = new AtomicLong();
        final CompletableFuture<Void> done = new CompletableFuture<>();
        volatile RawWebSocketClient client;

        WritabilityProducer(WebSocketSession session, int messageSize, int messages) {
            this.session = session;
            this.messageSize = messageSize;
            this.messages = messages;
        }

        @Override
        public void run() {
            try {
                for (int i = 0; i < messages; i++) {
                    if (!session.isWritable()) {
                        CompletableFuture<Void> writable = session.whenWritable().toCompletableFuture();
                        waiting.set(!writable.isDone());
                        writable.get(20, TimeUnit.SECONDS);
                        waiting.set(false);
                    }
                    byte[] data = new byte[messageSize];
                    ByteBuffer.wrap(data).putInt(i);
                    session.sendBinary(data);
                    long now = handed.addAndGet(messageSize);
                    RawWebSocketClient reader = client;
                    if (reader != null) {
                        maxBacklog.accumulateAndGet(now - reader.bytesRead(), Math::max);
                    }
                }
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void aClientThatStopsReadingMakesTheSessionUnwritableAndMemoryStaysBounded(Dispatch dispatch) throws Exception {
        Recorder recorder = start(dispatch);
        int messageSize = 64 * 1024;
        int messages = 512; // 32 MiB in all
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").receiveBufferSize(64 * 1024)
                .readTimeoutMillis(10_000).connect()) {
            WebSocketSession session = recorder.awaitOpen();
            WritabilityProducer producer = new WritabilityProducer(session, messageSize, messages);
            producer.client = ws;
            Thread thread = new Thread(producer, "producer");
            thread.start();
            // The socket buffers fill up (they may take a while to stop accepting bytes): then the session
            // stays unwritable and the producer waits.
            await("the producer waits for writability", Duration.ofSeconds(10), () -> producer.waiting.get()
                    && !session.isWritable() && !session.whenWritable().toCompletableFuture().isDone());
            long backlog = producer.handed.get() - ws.bytesRead();
            assertThat(backlog).as("bytes handed to the session but not read by the client")
                    .isLessThan(OUTBOUND_BOUND);
            // Now read everything, in order; the producer resumes as the client drains.
            for (int i = 0; i < messages; i++) {
                Message message = ws.readMessage();
                assertThat(message.data()).hasSize(messageSize);
                assertThat(ByteBuffer.wrap(message.data()).getInt()).isEqualTo(i);
            }
            producer.done.get(10, TimeUnit.SECONDS);
            assertThat(producer.maxBacklog.get()).isLessThan(OUTBOUND_BOUND);
            await("writable again", Duration.ofSeconds(5), session::isWritable);
        }
    }

    /** Publishes {@code count} messages of {@code size} bytes (index first), generated on demand. */
    private static final class CountingPublisher implements Flow.Publisher<WebSocketMessage> {
        final int count;
        final int size;
        final AtomicInteger produced = new AtomicInteger();
        final AtomicLong requested = new AtomicLong();

        CountingPublisher(int count, int size) {
            this.count = count;
            this.size = size;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super WebSocketMessage> subscriber) {
            AtomicLong demand = new AtomicLong();
            AtomicBoolean emitting = new AtomicBoolean();
            AtomicBoolean cancelled = new AtomicBoolean();
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requested.addAndGet(n);
                    demand.addAndGet(n);
                    // Trampolined: a request from within onNext only adds demand.
                    while (!cancelled.get() && emitting.compareAndSet(false, true)) {
                        try {
                            while (demand.get() > 0 && produced.get() < count && !cancelled.get()) {
                                demand.decrementAndGet();
                                int index = produced.getAndIncrement();
                                byte[] data = new byte[size];
                                ByteBuffer.wrap(data).putInt(index);
                                subscriber.onNext(WebSocketMessage.binary(data));
                            }
                            if (produced.get() == count && cancelled.compareAndSet(false, true)) {
                                subscriber.onComplete();
                            }
                        } finally {
                            emitting.set(false);
                        }
                        if (demand.get() == 0 || produced.get() == count) {
                            break;
                        }
                    }
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
        }
    }

    @Test
    void sendAllDeliversInOrderAndStopsRequestingWhileTheClientDoesNotRead() throws Exception {
        Recorder recorder = start(Dispatch.WORKER);
        int messageSize = 64 * 1024;
        int messages = 512;
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").receiveBufferSize(64 * 1024)
                .readTimeoutMillis(10_000).connect()) {
            WebSocketSession session = recorder.awaitOpen();
            CountingPublisher publisher = new CountingPublisher(messages, messageSize);
            CompletableFuture<Void> all = session.sendAll(publisher).toCompletableFuture();
            await("the session stays unwritable", Duration.ofSeconds(10),
                    () -> !session.isWritable() && !session.whenWritable().toCompletableFuture().isDone());
            long backlog = (long) publisher.produced.get() * messageSize - ws.bytesRead();
            assertThat(backlog).isLessThan(OUTBOUND_BOUND);
            assertThat(publisher.produced.get()).isLessThan(messages);
            assertThat(all).isNotDone();
            for (int i = 0; i < messages; i++) {
                Message message = ws.readMessage();
                assertThat(ByteBuffer.wrap(message.data()).getInt()).as("message order").isEqualTo(i);
                long produced = (long) publisher.produced.get() * messageSize;
                assertThat(produced - ws.bytesRead()).as("backlog while draining").isLessThan(OUTBOUND_BOUND);
            }
            all.get(10, TimeUnit.SECONDS);
            assertThat(publisher.produced.get()).isEqualTo(messages);
        }
    }

    @Test
    void sendAllOfSmallMessagesCompletesAfterTheLast() throws Exception {
        Recorder recorder = start(Dispatch.EVENT_LOOP);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            WebSocketSession session = recorder.awaitOpen();
            CountingPublisher publisher = new CountingPublisher(2000, 16);
            CompletableFuture<Void> all = session.sendAll(publisher).toCompletableFuture();
            for (int i = 0; i < 2000; i++) {
                assertThat(ByteBuffer.wrap(ws.readMessage().data()).getInt()).isEqualTo(i);
            }
            all.get(5, TimeUnit.SECONDS);
        }
    }

    // ---------------------------------------------------------------- inbound backpressure (receive)

    /** A subscriber that requests {@code initial} and then one more per message (if {@code oneByOne}). */
    private static final class RecordingSubscriber implements Flow.Subscriber<WebSocketMessage> {
        final BlockingQueue<WebSocketMessage> received = new LinkedBlockingQueue<>();
        final List<String> threads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> terminated = new CompletableFuture<>();
        final AtomicReference<Flow.Subscription> subscription = new AtomicReference<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicBoolean overlapped = new AtomicBoolean();
        final long initial;
        final boolean oneByOne;

        RecordingSubscriber(long initial, boolean oneByOne) {
            this.initial = initial;
            this.oneByOne = oneByOne;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.set(s);
            if (initial > 0) {
                s.request(initial);
            }
        }

        @Override
        public void onNext(WebSocketMessage item) {
            if (concurrent.incrementAndGet() > 1) {
                overlapped.set(true);
            }
            received.add(item);
            threads.add(Thread.currentThread().getName());
            concurrent.decrementAndGet();
            if (oneByOne) {
                subscription.get().request(1);
            }
        }

        @Override
        public void onError(Throwable throwable) {
            terminated.completeExceptionally(throwable);
        }

        @Override
        public void onComplete() {
            terminated.complete(null);
        }
    }

    private RecordingSubscriber startReceiving(Dispatch dispatch, long initial, boolean oneByOne,
            Recorder recorder) throws Exception {
        RecordingSubscriber subscriber = new RecordingSubscriber(initial, oneByOne);
        Recorder subscribing = new Recorder() {
            @Override
            public void onOpen(WebSocketSession session) throws Exception {
                session.receive().subscribe(subscriber);
                super.onOpen(session);
            }
        };
        subscribing.echo = false;
        start(WebSocketRoute.of("/ws", subscribing).dispatch(dispatch));
        recorderRef.set(subscribing);
        return subscriber;
    }

    private final AtomicReference<Recorder> recorderRef = new AtomicReference<>();

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void aSubscriberLearnsHowTheSessionEndedFromItsTerminalSignal(Dispatch dispatch) throws Exception {
        RecordingSubscriber normal = startReceiving(dispatch, Long.MAX_VALUE, false, null);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            ws.sendText("one").sendClose(1000, "");
            assertThat(ws.awaitCloseCode()).isEqualTo(1000);
        }
        normal.terminated.get(10, TimeUnit.SECONDS); // a normal close completes the stream
        server.stop();

        RecordingSubscriber vanished = startReceiving(dispatch, Long.MAX_VALUE, false, null);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            ws.sendText("one");
            await("the message arrives", Duration.ofSeconds(10), () -> vanished.received.size() == 1);
        } // closed without a close frame
        assertThatThrownBy(() -> vanished.terminated.get(10, TimeUnit.SECONDS))
                .cause().isInstanceOfSatisfying(io.sluice.api.WebSocketClosedException.class,
                        closed -> assertThat(closed.closeCode()).isEqualTo(1006));
    }

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void aSubscriberRequestingOneAtATimeGetsEveryMessageInOrder(Dispatch dispatch) throws Exception {
        RecordingSubscriber subscriber = startReceiving(dispatch, 1, true, null);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            for (int i = 0; i < 300; i++) {
                if (i % 3 == 0) {
                    ws.sendBinary(("b" + i).getBytes(StandardCharsets.US_ASCII));
                } else {
                    ws.sendText("t" + i);
                }
            }
            for (int i = 0; i < 300; i++) {
                WebSocketMessage message = poll(subscriber.received, "message " + i);
                assertThat(message.isText()).isEqualTo(i % 3 != 0);
                assertThat(message.text()).isEqualTo((i % 3 == 0 ? "b" : "t") + i);
            }
            assertThat(subscriber.overlapped).isFalse();
            assertThat(recorderRef.get().messages).as("the subscriber took the messages over").isEmpty();
            ws.sendClose(1000, "");
            ws.awaitCloseCode();
        }
        subscriber.terminated.get(5, TimeUnit.SECONDS); // completes normally on a 1000 close
    }

    @Test
    void messagesReadBeforeOnOpenSubscribesOnAWorkerStillGoToTheSubscriberInOrder() throws Exception {
        // onOpen runs on a worker; it subscribes only after the loop has read (and routed) the first
        // messages, which is the race a fast client creates by sending right after the handshake.
        RecordingSubscriber subscriber = new RecordingSubscriber(Long.MAX_VALUE, false);
        Recorder late = new Recorder() {
            @Override
            public void onOpen(WebSocketSession session) throws Exception {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                while (server.stats().webSocket().textMessagesIn() < 3 && System.nanoTime() < deadline) {
                    Thread.onSpinWait();
                }
                session.receive().subscribe(subscriber);
                super.onOpen(session);
            }
        };
        late.echo = false;
        start(WebSocketRoute.of("/ws", late).dispatch(Dispatch.WORKER));
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            for (int i = 0; i < 5; i++) {
                ws.sendText("m" + i);
            }
            for (int i = 0; i < 5; i++) {
                assertThat(poll(subscriber.received, "message " + i).text()).isEqualTo("m" + i);
            }
            assertThat(server.stats().webSocket().textMessagesIn()).isEqualTo(5);
            assertThat(late.messages).as("the handler got none of them").isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(Dispatch.class)
    void withoutDemandTheServerStopsReadingWhileTheClientKeepsSending(Dispatch dispatch) throws Exception {
        RecordingSubscriber subscriber = startReceiving(dispatch, 0, false, null);
        int messageSize = 4096;
        int messages = 4096; // 16 MiB
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").readTimeoutMillis(10_000)
                .connect()) {
            recorderRef.get().awaitOpen();
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        byte[] data = new byte[messageSize];
                        ByteBuffer.wrap(data).putInt(i);
                        ws.sendBinary(data);
                        sent.addAndGet(messageSize + 14);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long base = server.stats().bytesRead();
            // The client gets well ahead of what the server reads: the server stopped reading.
            await("the client is far ahead of the server", Duration.ofSeconds(10),
                    () -> sent.get() - (server.stats().bytesRead() - base) > (512 << 10));
            long read = server.stats().bytesRead() - base;
            assertThat(read).as("bytes the server read without demand").isLessThan(2L << 20);
            assertThat(subscriber.received).isEmpty();
            assertThat(sending).isNotDone();
            // Demand, one at a time: everything arrives, in order.
            subscriber.subscription.get().request(1);
            for (int i = 0; i < messages; i++) {
                WebSocketMessage message = poll(subscriber.received, "message " + i);
                assertThat(ByteBuffer.wrap(message.data()).getInt()).isEqualTo(i);
                subscriber.subscription.get().request(1);
            }
            sending.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void slowWorkerCallbacksPauseReadingToo() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        AtomicInteger handled = new AtomicInteger();
        WebSocketHandler handler = new WebSocketHandler() {
            @Override
            public void onBinary(WebSocketSession session, byte[] data) throws Exception {
                gate.get(20, TimeUnit.SECONDS);
                handled.incrementAndGet();
            }
        };
        start(WebSocketRoute.of("/ws", handler));
        int messages = 4096;
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            AtomicLong sent = new AtomicLong();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < messages; i++) {
                        ws.sendBinary(new byte[4096]);
                        sent.addAndGet(4096 + 14);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            long base = server.stats().bytesRead();
            await("the client is far ahead of the server", Duration.ofSeconds(10),
                    () -> sent.get() - (server.stats().bytesRead() - base) > (512 << 10));
            assertThat(server.stats().bytesRead() - base).isLessThan(2L << 20);
            gate.complete(null);
            sending.get(10, TimeUnit.SECONDS);
            await("every message handled", Duration.ofSeconds(10), () -> handled.get() == messages);
        }
    }

    @Test
    void aClientFloodingPingsWithoutReadingThePongsIsThrottled() throws Exception {
        start(Dispatch.EVENT_LOOP);
        byte[] payload = new byte[125];
        byte[] ping = RawWebSocketClient.encodeFrame(RawWebSocketClient.FIN | RawWebSocketClient.PING, payload, true, 0);
        int pingsPerChunk = 8192; // about 1 MiB per write
        int chunks = 32;
        byte[] chunk = new byte[ping.length * pingsPerChunk];
        for (int i = 0; i < pingsPerChunk; i++) {
            System.arraycopy(ping, 0, chunk, i * ping.length, ping.length);
        }
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws").receiveBufferSize(64 * 1024)
                .readTimeoutMillis(10_000).connect()) {
            AtomicLong sent = new AtomicLong();
            long base = server.stats().bytesRead();
            CompletableFuture<Void> flooding = CompletableFuture.runAsync(() -> {
                try {
                    for (int i = 0; i < chunks; i++) {
                        ws.sendRaw(chunk);
                        sent.addAndGet(chunk.length);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await("the client is far ahead of the server", Duration.ofSeconds(10),
                    () -> sent.get() - (server.stats().bytesRead() - base) > (1 << 20));
            assertThat(server.stats().bytesRead() - base).as("pings read while the pongs pile up")
                    .isLessThan(OUTBOUND_BOUND);
            assertThat(flooding).isNotDone();
            // Every ping is answered once the client reads.
            for (long i = 0; i < (long) chunks * pingsPerChunk; i++) {
                RawWebSocketClient.Frame pong = ws.readFrame();
                assertThat(pong.opcode()).isEqualTo(RawWebSocketClient.PONG);
            }
            flooding.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void receiveTakesOneSubscriberAndFailsItWhenTheSessionFails() throws Exception {
        RecordingSubscriber subscriber = startReceiving(Dispatch.WORKER, Long.MAX_VALUE, false, null);
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/ws")) {
            WebSocketSession session = recorderRef.get().awaitOpen();
            RecordingSubscriber second = new RecordingSubscriber(1, false);
            session.receive().subscribe(second);
            assertThatThrownBy(() -> second.terminated.get(5, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(IllegalStateException.class);
            ws.sendText("one");
            assertThat(poll(subscriber.received, "one").text()).isEqualTo("one");
            ws.sendFrame(RawWebSocketClient.FIN | 0x3, new byte[0]); // reserved opcode: 1002
            assertThat(ws.awaitCloseCode()).isEqualTo(1002);
        }
        assertThatThrownBy(() -> subscriber.terminated.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("1002");
    }
}
