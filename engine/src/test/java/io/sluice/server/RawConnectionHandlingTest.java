package io.sluice.server;

import static io.sluice.server.ProtocolTestSupport.ascii;
import static io.sluice.server.ProtocolTestSupport.assertClosed;
import static io.sluice.server.ProtocolTestSupport.sendInSeparateReads;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.util.Arrays;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Connection handling over raw sockets (RFC 9112 §9): pipelining, requests arriving in pieces,
 * persistence and closing. Tests that split requests wait for the server to have read each piece,
 * so they need this server to themselves: the tests of this class run one at a time.
 */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class RawConnectionHandlingTest {

    private static SluiceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(2)
                .route(Route.of("GET", "/loop/{n}", request -> HttpResponse.text("loop " + request.pathVariable("n")))
                        .dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/worker/{n}", request -> {
                    // Uneven handler times, so workers finish out of order.
                    LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(0, 2_000_000));
                    return HttpResponse.text("worker " + request.pathVariable("n"));
                }))
                .route(Route.of("POST", "/echo", request -> HttpResponse.status(200).body(request.body())))
                .route(Route.of("POST", "/echo-loop", request -> HttpResponse.status(200)
                        .header("X-Trailer", String.valueOf(request.trailers().first("X-Sum")))
                        .body(request.body())).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/version", request -> HttpResponse.text(request.version()))
                        .dispatch(Dispatch.EVENT_LOOP))
                .build();
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static RawHttpClient connect() throws Exception {
        return new RawHttpClient(server.port());
    }

    @Test
    void hundredPipelinedRequestsInOneWriteAreAnsweredInOrder() throws Exception {
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            if (i % 10 == 9) {
                String body = "body-" + i;
                requests.append("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: ").append(body.length())
                        .append("\r\n\r\n").append(body);
            } else {
                requests.append("GET /").append(i % 2 == 0 ? "loop/" : "worker/").append(i)
                        .append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
        }
        long acceptedBefore = server.stats().connectionsAccepted();
        try (RawHttpClient client = connect()) {
            client.send(requests.toString());
            for (int i = 0; i < 100; i++) {
                Response response = client.readResponse();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                String expected = i % 10 == 9 ? "body-" + i : (i % 2 == 0 ? "loop " : "worker ") + i;
                assertThat(response.bodyText()).as("response %d", i).isEqualTo(expected);
                assertThat(response.header("connection")).isNull();
            }
            // Still open: one more request on the same connection.
            assertThat(client.exchange("GET /loop/last HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("loop last");
        }
        assertThat(server.stats().connectionsAccepted() - acceptedBefore).isEqualTo(1);
    }

    @Test
    void morePipelinedRequestsThanTheInFlightLimitAllOnTheEventLoop() throws Exception {
        // Every response is ready at once: the server must pick up the rest of the read by itself.
        StringBuilder requests = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            requests.append("GET /loop/").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
        }
        try (RawHttpClient client = connect()) {
            client.send(requests.toString());
            for (int i = 0; i < 300; i++) {
                assertThat(client.readResponse().bodyText()).as("response %d", i).isEqualTo("loop " + i);
            }
        }
    }

    @Test
    void pipelinedRequestsEndingWithConnectionCloseAreAllAnsweredThenClosed() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /worker/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /loop/2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
                    + "GET /loop/3 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().bodyText()).isEqualTo("worker 1");
            Response last = client.readResponse();
            assertThat(last.bodyText()).isEqualTo("loop 2");
            assertThat(last.header("connection")).isEqualTo("close");
            // The request after "close" is never answered.
            assertThat(client.readAll()).isEmpty();
        }
    }

    @Test
    void aRequestSentOneByteAtATime() throws Exception {
        byte[] request = ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 11\r\n\r\nhello world");
        try (RawHttpClient client = connect()) {
            byte[][] pieces = new byte[request.length][];
            for (int i = 0; i < request.length; i++) {
                pieces[i] = new byte[] {request[i]};
            }
            sendInSeparateReads(server, client, pieces);
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello world");
        }
    }

    @Test
    void aChunkedRequestSentOneByteAtATime() throws Exception {
        byte[] request = ascii("POST /echo-loop HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5;name=value\r\nhello\r\n6\r\n world\r\n0\r\nX-Sum: 42\r\n\r\n");
        try (RawHttpClient client = connect()) {
            for (byte b : request) {
                client.send(new byte[] {b});
            }
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello world");
            assertThat(response.header("x-trailer")).isEqualTo("42");
        }
    }

    @Test
    void requestsSplitAtEveryPositionGetTheSameResponse() throws Exception {
        byte[] request = ascii("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nabcde");
        try (RawHttpClient client = connect()) {
            for (int split = 1; split < request.length; split++) {
                sendInSeparateReads(server, client, Arrays.copyOfRange(request, 0, split),
                        Arrays.copyOfRange(request, split, request.length));
                Response response = client.readResponse();
                assertThat(response.status()).as("split at %d", split).isEqualTo(200);
                assertThat(response.bodyText()).as("split at %d", split).isEqualTo("abcde");
            }
        }
    }

    @Test
    void chunkedRequestsSplitAtEveryPositionGetTheSameResponse() throws Exception {
        byte[] request = ascii("POST /echo-loop HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "3;x=y\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 7\r\n\r\n");
        try (RawHttpClient client = connect()) {
            for (int split = 1; split < request.length; split++) {
                sendInSeparateReads(server, client, Arrays.copyOfRange(request, 0, split),
                        Arrays.copyOfRange(request, split, request.length));
                Response response = client.readResponse();
                assertThat(response.status()).as("split at %d", split).isEqualTo(200);
                assertThat(response.bodyText()).as("split at %d", split).isEqualTo("abcde");
                assertThat(response.header("x-trailer")).as("split at %d", split).isEqualTo("7");
            }
        }
    }

    @Test
    void twoPipelinedRequestsSplitAtEveryPosition() throws Exception {
        byte[] requests = ascii("GET /loop/a HTTP/1.1\r\nHost: x\r\n\r\nGET /worker/b HTTP/1.1\r\nHost: x\r\n\r\n");
        try (RawHttpClient client = connect()) {
            for (int split = 1; split < requests.length; split++) {
                sendInSeparateReads(server, client, Arrays.copyOfRange(requests, 0, split),
                        Arrays.copyOfRange(requests, split, requests.length));
                assertThat(client.readResponse().bodyText()).as("split at %d", split).isEqualTo("loop a");
                assertThat(client.readResponse().bodyText()).as("split at %d", split).isEqualTo("worker b");
            }
        }
    }

    @Test
    void headIsAnsweredWithoutABodyEvenWhenPipelined() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("HEAD /loop/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /loop/1 HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "HEAD /worker/2 HTTP/1.1\r\nHost: x\r\n\r\nGET /worker/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            Response head = client.readResponse(true);
            Response get = client.readResponse();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo(get.header("content-length")).isEqualTo("6");
            assertThat(get.bodyText()).isEqualTo("loop 1");
            Response workerHead = client.readResponse(true);
            Response workerGet = client.readResponse();
            assertThat(workerHead.header("content-length")).isEqualTo(workerGet.header("content-length"));
            assertThat(workerGet.bodyText()).isEqualTo("worker 2");
        }
    }

    @Test
    void connectionCloseIsHonoured() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /loop/1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("loop 1");
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void connectionCloseAmongOtherConnectionOptions() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /worker/1 HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void http10ClosesByDefault() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /version HTTP/1.0\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.statusLine()).startsWith("HTTP/1.1 200");
            assertThat(response.bodyText()).isEqualTo("HTTP/1.0");
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void http10KeepsAliveWhenAsked() throws Exception {
        try (RawHttpClient client = connect()) {
            for (int i = 0; i < 3; i++) {
                Response response = client.exchange("GET /loop/" + i + " HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
                assertThat(response.status()).isEqualTo(200);
                assertThat(response.bodyText()).isEqualTo("loop " + i);
                assertThat(response.header("connection")).isEqualToIgnoringCase("keep-alive");
                assertThat(response.header("content-length")).isEqualTo(String.valueOf(("loop " + i).length()));
            }
            Response last = client.exchange("GET /loop/end HTTP/1.0\r\n\r\n");
            assertThat(last.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void http11KeepsAliveByDefault() throws Exception {
        try (RawHttpClient client = connect()) {
            for (int i = 0; i < 5; i++) {
                Response response = client.exchange("GET /worker/" + i + " HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(response.bodyText()).isEqualTo("worker " + i);
                assertThat(response.header("connection")).isNull();
            }
        }
    }

    @Test
    void emptyLinesBeforeARequestLineAreIgnored() throws Exception {
        try (RawHttpClient client = connect()) {
            Response first = client.exchange("\r\n\r\nGET /loop/1 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("loop 1");
            // Also between pipelined requests (a client that added a stray CRLF after a body).
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok\r\n"
                    + "GET /loop/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().bodyText()).isEqualTo("ok");
            assertThat(client.readResponse().bodyText()).isEqualTo("loop 2");
        }
    }

    @Test
    void aClientThatHalfClosesStillGetsItsResponses() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /worker/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /loop/2 HTTP/1.1\r\nHost: x\r\n\r\n");
            client.socket().shutdownOutput();
            assertThat(client.readResponse().bodyText()).isEqualTo("worker 1");
            assertThat(client.readResponse().bodyText()).isEqualTo("loop 2");
            assertClosed(client);
        }
    }
}
