package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import io.sluice.server.FlowTestSupport.BodyCollector;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The request body as a publisher: demand drives the socket reads. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExchangeRequestBodyTest {

    private static final int READ_BUFFER = 64 * 1024;

    private SluiceServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
        threads.shutdownNow();
    }

    private int start(ExchangeHandler handler) throws IOException {
        server = TransportTestSupport.testServer().eventLoops(1).maxBodySize(64L * 1024 * 1024).fallback(handler).build();
        server.start();
        return server.port();
    }

    private static String upload(long length) {
        return "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: " + length + "\r\n\r\n";
    }

    /** Writes a patterned body on a thread of its own (the server may not read it for a while). */
    private CompletableFuture<Void> writeBody(Socket socket, long length, AtomicLong written) {
        return CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                for (long at = 0; at < length; ) {
                    int n = (int) Math.min(16 * 1024, length - at);
                    out.write(FlowTestSupport.pattern(at, n));
                    at += n;
                    written.set(at);
                }
                out.flush();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, threads);
    }

    private static long crcOfPattern(long length) {
        CRC32 crc = new CRC32();
        for (long at = 0; at < length; at += 65536) {
            crc.update(FlowTestSupport.pattern(at, (int) Math.min(65536, length - at)));
        }
        return crc.getValue();
    }

    @Test
    void theBodyArrivesAgainstDemandAndOnlyOneReadIsTakenAhead() throws Exception {
        long length = 16L * 1024 * 1024;
        AtomicLong worstReadAhead = new AtomicLong();
        CompletableFuture<BodyCollector> collector = new CompletableFuture<>();
        int port = start(exchange -> {
            BodyCollector body = new BodyCollector(1, true, () -> {
                // On the loop, at each buffer: bytes read off the socket beyond what was delivered.
                long readAhead = server.stats().bytesRead() - collector.join().bytes.get();
                worstReadAhead.accumulateAndGet(readAhead, Math::max);
                threads.execute(() -> collector.join().request(1)); // the next one, from another thread
            });
            collector.complete(body);
            exchange.requestBody().subscribe(body);
            body.completed.thenAccept(total -> exchange.respond(HttpResponse.text(total + " "
                    + Long.toHexString(body.crc.getValue()))));
        });
        try (RawHttpClient client = new RawHttpClient(port, 20_000)) {
            client.send(upload(length));
            writeBody(client.socket(), length, new AtomicLong());
            Response response = client.readResponse();
            assertThat(response.bodyText()).isEqualTo(length + " " + Long.toHexString(crcOfPattern(length)));
        }
        assertThat(collector.get().matchedPattern()).isTrue();
        assertThat(worstReadAhead.get()).as("bytes read but not yet delivered").isLessThanOrEqualTo(READ_BUFFER + 256);
    }

    @Test
    void withoutDemandTheConnectionStopsReading() throws Exception {
        CompletableFuture<BodyCollector> collector = new CompletableFuture<>();
        int port = start(exchange -> {
            if (!exchange.request().path().equals("/upload")) {
                exchange.respond(HttpResponse.text("other"));
                return;
            }
            BodyCollector body = new BodyCollector(0, true, () -> { });
            exchange.requestBody().subscribe(body);
            body.completed.thenAccept(total -> exchange.respond(HttpResponse.text(String.valueOf(total))));
            collector.complete(body);
        });
        long length = 8L * 1024 * 1024;
        String head = upload(length);
        try (RawHttpClient client = new RawHttpClient(port, 20_000)) {
            AtomicLong written = new AtomicLong();
            client.send(head);
            CompletableFuture<Void> writing = writeBody(client.socket(), length, written);
            BodyCollector body = collector.get(5, TimeUnit.SECONDS);
            // More than one read's worth is on its way to the server...
            ProtocolTestSupport.awaitAtLeast("body bytes written by the client", written::get, READ_BUFFER + 1);
            // ...and two round trips on another connection of the same (single) loop later, a server that
            // read without demand would have taken it in.
            String other = get("/other");
            try (RawHttpClient probe = new RawHttpClient(port)) {
                probe.exchange(other);
                probe.exchange(other);
            }
            long readForUpload = server.stats().bytesRead() - 2L * other.length();
            assertThat(readForUpload).as("bytes read from the upload").isLessThanOrEqualTo(head.length() + READ_BUFFER);
            assertThat(body.bytes.get()).isZero();

            body.request(Long.MAX_VALUE);
            assertThat(client.readResponse().bodyText()).isEqualTo(String.valueOf(length));
            writing.get(5, TimeUnit.SECONDS);
            assertThat(body.matchedPattern()).isTrue();
        }
    }

    @Test
    void cancellingDiscardsTheRestAndTheConnectionGoesOn() throws Exception {
        long length = 1024 * 1024;
        int port = start(exchange -> {
            if (!exchange.request().path().equals("/upload")) {
                exchange.respond(HttpResponse.text("next"));
                return;
            }
            BodyCollector[] self = new BodyCollector[1];
            self[0] = new BodyCollector(1, true, () -> {
                self[0].cancel();
                exchange.respond(HttpResponse.status(200).text("cancelled"));
            });
            exchange.requestBody().subscribe(self[0]);
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(upload(length));
            CompletableFuture<Void> writing = writeBody(client.socket(), length, new AtomicLong());
            assertThat(client.readResponse().bodyText()).isEqualTo("cancelled");
            writing.get(10, TimeUnit.SECONDS);
            assertThat(client.exchange(get("/next")).bodyText()).isEqualTo("next");
        }
    }

    @Test
    void aBodyNobodyReadsIsDiscardedAfterTheResponse() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.text("ignored " + exchange.request().path())));
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send("POST /a HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\n\r\nhello" + get("/b"));
            assertThat(client.readResponse().bodyText()).isEqualTo("ignored /a");
            assertThat(client.readResponse().bodyText()).isEqualTo("ignored /b");
        }
    }

    @Test
    void aClientThatDisconnectsMidBodyFailsTheSubscriberAndTheCompletion() throws Exception {
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        BodyCollector body = new BodyCollector(Long.MAX_VALUE, true, () -> { });
        int port = start(exchange -> {
            exchange.requestBody().subscribe(body);
            received.complete(exchange);
        });
        RawHttpClient client = new RawHttpClient(port);
        client.send(upload(1000));
        client.send(FlowTestSupport.pattern(0, 400));
        ProtocolTestSupport.awaitAtLeast("bytes delivered", body.bytes::get, 400);
        client.close();
        assertThatThrownBy(() -> body.completed.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
        assertThatThrownBy(() -> received.get().completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
    }

    @Test
    void expectContinueIsAnsweredWithTheFirstDemand() throws Exception {
        CompletableFuture<BodyCollector> collector = new CompletableFuture<>();
        int port = start(exchange -> {
            BodyCollector body = new BodyCollector(0, false, () -> { });
            exchange.requestBody().subscribe(body);
            body.completed.thenAccept(total -> exchange.respond(HttpResponse.text("got " + total)));
            collector.complete(body);
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send("POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            collector.get(5, TimeUnit.SECONDS).request(1);
            assertThat(client.readResponse().status()).isEqualTo(100);
            client.send("hello");
            assertThat(client.readResponse().bodyText()).isEqualTo("got 5");
        }
    }

    @Test
    void expectContinueAnsweredWithoutReadingGetsNo100AndTheConnectionCloses() throws Exception {
        int port = start(exchange -> exchange.respond(HttpResponse.status(413).text("too big for me")));
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange(
                    "POST /upload HTTP/1.1\r\nHost: test\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
            ProtocolTestSupport.assertClosed(client);
        }
    }

    @Test
    void aChunkedBodyStreamsAndItsTrailersFollow() throws Exception {
        int port = start(exchange -> {
            BodyCollector body = new BodyCollector(Long.MAX_VALUE, false, () -> { });
            exchange.requestBody().subscribe(body);
            body.completed.thenAccept(total -> exchange.respond(HttpResponse.text(total + " "
                    + exchange.request().trailers().first("X-Checksum"))));
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange("POST /chunks HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "5\r\nhello\r\n6\r\n world\r\n0\r\nX-Checksum: 42\r\n\r\n");
            assertThat(response.bodyText()).isEqualTo("11 42");
        }
    }

    @Test
    void aMalformedChunkFailsTheSubscriber() throws Exception {
        CompletableFuture<Throwable> failure = new CompletableFuture<>();
        int port = start(exchange -> {
            BodyCollector body = new BodyCollector(Long.MAX_VALUE, false, () -> { });
            exchange.requestBody().subscribe(body);
            body.completed.whenComplete((total, error) -> {
                failure.complete(error);
                exchange.respond(HttpResponse.status(400).text("bad body"));
            });
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange(
                    "POST /chunks HTTP/1.1\r\nHost: test\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nzz\r\n");
            assertThat(response.status()).isEqualTo(400);
            ProtocolTestSupport.assertClosed(client);
        }
        assertThat(failure.get(5, TimeUnit.SECONDS)).isInstanceOf(RequestBodyException.class);
    }

    @Test
    void aBodyCanBeSubscribedToOnce() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        int port = start(exchange -> {
            exchange.requestBody().subscribe(new BodyCollector(Long.MAX_VALUE, false, () -> { }));
            BodyCollector late = new BodyCollector(1, false, () -> { });
            exchange.requestBody().subscribe(late);
            late.completed.whenComplete((total, error) -> second.complete(error));
            exchange.respond(HttpResponse.noContent());
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.exchange("POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 2\r\n\r\nhi");
        }
        assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aRequestWithoutBodyHasAnEmptyOne() throws Exception {
        int port = start(exchange -> {
            BodyCollector body = new BodyCollector(1, false, () -> { });
            exchange.requestBody().subscribe(body);
            body.completed.thenAccept(total -> exchange.respond(HttpResponse.text("length " + total)));
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            assertThat(client.exchange(get("/")).bodyText()).isEqualTo("length 0");
        }
    }

    @Test
    void anEchoStreamsBothWaysWithBackpressure() throws Exception {
        long length = 8L * 1024 * 1024;
        int port = start(exchange -> exchange.respond(HttpResponse.status(200)
                .publish(Long.parseLong(exchange.request().header("Content-Length")), exchange.requestBody())));
        try (RawHttpClient client = new RawHttpClient(port, 20_000)) {
            client.send(upload(length));
            CompletableFuture<Void> writing = writeBody(client.socket(), length, new AtomicLong());
            Response response = client.readResponse();
            writing.get(5, TimeUnit.SECONDS);
            assertThat(response.body()).hasSize((int) length);
            CRC32 crc = new CRC32();
            crc.update(response.body());
            assertThat(crc.getValue()).isEqualTo(crcOfPattern(length));
        }
    }
}
