package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.readHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.server.FlowTestSupport.GeneratingPublisher;
import io.sluice.server.FlowTestSupport.ManualPublisher;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Published response bodies: framing, flushing, failures, and demand that follows the socket. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExchangeResponseBodyTest {

    private static final int HIGH_WATER = 64 * 1024;

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(ExchangeHandler handler) throws IOException {
        server = TransportTestSupport.testServer().eventLoops(1).fallback(handler).build();
        server.start();
        return server.port();
    }

    /** Answers with {@code publisher} as an event stream and hands the exchange to the test. */
    private int startPublishing(ManualPublisher publisher, CompletableFuture<HttpExchange> received) throws IOException {
        return start(exchange -> {
            if (exchange.request().path().equals("/next")) {
                exchange.respond(HttpResponse.text("next"));
                return;
            }
            received.complete(exchange);
            exchange.respond(HttpResponse.status(200).contentType("text/event-stream").publish(publisher));
        });
    }

    /** Reads one chunk of a chunked body: its size line, data and CRLF. */
    private static String readChunk(InputStream in) throws IOException {
        StringBuilder size = new StringBuilder();
        for (int b; (b = in.read()) != '\r'; ) {
            if (b < 0) {
                throw new IOException("closed within a chunk size");
            }
            size.append((char) b);
        }
        in.read(); // LF
        int length = Integer.parseInt(size.toString(), 16);
        byte[] data = in.readNBytes(length + 2);
        return new String(data, 0, length, StandardCharsets.ISO_8859_1);
    }

    @Test
    void eachPauseOfThePublisherSendsWhatItProduced() throws Exception {
        ManualPublisher publisher = new ManualPublisher();
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = startPublishing(publisher, received);
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/events"));
            publisher.subscribed.get(5, TimeUnit.SECONDS);
            ProtocolTestSupport.awaitAtLeast("demand", publisher.requested::get, 1);
            publisher.emit("data: one\n\n");
            InputStream in = client.socket().getInputStream();
            String head = readHead(in);
            assertThat(head).contains("Transfer-Encoding: chunked").contains("Content-Type: text/event-stream");
            assertThat(readChunk(in)).isEqualTo("data: one\n\n");
            publisher.emit("data: two\n\n");
            assertThat(readChunk(in)).isEqualTo("data: two\n\n");
            CompletableFuture<Void> completion = received.get().completion().toCompletableFuture();
            assertThat(completion).isNotDone();
            publisher.complete();
            assertThat(readChunk(in)).isEmpty(); // the last chunk, with no trailers
            completion.get(5, TimeUnit.SECONDS);
            assertThat(client.exchange(get("/next")).bodyText()).isEqualTo("next");
        }
    }

    @Test
    void anEmptyBufferSendsTheHeadAtOnce() throws Exception {
        ManualPublisher publisher = new ManualPublisher();
        int port = startPublishing(publisher, new CompletableFuture<>());
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/events"));
            publisher.subscribed.get(5, TimeUnit.SECONDS);
            publisher.subscriber().onNext(java.nio.ByteBuffer.allocate(0));
            assertThat(readHead(client.socket().getInputStream())).startsWith("HTTP/1.1 200 OK");
            publisher.complete();
        }
    }

    @Test
    void aDeclaredLengthIsSentAsContentLength() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).publish(10,
                new GeneratingPublisher(5, 2, () -> { }))));
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange(get("/"));
            assertThat(response.header("content-length")).isEqualTo("10");
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.body()).isEqualTo(FlowTestSupport.pattern(0, 10));
            assertThat(client.exchange(get("/again")).body()).hasSize(10);
        }
    }

    @Test
    void aPublisherThatCompletesEmptyGivesContentLengthZero() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).publish(
                new GeneratingPublisher(1, 0, () -> { }))));
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange(get("/"));
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("0");
            assertThat(response.header("transfer-encoding")).isNull();
        }
    }

    @Test
    void aPublisherThatFailsBeforeItsFirstByteIsAnswered500() throws Exception {
        ManualPublisher publisher = new ManualPublisher();
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = startPublishing(publisher, received);
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/events"));
            publisher.subscribed.get(5, TimeUnit.SECONDS);
            publisher.fail(new IllegalStateException("no data"));
            assertThat(client.readResponse().status()).isEqualTo(500);
            assertThat(client.exchange(get("/next")).bodyText()).isEqualTo("next");
        }
        assertThatThrownBy(() -> received.get().completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasRootCauseMessage("no data");
    }

    @Test
    void aPublisherThatFailsAfterTheHeadClosesTheConnection() throws Exception {
        ManualPublisher publisher = new ManualPublisher();
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = startPublishing(publisher, received);
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/events"));
            publisher.subscribed.get(5, TimeUnit.SECONDS);
            publisher.emit("partial");
            InputStream in = client.socket().getInputStream();
            readHead(in);
            assertThat(readChunk(in)).isEqualTo("partial");
            publisher.fail(new IllegalStateException("broken"));
            assertThat(in.read()).as("end of stream instead of the last chunk").isEqualTo(-1);
        }
        assertThatThrownBy(() -> received.get().completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasRootCauseMessage("broken");
    }

    @Test
    void aBodyShorterOrLongerThanDeclaredClosesTheConnection() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).publish(
                exchange.request().path().equals("/short") ? 20 : 5, new GeneratingPublisher(10, 1, () -> { }))));
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/short"));
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).contains("Content-Length: 20");
            assertThat(in.readAllBytes()).hasSize(10);
        }
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/long"));
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).contains("Content-Length: 5");
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    @Test
    void thePublisherIsAskedForMoreOnlyWhileTheOutputIsBelowItsHighWaterMark() throws Exception {
        int size = 64 * 1024;
        int count = 512;
        AtomicLong worstHeld = new AtomicLong();
        GeneratingPublisher[] publisher = new GeneratingPublisher[1];
        publisher[0] = new GeneratingPublisher(size, count, () -> {
            // Runs on the loop at each request: bytes produced that have not reached the socket yet.
            long held = publisher[0].emittedBytes.get() - server.stats().bytesWritten();
            worstHeld.accumulateAndGet(held, Math::max);
        });
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).publish((long) size * count, publisher[0])));
        try (Socket socket = TransportTestSupport.connectWithReceiveBuffer(port, 16 * 1024, 20_000)) {
            socket.getOutputStream().write(get("/big").getBytes(StandardCharsets.ISO_8859_1));
            // The client does not read until more than the socket buffers hold was produced.
            ProtocolTestSupport.awaitAtLeast("bytes produced", publisher[0].emittedBytes::get, 1024 * 1024);
            InputStream in = socket.getInputStream();
            String head = readHead(in);
            assertThat(head).contains("Content-Length: " + (long) size * count);
            byte[] chunk = new byte[64 * 1024];
            long read = 0;
            boolean intact = true;
            for (int n; read < (long) size * count && (n = in.read(chunk)) > 0; read += n) {
                for (int i = 0; i < n && intact; i++) {
                    intact = chunk[i] == FlowTestSupport.patternByte(read + i);
                }
            }
            assertThat(read).isEqualTo((long) size * count);
            assertThat(intact).isTrue();
        }
        assertThat(worstHeld.get()).as("bytes held by the server when it asked for more")
                .isLessThanOrEqualTo(HIGH_WATER + (long) (PublishedBody.PREFETCH + 1) * size);
    }

    @Test
    void aClientThatGoesAwayCancelsThePublisherAndFailsTheCompletion() throws Exception {
        GeneratingPublisher endless = new GeneratingPublisher(8 * 1024, Long.MAX_VALUE, () -> { });
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = start(exchange -> {
            received.complete(exchange);
            exchange.respond(HttpResponse.status(200).publish(endless));
        });
        RawHttpClient client = new RawHttpClient(port);
        client.send(get("/endless"));
        InputStream in = client.socket().getInputStream();
        readHead(in);
        in.readNBytes(100_000);
        client.close();
        endless.cancelled.get(10, TimeUnit.SECONDS);
        assertThatThrownBy(() -> received.get().completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void anHttp10ClientGetsACloseDelimitedBody() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).publish(
                new GeneratingPublisher(100, 3, () -> { }))));
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send("GET / HTTP/1.0\r\n\r\n");
            InputStream in = client.socket().getInputStream();
            String head = readHead(in);
            assertThat(head).doesNotContain("Transfer-Encoding").doesNotContain("Content-Length").contains("Connection: close");
            assertThat(in.readAllBytes()).isEqualTo(FlowTestSupport.pattern(0, 300));
        }
    }

    @Test
    void routeHandlersMayPublishTheirBodiesToo() throws IOException {
        server = TransportTestSupport.testServer()
                .route(Route.of("GET", "/published", request -> HttpResponse.status(200)
                        .publish(new GeneratingPublisher(4, 3, () -> { }))).dispatch(Dispatch.EVENT_LOOP))
                .build();
        server.start();
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            Response response = client.exchange(get("/published"));
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.body()).isEqualTo(FlowTestSupport.pattern(0, 12));
        }
    }
}
