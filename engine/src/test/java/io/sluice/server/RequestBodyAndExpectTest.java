package io.sluice.server;

import static io.sluice.server.ProtocolTestSupport.ascii;
import static io.sluice.server.ProtocolTestSupport.assertClosed;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Request bodies (Content-Length, chunked, streamed), {@code Expect: 100-continue}, query and path decoding. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class RequestBodyAndExpectTest {

    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final int SMALL_LIMIT_BODY = 1024;

    private static SluiceServer server;
    private static SluiceServer smallLimit;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(2).maxBodySize(MAX_BODY)
                .route(Route.of("POST", "/echo", request -> HttpResponse.status(200)
                        .header("X-Body-Length", String.valueOf(request.body().length))
                        .body(request.body())))
                .route(Route.of("POST", "/echo-loop", request -> HttpResponse.status(200).body(request.body()))
                        .dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("POST", "/trailers", request -> HttpResponse.status(200)
                        .header("X-Trailer-Count", String.valueOf(request.trailers().size()))
                        .header("X-Checksum", String.valueOf(request.trailers().first("x-checksum")))
                        .header("X-Also", String.join("|", request.trailers().all("X-Also")))
                        .header("X-Forbidden-Kept", String.valueOf(request.trailers().first("Content-Length")))
                        .body(request.body())))
                .route(Route.of("PUT", "/upload", request -> {
                    CRC32 crc = new CRC32();
                    long total = 0;
                    byte[] buffer = new byte[16 * 1024];
                    try (InputStream in = request.bodyStream()) {
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            crc.update(buffer, 0, n);
                            total += n;
                        }
                    }
                    return HttpResponse.text(total + " " + Long.toHexString(crc.getValue()) + " "
                            + request.trailers().first("X-Done"));
                }).withStreamingBody())
                .route(Route.of("POST", "/ignore", request -> HttpResponse.status(202).text("ignored"))
                        .withStreamingBody())
                .route(Route.of("POST", "/charset", request -> HttpResponse.status(200)
                        .header("X-Charset", request.charset(StandardCharsets.ISO_8859_1).name())
                        .header("X-Raw-Length", String.valueOf(request.body().length))
                        .text(request.bodyAsString())))
                .route(Route.of("GET", "/hello/{name}", request -> HttpResponse.text(
                        "Hello, " + request.pathVariable("name") + "! path=" + request.path() + " raw=" + request.rawPath()
                                + " q=" + request.queryParameter("q") + " all=" + request.query().all("multi")
                                + " rawQuery=" + request.rawQuery())).dispatch(Dispatch.EVENT_LOOP))
                .build();
        server.start();
        smallLimit = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(1).maxBodySize(SMALL_LIMIT_BODY)
                .route(Route.of("POST", "/echo", request -> HttpResponse.status(200).body(request.body())))
                .route(Route.of("POST", "/stream", request -> HttpResponse.status(200)
                        .body(request.bodyStream().readAllBytes())).withStreamingBody())
                .build();
        smallLimit.start();
    }

    @AfterAll
    static void stop() {
        server.stop();
        smallLimit.stop();
    }

    private static RawHttpClient connect() throws Exception {
        return new RawHttpClient(server.port());
    }

    // ---------------------------------------------------------------- bodies

    @Test
    void contentLengthBodyIsEchoed() throws Exception {
        String body = "The quick brown fox jumps over the lazy dog.\r\n\r\n" + "é".repeat(1000);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        try (RawHttpClient client = connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + bytes.length + "\r\n\r\n");
            client.send(bytes);
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.body()).isEqualTo(bytes);
            assertThat(response.header("x-body-length")).isEqualTo(String.valueOf(bytes.length));
            // The same connection works for a body on the event loop too.
            assertThat(client.exchange("POST /echo-loop HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabc").bodyText())
                    .isEqualTo("abc");
        }
    }

    @Test
    void identicalDuplicateContentLengthsAreAccepted() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    + "Content-Length: 4\r\n\r\nabcd");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abcd");
        }
    }

    @Test
    void chunkedBodyWithExtensionsAndTrailers() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("POST /trailers HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                    + "Trailer: X-Checksum, X-Also\r\n\r\n"
                    + "5;name=value;quoted=\"a b\"\r\nhello\r\n"
                    + "1;flag\r\n,\r\n"
                    + "A\r\n chunked!!\r\n"
                    + "0;last=1\r\n"
                    + "X-Checksum: 1234abcd\r\n"
                    + "X-Also: one\r\n"
                    + "x-also:two  \r\n"
                    + "Content-Length: 99\r\n"
                    + "\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello, chunked!!");
            assertThat(response.header("x-checksum")).isEqualTo("1234abcd");
            assertThat(response.header("x-also")).isEqualTo("one|two");
            // Framing fields are not taken from trailers.
            assertThat(response.header("x-forbidden-kept")).isEqualTo("null");
            assertThat(response.header("x-trailer-count")).isEqualTo("3");
            // The connection is still in sync.
            assertThat(client.exchange("POST /echo-loop HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok").bodyText())
                    .isEqualTo("ok");
        }
    }

    @Test
    void chunkedBodyWithUppercaseHexAndLeadingZeros() throws Exception {
        try (RawHttpClient client = connect()) {
            String data = "x".repeat(0x1A);
            Response response = client.exchange("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "001A\r\n" + data + "\r\n0000\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(data);
        }
    }

    @Test
    void streamingRouteReadsSeveralMebibytesSentInPieces() throws Exception {
        int size = 6 * 1024 * 1024 + 123;
        byte[] body = new byte[size];
        new Random(42).nextBytes(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        try (RawHttpClient client = connect()) {
            client.send("PUT /upload HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            for (int offset = 0; offset < size; offset += 100_000) {
                client.send(java.util.Arrays.copyOfRange(body, offset, Math.min(size, offset + 100_000)));
            }
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(size + " " + Long.toHexString(crc.getValue()) + " null");
            // Keep-alive after a streamed body.
            assertThat(client.exchange("POST /echo-loop HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\n!").bodyText())
                    .isEqualTo("!");
        }
    }

    @Test
    void streamingRouteReadsAChunkedBodyWithTrailers() throws Exception {
        int size = 3 * 1024 * 1024;
        byte[] body = new byte[size];
        new Random(7).nextBytes(body);
        CRC32 crc = new CRC32();
        crc.update(body);
        try (RawHttpClient client = connect()) {
            client.send("PUT /upload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int offset = 0; offset < size; offset += 65_000) {
                int n = Math.min(size - offset, 65_000);
                client.send(Integer.toHexString(n) + "\r\n");
                client.send(java.util.Arrays.copyOfRange(body, offset, offset + n));
                client.send("\r\n");
            }
            client.send("0\r\nX-Done: yes\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(size + " " + Long.toHexString(crc.getValue()) + " yes");
        }
    }

    @Test
    void anUnknownCharsetFallsBackToUtf8WithTheBytesIntact() throws Exception {
        byte[] body = "grüße, 世界".getBytes(StandardCharsets.UTF_8);
        try (RawHttpClient client = connect()) {
            client.send("POST /charset HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=x-no-such-charset\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            client.send(body);
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.header("x-charset")).isEqualTo("ISO-8859-1"); // charset(fallback) gives the fallback
            assertThat(response.header("x-raw-length")).isEqualTo(String.valueOf(body.length));
            assertThat(response.bodyText()).isEqualTo("grüße, 世界");
        }
    }

    @Test
    void aKnownCharsetIsUsedToDecodeTheBody() throws Exception {
        byte[] body = "grüße".getBytes(StandardCharsets.ISO_8859_1);
        try (RawHttpClient client = connect()) {
            client.send("POST /charset HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain; charset=\"ISO-8859-1\"\r\n"
                    + "Content-Length: " + body.length + "\r\n\r\n");
            client.send(body);
            Response response = client.readResponse();
            assertThat(response.header("x-charset")).isEqualTo("ISO-8859-1");
            assertThat(response.bodyText()).isEqualTo("grüße");
        }
    }

    @Test
    void queryStringAndPercentDecodedPathVariables() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange(
                    "GET /hello/w%C3%B6rld?q=a%20b%26c&multi=1&multi=2 HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("Hello, wörld! path=/hello/wörld raw=/hello/w%C3%B6rld q=a b&c"
                    + " all=[1, 2] rawQuery=q=a%20b%26c&multi=1&multi=2");
        }
    }

    @Test
    void anEncodedSlashStaysInsideOneVariable() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /hello/a%2Fb HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("Hello, a/b!");
        }
    }

    @Test
    void absoluteFormTargetIsRouted() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET http://example.com/hello/abs?q=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("Hello, abs! path=/hello/abs").contains("q=1");
        }
    }

    // ---------------------------------------------------------------- Expect: 100-continue

    @Test
    void continueIsSentBeforeTheBodyIsWanted() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            Response interim = client.readResponse();
            assertThat(interim.statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            assertThat(interim.headers()).isEmpty();
            client.send("hello");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
            // Keep-alive afterwards.
            assertThat(client.exchange("POST /echo-loop HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok").bodyText())
                    .isEqualTo("ok");
        }
    }

    @Test
    void continueForAChunkedBody() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-Continue\r\nTransfer-Encoding: chunked\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(100);
            client.send("3\r\nabc\r\n0\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("abc");
        }
    }

    @Test
    void continueOnAStreamingRouteWhenTheHandlerReads() throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("PUT /upload HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertThat(client.readResponse().statusLine()).isEqualTo("HTTP/1.1 100 Continue");
            client.send("data");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            CRC32 crc = new CRC32();
            crc.update(ascii("data"));
            assertThat(response.bodyText()).isEqualTo("4 " + Long.toHexString(crc.getValue()) + " null");
        }
    }

    @Test
    void noContinueWhenTheBodyIsAlreadyOnItsWay() throws Exception {
        // A client that does not wait still gets one final response (a 100 before it is allowed, never after).
        try (RawHttpClient client = connect()) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\nhello");
            Response first = client.readResponse();
            Response response = first.status() == 100 ? client.readResponse() : first;
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hello");
        }
    }

    @Test
    void expectWithoutABodyGetsNoContinue() throws Exception {
        try (RawHttpClient client = connect()) {
            Response response = client.exchange("GET /hello/x HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).startsWith("Hello, x!");
        }
    }

    @Test
    void contentLengthOverTheLimitGets413WithoutContinue() throws Exception {
        try (RawHttpClient client = new RawHttpClient(smallLimit.port())) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                    + (SMALL_LIMIT_BODY + 1) + "\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void streamingRouteOverTheLimitGets413WithoutContinue() throws Exception {
        try (RawHttpClient client = new RawHttpClient(smallLimit.port())) {
            client.send("POST /stream HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: "
                    + (SMALL_LIMIT_BODY * 10) + "\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(413);
            assertClosed(client);
        }
    }

    @Test
    void chunkedStreamingBodyGrowingPastTheLimitGets413() throws Exception {
        try (RawHttpClient client = new RawHttpClient(smallLimit.port())) {
            client.send("POST /stream HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "400\r\n" + "a".repeat(1024) + "\r\n1\r\nb\r\n0\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(413);
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void aStreamingHandlerThatIgnoresAnExpectedBodyGetsNoContinue() throws Exception {
        // The handler answers without reading: no 100 may be sent, and since the body is never read
        // the connection cannot be reused (or the server must drain the body first).
        try (RawHttpClient client = connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100000\r\n\r\n");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(202);
            assertThat(response.bodyText()).isEqualTo("ignored");
            assertThat(response.header("connection")).isEqualTo("close");
            assertClosed(client);
        }
    }

    @Test
    void aStreamingHandlerThatIgnoresAFullySentBodyKeepsTheConnectionInSync() throws Exception {
        assertIgnoredBodyKeepsConnectionInSync(5);
    }

    @Test
    void aStreamingHandlerThatIgnoresALargeBodyKeepsTheConnectionInSync() throws Exception {
        assertIgnoredBodyKeepsConnectionInSync(2 * 1024 * 1024);
    }

    private void assertIgnoredBodyKeepsConnectionInSync(int size) throws Exception {
        try (RawHttpClient client = connect()) {
            client.send("POST /ignore HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            byte[] body = new byte[size];
            java.util.Arrays.fill(body, (byte) 'G'); // looks like the start of a request if taken for one
            for (int offset = 0; offset < size; offset += 256 * 1024) {
                client.send(java.util.Arrays.copyOfRange(body, offset, Math.min(size, offset + 256 * 1024)));
            }
            client.send("POST /echo-loop HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok");
            Response first = client.readResponse();
            assertThat(first.status()).isEqualTo(202);
            if ("close".equals(first.header("connection"))) {
                assertClosed(client);
            } else {
                // Kept alive: the unread body must not be taken for the next request.
                assertThat(client.readResponse().bodyText()).isEqualTo("ok");
            }
        }
    }

    @Test
    void expectOnHttp10IsIgnored() throws Exception {
        // RFC 9110 §10.1.1: a server must ignore a 100-continue expectation in an HTTP/1.0 request.
        try (RawHttpClient client = connect()) {
            client.send("POST /echo HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\nhi");
            Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("hi");
        }
    }
}
