package io.sluice.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.server.SluiceServer;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
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
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.core.scheduler.Schedulers;

/**
 * A WebFlux application with Sluice in place of Reactor Netty, over real sockets: controllers, JSON, path
 * variables, server-sent events, a large streamed upload, a WebSocket echo, compression and the actuator.
 */
@SpringBootTest(classes = WebFluxOnSluiceIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "server.address=127.0.0.1", "sluice.limits.max-body-size=200MB",
                "server.compression.enabled=true", "server.compression.min-response-size=1KB",
                "management.endpoints.web.exposure.include=health,prometheus" })
@Timeout(60)
class WebFluxOnSluiceIntegrationTest {

    private static final long UPLOAD = 100L * 1024 * 1024;

    @LocalServerPort
    int port;

    @Autowired
    ReactiveWebServerApplicationContext context;

    @Autowired
    Events events;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @Test
    void runsOnSluice() {
        assertThat(context.getWebServer()).isInstanceOf(SluiceReactiveWebServer.class);
        assertThat(context.getWebServer().getPort()).isEqualTo(port);
    }

    @Test
    void answersJsonWithPathVariables() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/greetings/Ada")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"greeting\":\"Hello, Ada\"}");
    }

    @Test
    void takesJsonIn() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/orders"))
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"item\":\"tea\",\"quantity\":3}")).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"item\":\"tea\",\"quantity\":3,\"total\":12}");
    }

    @Test
    void manyClientsAtOnceEachGetTheirOwnAnswer() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> greetings = new ArrayList<>();
        List<CompletableFuture<HttpResponse<String>>> orders = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            greetings.add(client.sendAsync(HttpRequest.newBuilder(uri("/greetings/n" + i)).build(),
                    BodyHandlers.ofString()));
            orders.add(client.sendAsync(HttpRequest.newBuilder(uri("/orders")).header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString("{\"item\":\"i" + i + "\",\"quantity\":" + i + "}")).build(),
                    BodyHandlers.ofString()));
        }
        for (int i = 0; i < 100; i++) {
            assertThat(greetings.get(i).get(20, TimeUnit.SECONDS).body())
                    .isEqualTo("{\"greeting\":\"Hello, n" + i + "\"}");
            assertThat(orders.get(i).get(20, TimeUnit.SECONDS).body())
                    .isEqualTo("{\"item\":\"i" + i + "\",\"quantity\":" + i + ",\"total\":" + 4 * i + "}");
        }
    }

    @Test
    void seesTheRequestsHeadersAndCookies() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/whoami?x=1"))
                .header("X-Trace", "abc").header("Cookie", "session=s1; theme=\"dark\"").build(), BodyHandlers.ofString());
        assertThat(response.body()).isEqualTo("abc s1 dark http://127.0.0.1:" + port + "/whoami?x=1 1");
    }

    @Test
    void answers404And405AsWebFluxDoes() throws Exception {
        assertThat(client.send(HttpRequest.newBuilder(uri("/nowhere")).build(), BodyHandlers.ofString())
                .statusCode()).isEqualTo(404);
        assertThat(client.send(HttpRequest.newBuilder(uri("/orders")).build(), BodyHandlers.ofString())
                .statusCode()).isEqualTo(405);
    }

    @Test
    void headGetsTheLengthWithoutTheBody() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/greetings/Ada"))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Length")).hasValue("25");
        assertThat(response.body()).isEmpty();
    }

    @Test
    void streamsServerSentEventsAsTheyHappen() throws Exception {
        CompletableFuture<HttpResponse<Stream<String>>> pending = client.sendAsync(
                HttpRequest.newBuilder(uri("/events")).build(), BodyHandlers.ofLines());
        events.awaitSubscriber();
        // WebFlux commits the response with its first event, as on Reactor Netty.
        events.emit("first");
        HttpResponse<Stream<String>> response = pending.get(10, TimeUnit.SECONDS);
        assertThat(response.headers().firstValue("Content-Type").orElseThrow()).startsWith("text/event-stream");
        Iterator<String> lines = response.body().iterator();
        assertThat(lines.next()).isEqualTo("data:first");
        assertThat(lines.next()).isEmpty();
        events.emit("second");
        assertThat(lines.next()).isEqualTo("data:second");
        assertThat(lines.next()).isEmpty();
        events.complete();
        assertThat(lines.hasNext()).isFalse();
    }

    @Test
    void takesALargeStreamedUploadWithBoundedMemory() throws Exception {
        SluiceServer engine = ((SluiceReactiveWebServer) context.getWebServer()).getServer();
        Upload.worstReadAhead.set(0);
        Upload.engine = engine;
        byte[] block = new byte[64 * 1024];
        for (int i = 0; i < block.length; i++) {
            block[i] = (byte) (i * 7);
        }
        CRC32 expected = new CRC32();
        for (long sent = 0; sent < UPLOAD; sent += block.length) {
            expected.update(block);
        }
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/upload"))
                .POST(BodyPublishers.fromPublisher(BodyPublishers.ofInputStream(() -> new RepeatingStream(block, UPLOAD)),
                        UPLOAD)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(UPLOAD + " " + Long.toHexString(expected.getValue()));
        // Bytes the server read off the socket but the application had not consumed yet, at any moment.
        assertThat(Upload.worstReadAhead.get()).isLessThan(1024L * 1024);
    }

    @Test
    void aBodyOverTheLimitIsAnswered413() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            // A chunk larger than sluice.limits.max-body-size, refused from its size line.
            socket.getOutputStream().write(("POST /count HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\nFFFFFFF\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(response).startsWith("HTTP/1.1 413 ");
        }
    }

    @Test
    void echoesOverAWebFluxWebSocket() throws Exception {
        CompletableFuture<String> echoed = new CompletableFuture<>();
        WebSocket socket = client.newWebSocketBuilder().buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"),
                new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        echoed.complete(data.toString());
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        socket.sendText("marco", true);
        assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("echo: marco");
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(10, TimeUnit.SECONDS);
    }

    @Test
    void compressesLargeResponsesForClientsThatAcceptGzip() throws Exception {
        HttpResponse<InputStream> response = client.send(HttpRequest.newBuilder(uri("/text"))
                .header("Accept-Encoding", "gzip").build(), BodyHandlers.ofInputStream());
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        try (InputStream body = new GZIPInputStream(response.body())) {
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("x".repeat(4096));
        }
        HttpResponse<String> plain = client.send(HttpRequest.newBuilder(uri("/text")).build(), BodyHandlers.ofString());
        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.body()).hasSize(4096);
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /greetings/one HTTP/1.1\r\nHost: test\r\n\r\n"
                    + "GET /greetings/two HTTP/1.1\r\nHost: test\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(all.indexOf("Hello, one")).isPositive().isLessThan(all.indexOf("Hello, two"));
        }
    }

    @Test
    void aClientThatGoesAwayCancelsTheResponseStream() throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("GET /endless HTTP/1.1\r\nHost: test\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(12)).asString(StandardCharsets.ISO_8859_1).isEqualTo("HTTP/1.1 200");
            in.readNBytes(64 * 1024);
        }
        Endless.cancelled.get(10, TimeUnit.SECONDS);
    }

    @Test
    void prometheusShowsTheServersMetersAndWebFluxsRequests() throws Exception {
        client.send(HttpRequest.newBuilder(uri("/greetings/metrics")).build(), BodyHandlers.ofString());
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/actuator/prometheus")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("sluice_connections_active_connections{port=\"" + port + "\"}")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/greetings/\\{name\\}\"");
    }

    @Test
    void actuatorHealthIsUp() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri("/actuator/health")).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"status\":\"UP\"");
    }

    record Greeting(String greeting) {
    }

    record Order(String item, int quantity) {
    }

    record PricedOrder(String item, int quantity, int total) {
    }

    /** Server-sent events the test emits one by one. */
    static final class Events {

        private final Sinks.Many<String> sink = Sinks.many().unicast().onBackpressureBuffer();
        private final CompletableFuture<Void> subscribed = new CompletableFuture<>();

        Flux<ServerSentEvent<String>> stream() {
            return sink.asFlux().doOnSubscribe(s -> subscribed.complete(null))
                    .map(data -> ServerSentEvent.builder(data).build());
        }

        void awaitSubscriber() throws Exception {
            subscribed.get(10, TimeUnit.SECONDS);
        }

        void emit(String data) {
            sink.tryEmitNext(data).orThrow();
        }

        void complete() {
            sink.tryEmitComplete().orThrow();
        }
    }

    /** An endless stream of lines that records its cancellation. */
    static final class Endless {

        static final CompletableFuture<Void> cancelled = new CompletableFuture<>();

        static Flux<String> lines() {
            return Flux.generate(sink -> sink.next("line of an endless stream\n"))
                    .map(String.class::cast)
                    .doOnCancel(() -> cancelled.complete(null));
        }
    }

    /** Consumes an upload as it streams, recording how far the server read ahead of the application. */
    static final class Upload {

        static volatile SluiceServer engine;
        static final AtomicLong worstReadAhead = new AtomicLong();

        static Mono<String> consume(ServerWebExchange exchange) {
            long before = engine.stats().bytesRead();
            CRC32 crc = new CRC32();
            AtomicLong consumed = new AtomicLong();
            // Consumed on another thread, two buffers at a time: the demand, not the socket, sets the pace.
            return exchange.getRequest().getBody().publishOn(Schedulers.boundedElastic(), 2).map(buffer -> {
                try (var iterator = buffer.readableByteBuffers()) {
                    iterator.forEachRemaining(crc::update);
                }
                long total = consumed.addAndGet(buffer.readableByteCount());
                DataBufferUtils.release(buffer);
                long readAhead = engine.stats().bytesRead() - before - total;
                worstReadAhead.accumulateAndGet(readAhead, Math::max);
                return total;
            }).then(Mono.fromSupplier(() -> consumed.get() + " " + Long.toHexString(crc.getValue())));
        }
    }

    /** {@code length} bytes made of {@code block} repeated, produced as they are read. */
    static final class RepeatingStream extends InputStream {

        private final byte[] block;
        private final long length;
        private long position;

        RepeatingStream(byte[] block, long length) {
            this.block = block;
            this.length = length;
        }

        @Override
        public int read() {
            return position < length ? block[(int) (position++ % block.length)] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int count) {
            if (position >= length) {
                return -1;
            }
            int at = (int) (position % block.length);
            int n = (int) Math.min(Math.min(count, block.length - at), length - position);
            System.arraycopy(block, at, target, offset, n);
            position += n;
            return n;
        }
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class App {

        @Bean
        Events events() {
            return new Events();
        }

        @Bean
        Controller controller(Events events) {
            return new Controller(events);
        }

        @Bean
        HandlerMapping webSocketMapping() {
            WebSocketHandler echo = session -> session.send(session.receive()
                    .map(message -> session.textMessage("echo: " + message.getPayloadAsText())));
            return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo), -1);
        }
    }

    @RestController
    static class Controller {

        private final Events events;

        Controller(Events events) {
            this.events = events;
        }

        @GetMapping("/greetings/{name}")
        Mono<Greeting> greet(@PathVariable String name) {
            return Mono.just(new Greeting("Hello, " + name));
        }

        @PostMapping("/orders")
        Mono<PricedOrder> price(@RequestBody Mono<Order> order) {
            return order.map(o -> new PricedOrder(o.item(), o.quantity(), o.quantity() * 4));
        }

        @GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
        Flux<ServerSentEvent<String>> events() {
            return events.stream();
        }

        @PostMapping("/upload")
        Mono<String> upload(ServerWebExchange exchange) {
            return Upload.consume(exchange);
        }

        @PostMapping("/count")
        Mono<String> count(ServerWebExchange exchange) {
            return exchange.getRequest().getBody().map(buffer -> {
                int length = buffer.readableByteCount();
                DataBufferUtils.release(buffer);
                return length;
            }).reduce(0, Integer::sum).map(String::valueOf);
        }

        @GetMapping("/whoami")
        Mono<String> whoami(ServerWebExchange exchange) {
            var request = exchange.getRequest();
            return Mono.just(request.getHeaders().getFirst("x-trace") + " "
                    + request.getCookies().getFirst("session").getValue() + " "
                    + request.getCookies().getFirst("theme").getValue() + " " + request.getURI() + " "
                    + request.getQueryParams().getFirst("x"));
        }

        @GetMapping(path = "/endless", produces = MediaType.TEXT_PLAIN_VALUE)
        Flux<String> endless() {
            return Endless.lines();
        }

        @GetMapping(path = "/text", produces = MediaType.TEXT_PLAIN_VALUE)
        Mono<String> text() {
            return Mono.just("x".repeat(4096));
        }
    }
}
