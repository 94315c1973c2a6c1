package io.sluice.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.server.SluiceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.concurrent.Queues;

/**
 * WebFlux WebSocket handlers written as a WebFlux user writes them, on Sluice over real sockets: a room
 * that broadcasts every message to every member, and a handler that consumes slower than its client sends.
 */
@SpringBootTest(classes = WebFluxWebSocketBroadcastTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = "server.address=127.0.0.1")
@Timeout(60)
class WebFluxWebSocketBroadcastTest {

    private static final int MEMBERS = 20;
    private static final int GATED_MESSAGES = 4096;
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    @LocalServerPort
    int port;

    @Autowired
    ReactiveWebServerApplicationContext context;

    @Autowired
    Room room;

    @Autowired
    Gate gate;

    @Autowired
    MeterRegistry meters;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyMemberGetsEveryMessageInOrderAndOneLeavingLeavesTheOthersWorking() throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < MEMBERS; i++) {
            members.add(Member.join(client, URI.create("ws://127.0.0.1:" + port + "/ws/room")));
        }
        awaitActiveSessions(MEMBERS);
        // A member hears only what is broadcast after its subscription to the room.
        await("every member subscribed to the room", () -> room.subscribers() == MEMBERS);

        Member speaker = members.get(0);
        List<String> first = speaker.say("first", 100);
        for (Member member : members) {
            assertThat(member.awaitReceived(first.size())).isEqualTo(first);
        }

        Member leaving = members.remove(MEMBERS - 1);
        leaving.leave();
        awaitActiveSessions(MEMBERS - 1);
        await("the leaver's subscription to the room is gone", () -> room.subscribers() == MEMBERS - 1);

        List<String> second = speaker.say("second", 100);
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        for (Member member : members) {
            assertThat(member.awaitReceived(all.size())).isEqualTo(all);
        }
        assertThat(leaving.received).isEqualTo(first);

        for (Member member : members) {
            member.leave();
        }
        awaitActiveSessions(0);
    }

    @Test
    void aClientSendingWhileTheHandlerHasNoDemandIsNotReadWithoutBound() throws Exception {
        SluiceServer engine = ((SluiceReactiveWebServer) context.getWebServer()).getServer();
        int messageSize = 4096;
        int messages = GATED_MESSAGES; // 16 MiB
        WebSocket socket = client.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/gated"), new WebSocket.Listener() { })
                .get(10, TimeUnit.SECONDS);
        long base = engine.stats().bytesRead();
        AtomicLong sent = new AtomicLong();
        CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
            ByteBuffer data = ByteBuffer.allocate(messageSize);
            for (int i = 0; i < messages; i++) {
                data.clear().putInt(0, i);
                // One send at a time, as the JDK client requires; each completes once written to the socket.
                socket.sendBinary(data, true).join();
                sent.addAndGet(messageSize + 14);
            }
        });
        await("the client is far ahead of the server", () -> sent.get() - (engine.stats().bytesRead() - base) > (512 << 10));
        assertThat(engine.stats().bytesRead() - base).as("bytes read while the handler had no demand")
                .isLessThan(2L << 20);
        assertThat(sending).isNotDone();

        gate.open();
        sending.get(20, TimeUnit.SECONDS);
        assertThat(gate.consumed.get(20, TimeUnit.SECONDS)).isEqualTo(messages);
        assertThat(gate.outOfOrder).isEmpty();
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, TimeUnit.SECONDS);
    }

    private void awaitActiveSessions(int expected) throws InterruptedException {
        SluiceServer engine = ((SluiceReactiveWebServer) context.getWebServer()).getServer();
        await(expected + " open sessions", () -> engine.stats().webSocket().sessionsActive() == expected);
        await(expected + " open sessions in the metrics",
                () -> meters.get("sluice.websocket.sessions.active").gauge().value() == expected);
    }

    private static void await(String condition, BooleanSupplier met) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!met.getAsBoolean()) {
            assertThat(System.nanoTime() - deadline).as("waiting for " + condition).isNegative();
            Thread.sleep(10);
        }
    }

    /** A client in the room, recording what it hears. */
    static final class Member implements WebSocket.Listener {

        final List<String> received = new CopyOnWriteArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        private final CompletableFuture<Void> closed = new CompletableFuture<>();
        private volatile CompletableFuture<Void> enough = new CompletableFuture<>();
        private volatile int wanted = Integer.MAX_VALUE;
        private WebSocket socket;

        static Member join(HttpClient client, URI room) throws Exception {
            Member member = new Member();
            member.socket = client.newWebSocketBuilder().buildAsync(room, member).get(10, TimeUnit.SECONDS);
            return member;
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
                if (received.size() >= wanted) {
                    enough.complete(null);
                }
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        /** Sends {@code count} numbered messages, one after the other; returns them. */
        List<String> say(String prefix, int count) {
            List<String> said = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                said.add(prefix + " " + i);
                socket.sendText(said.get(i), true).join();
            }
            return said;
        }

        List<String> awaitReceived(int count) throws Exception {
            enough = new CompletableFuture<>();
            wanted = count;
            if (received.size() >= count) {
                enough.complete(null);
            }
            enough.get(10, TimeUnit.SECONDS);
            return List.copyOf(received);
        }

        void leave() throws Exception {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
            closed.get(10, TimeUnit.SECONDS);
        }
    }

    /** Everything one member says goes to every member, in the order said, none dropped. */
    static final class Room implements WebSocketHandler {

        // Buffers for the slowest member rather than dropping; stays open when everyone has left.
        private final Sinks.Many<String> messages = Sinks.many().multicast()
                .onBackpressureBuffer(Queues.SMALL_BUFFER_SIZE, false);

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            Mono<Void> input = session.receive().map(WebSocketMessage::getPayloadAsText)
                    .doOnNext(text -> messages.emitNext(text, Sinks.EmitFailureHandler.busyLooping(PATIENCE)))
                    .then();
            Mono<Void> output = session.send(messages.asFlux().map(session::textMessage));
            return Mono.zip(input, output).then();
        }

        int subscribers() {
            return messages.currentSubscriberCount();
        }
    }

    /** A handler that consumes nothing until the test opens its gate, then checks the messages' order. */
    static final class Gate implements WebSocketHandler {

        private final CompletableFuture<Void> opened = new CompletableFuture<>();
        final CompletableFuture<Integer> consumed = new CompletableFuture<>();
        final List<String> outOfOrder = new CopyOnWriteArrayList<>();
        private final AtomicInteger next = new AtomicInteger();

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            return session.receive()
                    .concatMap(message -> Mono.fromFuture(opened, true).thenReturn(sequenceNumber(message)))
                    .doOnNext(number -> {
                        int expected = next.getAndIncrement();
                        if (number != expected) {
                            outOfOrder.add(number + " where " + expected + " was due");
                        }
                        if (expected == GATED_MESSAGES - 1) {
                            consumed.complete(next.get());
                        }
                    })
                    .then();
        }

        private static int sequenceNumber(WebSocketMessage message) {
            DataBuffer payload = message.getPayload();
            byte[] head = new byte[4];
            payload.read(head);
            DataBufferUtils.release(payload);
            return ByteBuffer.wrap(head).getInt();
        }

        void open() {
            opened.complete(null);
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Room room() {
            return new Room();
        }

        @Bean
        Gate gate() {
            return new Gate();
        }

        @Bean
        HandlerMapping webSocketMapping(Room room, Gate gate) {
            return new SimpleUrlHandlerMapping(Map.of("/ws/room", room, "/ws/gated", gate), -1);
        }
    }
}
