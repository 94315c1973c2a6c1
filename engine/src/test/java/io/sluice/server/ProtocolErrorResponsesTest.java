package io.sluice.server;

import static io.sluice.server.ProtocolTestSupport.assertClosed;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.http.RequestError;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests the server must refuse (RFC 9110 §15, RFC 9112): each gets its status with a short
 * plain-text body and {@code Connection: close}, and the connection is closed after it, because
 * once framing is in doubt nothing later on the connection can be trusted. A request that never
 * reaches a handler also never runs one.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ProtocolErrorResponsesTest {

    private static final int MAX_REQUEST_LINE = 256;
    private static final int MAX_HEADER_SIZE = 1024;
    private static final int MAX_HEADER_COUNT = 20;
    private static final int MAX_BODY = 1024;

    private static SluiceServer server;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(1)
                .maxRequestLineLength(MAX_REQUEST_LINE).maxHeaderSize(MAX_HEADER_SIZE)
                .maxHeaderCount(MAX_HEADER_COUNT).maxBodySize(MAX_BODY)
                .route(Route.of("GET", "/", request -> HttpResponse.text("root")).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/items/{id}", request -> HttpResponse.text("item " + request.pathVariable("id")))
                        .dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("PUT", "/items/{id}", request -> HttpResponse.noContent()).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("POST", "/echo", request -> HttpResponse.status(200).body(request.body())))
                .route(Route.of("POST", "/stream", request -> HttpResponse.status(200)
                        .body(request.bodyStream().readAllBytes())).withStreamingBody())
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

    static Stream<Arguments> refusedRequests() {
        String longTarget = "/" + "a".repeat(MAX_REQUEST_LINE);
        StringBuilder manyFields = new StringBuilder();
        for (int i = 0; i <= MAX_HEADER_COUNT; i++) {
            manyFields.append("X-Field-").append(i).append(": v\r\n");
        }
        return Stream.of(
                Arguments.of("malformed request line (no space)", "GET/ HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("malformed request line (two spaces)", "GET  / HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("malformed request line (no version)", "GET /\r\nHost: x\r\n\r\n", 400),
                Arguments.of("malformed version", "GET / HTTX/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("fragment in target", "GET /#frag HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("header without colon", "GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n", 400),
                Arguments.of("empty header name", "GET / HTTP/1.1\r\nHost: x\r\n: value\r\n\r\n", 400),
                Arguments.of("whitespace before colon", "GET / HTTP/1.1\r\nHost : x\r\n\r\n", 400),
                Arguments.of("obs-fold", "GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", 400),
                Arguments.of("control byte in value", "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0001b\r\n\r\n", 400),
                Arguments.of("NUL in value", "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n", 400),
                Arguments.of("DEL in value", "GET / HTTP/1.1\r\nHost: x\r\nX-Bad: a\u007Fb\r\n\r\n", 400),
                Arguments.of("missing Host on HTTP/1.1", "GET / HTTP/1.1\r\nAccept: */*\r\n\r\n", 400),
                Arguments.of("two Host fields", "GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),
                Arguments.of("Content-Length and Transfer-Encoding",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "0\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding on HTTP/1.0",
                        "POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", 400),
                Arguments.of("differing duplicate Content-Length",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400),
                Arguments.of("differing Content-Length list",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 4\r\n\r\nabcd", 400),
                Arguments.of("negative Content-Length",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n", 400),
                Arguments.of("signed Content-Length",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc", 400),
                Arguments.of("Transfer-Encoding not ending in chunked",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", 400),
                Arguments.of("bad chunk size",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk size with a sign",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n-5\r\nhello\r\n0\r\n\r\n", 400),
                Arguments.of("chunk data not followed by CRLF",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n", 400),
                Arguments.of("bad chunk size on a streaming route",
                        "POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\nq\r\n", 400),
                Arguments.of("chunked twice",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "0\r\n\r\n", 400),
                Arguments.of("Transfer-Encoding identity",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", 400),
                Arguments.of("Content-Length overflowing a long",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999999999999999999\r\n\r\n", 400),
                Arguments.of("asterisk target on GET", "GET * HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("lower-case version", "GET / http/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("whitespace line after the request line", "GET / HTTP/1.1\r\n Host: x\r\nHost: x\r\n\r\n", 400),
                Arguments.of("space in target", "GET /a b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
                Arguments.of("bare LF line endings", "GET / HTTP/1.1\nHost: x\n\n", 400),
                Arguments.of("bare LF in the header section", "GET / HTTP/1.1\r\nHost: x\nAccept: */*\r\n\r\n", 400),
                Arguments.of("bare CR", "GET / HTTP/1.1\r\nHost: x\rAccept: */*\r\n\r\n", 400),
                Arguments.of("request line over the limit", "GET " + longTarget + " HTTP/1.1\r\nHost: x\r\n\r\n", 414),
                Arguments.of("header section over the limit",
                        "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(MAX_HEADER_SIZE) + "\r\n\r\n", 431),
                Arguments.of("too many header fields", "GET / HTTP/1.1\r\nHost: x\r\n" + manyFields + "\r\n", 431),
                Arguments.of("chunked body over the limit",
                        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "200\r\n" + "a".repeat(512) + "\r\n"
                                + "200\r\n" + "b".repeat(512) + "\r\n"
                                + "1\r\nc\r\n0\r\n\r\n", 413),
                Arguments.of("gzip, chunked", "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n"
                        + "0\r\n\r\n", 501),
                Arguments.of("CONNECT", "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n", 501),
                Arguments.of("HTTP/2.0 request line", "GET / HTTP/2.0\r\nHost: x\r\n\r\n", 505),
                Arguments.of("HTTP/0.9-style version", "GET / HTTP/0.9\r\nHost: x\r\n\r\n", 505),
                Arguments.of("HTTP/1.2", "GET / HTTP/1.2\r\nHost: x\r\n\r\n", 505),
                Arguments.of("unknown expectation", "GET / HTTP/1.1\r\nHost: x\r\nExpect: something-else\r\n\r\n", 417));
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("refusedRequests")
    void isRefusedAndTheConnectionClosed(String description, String request, int status) throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange(request);

            assertThat(response.status()).as(description).isEqualTo(status);
            assertThat(response.statusLine()).startsWith("HTTP/1.1 " + status + " ");
            assertThat(response.header("connection")).as(description).isEqualTo("close");
            assertThat(response.header("content-type")).isEqualTo("text/plain; charset=utf-8");
            assertThat(response.header("content-length")).isEqualTo(String.valueOf(response.body().length));
            assertThat(response.header("date")).isNotNull();
            assertClosed(client);
        }
    }

    @ParameterizedTest(name = "{0} -> {2}, after a good request on the same connection")
    @MethodSource("refusedRequests")
    void aRefusedRequestAfterAGoodOneOnTheSameConnection(String description, String request, int status)
            throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\n" + request);
            Response good = client.readResponse();
            assertThat(good.status()).isEqualTo(200);
            assertThat(good.bodyText()).isEqualTo("item 1");
            assertThat(good.header("connection")).isNull();
            Response refused = client.readResponse();
            assertThat(refused.status()).as(description).isEqualTo(status);
            assertThat(refused.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void requestsPipelinedAfterARefusedOneAreNotAnswered() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("GET / HTTP/1.1\r\nHost : x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(400);
            assertThat(client.readAll()).isEmpty();
        }
    }

    @Test
    void refusalsAreCountedByKind() throws Exception {
        long before = server.stats().requestErrors(RequestError.WHITESPACE_BEFORE_COLON);
        try (RawHttpClient client = connect()) {
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost : x\r\n\r\n").status()).isEqualTo(400);
        }
        ProtocolTestSupport.await("the refusal counted",
                () -> server.stats().requestErrors(RequestError.WHITESPACE_BEFORE_COLON) == before + 1);
    }

    @Test
    void contentLengthOverTheLimitIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (RawHttpClient client = connect()) {
            // Only the head: the 413 must come without waiting for the body.
            Response response = client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + (MAX_BODY + 1) + "\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void contentLengthOverTheLimitOnAStreamingRouteIsRefusedBeforeTheBodyIsSent() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("POST /stream HTTP/1.1\r\nHost: x\r\nContent-Length: 99999999\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
            assertClosed(client);
        }
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() throws Exception {
        try (RawHttpClient client = connect()) {
            String body = "z".repeat(MAX_BODY);
            Response response = client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + MAX_BODY
                    + "\r\n\r\n" + body);
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(body);
        }
    }

    @Test
    void aRequestLineOfExactlyTheLimitIsAccepted() throws Exception {
        String prefix = "GET /items/";
        String suffix = " HTTP/1.1";
        String id = "i".repeat(MAX_REQUEST_LINE - prefix.length() - suffix.length());
        try (RawHttpClient client = connect()) {
            Response response = client.exchange(prefix + id + suffix + "\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("item " + id);
        }
    }

    @Test
    void aRequestLineOneByteOverTheLimitGets414() throws Exception {
        String prefix = "GET /items/";
        String suffix = " HTTP/1.1";
        String id = "i".repeat(MAX_REQUEST_LINE - prefix.length() - suffix.length() + 1);
        try (RawHttpClient client = connect()) {
            Response response = client.exchange(prefix + id + suffix + "\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(414);
            assertClosed(client);
        }
    }

    @Test
    void anEndlessRequestLineIsRefusedWithoutWaitingForItsEnd() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /" + "x".repeat(MAX_REQUEST_LINE * 2));
            assertThat(response.status()).isEqualTo(414);
            assertClosed(client);
        }
    }

    @Test
    void anEndlessHeaderSectionIsRefusedWithoutWaitingForItsEnd() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "y".repeat(MAX_HEADER_SIZE * 2));
            assertThat(response.status()).isEqualTo(431);
            assertClosed(client);
        }
    }

    @Test
    void notFoundKeepsTheConnection() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /nope HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.bodyText()).isEqualTo("Not Found\n");
            assertThat(response.header("connection")).isNull();
            assertThat(client.exchange("GET / HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("root");
        }
    }

    @Test
    void notFoundWithAnUnreadBodyClosesTheConnection() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("POST /nope HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc");
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void methodNotAllowedListsTheAllowedMethods() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("DELETE /items/7 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(405);
            assertThat(allowed(response)).contains("GET", "HEAD", "PUT").doesNotContain("DELETE", "POST");
            assertThat(response.header("connection")).isNull();
            assertThat(client.exchange("GET /items/7 HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("item 7");
        }
    }

    @Test
    void optionsOnAPathAnswers204WithAllow() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("OPTIONS /items/7 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(204);
            assertThat(allowed(response)).contains("GET", "HEAD", "PUT", "OPTIONS");
            assertThat(response.header("content-length")).isNull();
            assertThat(response.body()).isEmpty();
            // Still usable.
            assertThat(client.exchange("GET /items/8 HTTP/1.1\r\nHost: x\r\n\r\n").bodyText()).isEqualTo("item 8");
        }
    }

    @Test
    void optionsStarAnswers204WithAllow() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(204);
            assertThat(allowed(response)).contains("GET", "OPTIONS");
        }
    }

    @Test
    void aMalformedPercentEncodingIsRefused() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /items/%zz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    private static java.util.List<String> allowed(Response response) {
        String allow = response.header("allow");
        assertThat(allow).as("Allow header").isNotNull();
        return java.util.Arrays.stream(allow.split(",")).map(String::trim).toList();
    }
}
