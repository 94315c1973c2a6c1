package io.sluice.server;

import static io.sluice.server.ProtocolTestSupport.assertClosed;
import static io.sluice.server.ProtocolTestSupport.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the client sees for each way a handler can end: thrown, async, failed, rejected, streamed. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HandlerOutcomesTest {

    private static final String SECRET = "secret-detail-that-must-not-leak";

    private static final BlockingQueue<CompletableFuture<HttpResponse>> pending = new LinkedBlockingQueue<>();

    private static SluiceServer server;
    private static SluiceServer rejecting;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(2)
                .route(Route.of("GET", "/ok", request -> HttpResponse.text("ok")).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/throw/worker", request -> {
                    throw new IllegalStateException(SECRET);
                }))
                .route(Route.of("GET", "/throw/loop", request -> {
                    throw new IOException(SECRET);
                }).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/null", request -> null).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.async("GET", "/async/later", request -> {
                    CompletableFuture<HttpResponse> future = new CompletableFuture<>();
                    pending.add(future);
                    return future;
                }).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.async("GET", "/async/worker", request -> CompletableFuture.supplyAsync(
                        () -> HttpResponse.text("async " + request.queryParameter("n")))))
                .route(Route.async("GET", "/async/failed", request -> CompletableFuture.failedFuture(
                        new IllegalArgumentException(SECRET))).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.async("GET", "/async/fails-later", request -> CompletableFuture.supplyAsync(() -> {
                    throw new IllegalStateException(SECRET);
                })).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.async("GET", "/async/throws", request -> {
                    throw new IllegalStateException(SECRET);
                }).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/close", request -> HttpResponse.status(200).header("Connection", "close")
                        .text("bye")).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/stream/chunked", request -> HttpResponse.status(200).contentType("text/plain")
                        .stream(out -> {
                            for (int i = 0; i < 1000; i++) {
                                out.write(("line " + i + "\n").getBytes(StandardCharsets.US_ASCII));
                                if (i % 100 == 0) {
                                    out.flush();
                                }
                            }
                        })))
                .route(Route.of("GET", "/stream/sized", request -> {
                    byte[] block = "0123456789".repeat(1000).getBytes(StandardCharsets.US_ASCII);
                    return HttpResponse.status(200).stream(block.length * 50L, out -> {
                        for (int i = 0; i < 50; i++) {
                            out.write(block);
                        }
                    });
                }))
                .route(Route.of("GET", "/stream/empty", request -> HttpResponse.status(200).stream(out -> {
                })).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/stream/short", request -> HttpResponse.status(200).stream(10, out ->
                        out.write(new byte[5]))))
                .build();
        server.start();
        rejecting = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(1)
                .workerExecutor(task -> {
                    throw new RejectedExecutionException("full");
                })
                .route(Route.of("GET", "/worker", request -> HttpResponse.text("never")))
                .route(Route.of("POST", "/worker", request -> HttpResponse.text("never")))
                .route(Route.of("GET", "/loop", request -> HttpResponse.text("loop")).dispatch(Dispatch.EVENT_LOOP))
                .build();
        rejecting.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        rejecting.stop();
        pending.forEach(future -> future.complete(HttpResponse.text("late")));
    }

    private static RawHttpClient connect() throws Exception {
        return new RawHttpClient(server.port());
    }

    private static void assertInternalServerError(Response response) {
        assertThat(response.status()).isEqualTo(500);
        assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(response.bodyText()).isEqualTo("Internal Server Error\n")
                .doesNotContain(SECRET).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(response.header("connection")).isNull();
    }

    @Test
    void aThrowingWorkerHandlerGets500AndTheConnectionKeepsServing() throws Exception {
        long errorsBefore = server.stats().handlerErrors();
        try (RawHttpClient client = connect()) {
            assertInternalServerError(client.exchange("GET /throw/worker HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("ok");
        }
        await("handlerErrors counted", () -> server.stats().handlerErrors() == errorsBefore + 1);
    }

    @Test
    void aThrowingLoopHandlerGets500AndTheConnectionKeepsServing() throws Exception {
        long errorsBefore = server.stats().handlerErrors();
        try (RawHttpClient client = connect()) {
            client.send("GET /throw/loop HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /throw/worker HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            assertInternalServerError(client.readResponse());
            assertThat(client.readResponse().bodyText()).isEqualTo("ok");
            assertInternalServerError(client.readResponse());
            assertThat(client.readResponse().bodyText()).isEqualTo("ok");
        }
        await("handlerErrors counted", () -> server.stats().handlerErrors() == errorsBefore + 2);
    }

    @Test
    void aHandlerReturningNullGets500() throws Exception {
        try (RawHttpClient client = connect()) {
            assertInternalServerError(client.exchange("GET /null HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").status()).isEqualTo(200);
        }
    }

    @Test
    void anAsyncHandlerCompletedLaterFromAnotherThread() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /async/later HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            CompletableFuture<HttpResponse> future = pending.poll(5, TimeUnit.SECONDS);
            assertThat(future).as("the async handler ran").isNotNull();
            // Completed from a thread that is neither the loop nor a worker.
            Thread completer = new Thread(() -> future.complete(HttpResponse.status(201).text("done later")),
                    "test-completer");
            completer.start();
            Response first = client.readResponse();
            assertThat(first.status()).isEqualTo(201);
            assertThat(first.bodyText()).isEqualTo("done later");
            // The pipelined request waited for it, in order.
            assertThat(client.readResponse().bodyText()).isEqualTo("ok");
            completer.join();
        }
    }

    @Test
    void asyncHandlersCompletingOnWorkersOutOfOrderAnswerInOrder() throws Exception {
        try (RawHttpClient client = connect()) {
            StringBuilder requests = new StringBuilder();
            for (int i = 0; i < 20; i++) {
                requests.append("GET /async/worker?n=").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            client.send(requests.toString());
            for (int i = 0; i < 20; i++) {
                assertThat(client.readResponse().bodyText()).isEqualTo("async " + i);
            }
        }
    }

    @Test
    void anAsyncHandlerCompletingExceptionallyGets500() throws Exception {
        long errorsBefore = server.stats().handlerErrors();
        try (RawHttpClient client = connect()) {
            assertInternalServerError(client.exchange("GET /async/failed HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertInternalServerError(client.exchange("GET /async/fails-later HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertInternalServerError(client.exchange("GET /async/throws HTTP/1.1\r\nHost: x\r\n\r\n"));
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("ok");
        }
        await("handlerErrors counted", () -> server.stats().handlerErrors() == errorsBefore + 3);
    }

    @Test
    void aRejectingWorkerExecutorGets503() throws Exception {
        long rejectedBefore = rejecting.stats().rejectedTasks();
        try (RawHttpClient client = new RawHttpClient(rejecting.port())) {
            Response response = client.exchange("GET /worker HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(503);
            assertThat(response.header("retry-after")).isEqualTo("1");
            assertThat(response.bodyText()).isEqualTo("Service Unavailable\n");
            // A body that was read in full leaves the connection usable.
            assertThat(client.exchange("POST /worker HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").status())
                    .isEqualTo(503);
            // Event-loop routes do not need the executor.
            assertThat(client.exchange("GET /loop HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("loop");
        }
        await("rejectedTasks counted", () -> rejecting.stats().rejectedTasks() == rejectedBefore + 2);
    }

    @Test
    void aHandlerAskingToCloseGetsConnectionClose() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /close HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.bodyText()).isEqualTo("bye");
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    // ---------------------------------------------------------------- streamed responses

    @Test
    void aStreamedResponseOfUnknownLengthIsChunkedOnHttp11() throws Exception {
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            expected.append("line ").append(i).append('\n');
        }
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /stream/chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.header("content-length")).isNull();
            assertThat(response.bodyText()).isEqualTo(expected.toString());
            // The connection goes on after the last chunk.
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void aStreamedResponseOfUnknownLengthOnHttp10IsCloseDelimited() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /stream/chunked HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.header("content-length")).isNull();
            assertThat(response.header("connection")).isEqualTo("close");
            assertThat(response.bodyText()).startsWith("line 0\n").endsWith("line 999\n");
        }
    }

    @Test
    void aStreamedResponseWithDeclaredLengthHasContentLength() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /stream/sized HTTP/1.1\r\nHost: x\r\n\r\nGET /ok HTTP/1.1\r\nHost: x\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("content-length")).isEqualTo("500000");
            assertThat(response.header("transfer-encoding")).isNull();
            assertThat(response.body()).hasSize(500_000);
            assertThat(response.bodyText()).startsWith("0123456789").endsWith("0123456789");
            assertThat(client.readResponse().bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void anEmptyStreamedResponseIsAnEmptyChunkedBody() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /stream/empty HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("transfer-encoding")).isEqualTo("chunked");
            assertThat(response.body()).isEmpty();
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void headOfAStreamedResponseHasItsFramingButNoBody() throws Exception {
        try (RawHttpClient client = connect()) {
            Response sized = client.exchange("HEAD /stream/sized HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(sized.status()).isEqualTo(200);
            assertThat(sized.header("content-length")).isEqualTo("500000");
            Response chunked = client.exchange("HEAD /stream/chunked HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(chunked.header("transfer-encoding")).isEqualTo("chunked");
            // Nothing of either body was sent: the next response follows directly.
            assertThat(client.exchange("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("ok");
        }
    }

    @Test
    void aStreamedResponseShorterThanDeclaredClosesTheConnection() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /stream/short HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] all = client.readAll();
            String text = new String(all, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 200 OK\r\n").contains("Content-Length: 10\r\n");
            // Fewer than the 10 declared bytes, then the close tells the client the body is incomplete.
            assertThat(all.length - (text.indexOf("\r\n\r\n") + 4)).isLessThan(10);
        }
    }
}
