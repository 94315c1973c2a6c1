package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Round trips through {@link java.net.http.HttpClient}, a real-world HTTP/1.1 client. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HttpClientRoundTripTest {

    private static final String HELLO = "Hello, World!";

    private static SluiceServer server;
    private static SluiceServer anonymous;
    private static HttpClient client;

    @BeforeAll
    static void start() throws Exception {
        server = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(2).serverHeader("Sluice-IT/1")
                .route(Route.of("GET", "/plaintext", request -> HttpResponse.text(HELLO)).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/worker", request -> HttpResponse.text("from " + Thread.currentThread().getName())))
                .route(Route.of("POST", "/echo", request -> HttpResponse.status(200)
                        .contentType(request.header("Content-Type") != null ? request.header("Content-Type")
                                : "application/octet-stream")
                        .body(request.body())).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/own-server", request -> HttpResponse.status(200)
                        .header("Server", "Handler/2").text("own")).dispatch(Dispatch.EVENT_LOOP))
                .build();
        server.start();
        anonymous = SluiceServer.builder()
                .address("127.0.0.1").port(0).eventLoops(1).serverHeader(null)
                .route(Route.of("GET", "/plaintext", request -> HttpResponse.text(HELLO)).dispatch(Dispatch.EVENT_LOOP))
                .build();
        anonymous.start();
        client = newClient(HttpClient.Version.HTTP_1_1);
    }

    @AfterAll
    static void stop() {
        server.stop();
        anonymous.stop();
    }

    private static HttpClient newClient(HttpClient.Version version) {
        return HttpClient.newBuilder().version(version).connectTimeout(Duration.ofSeconds(5)).build();
    }

    private static URI uri(SluiceServer target, String path) {
        return URI.create("http://127.0.0.1:" + target.port() + path);
    }

    private static HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(uri(server, path)).timeout(Duration.ofSeconds(5));
    }

    @Test
    void getRoundTripOnTheEventLoop() throws Exception {
        var response = client.send(request("/plaintext").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo(HELLO);
        assertThat(response.headers().firstValue("content-type")).hasValue("text/plain; charset=utf-8");
        assertThat(response.headers().firstValue("content-length")).hasValue(String.valueOf(HELLO.length()));
        assertThat(response.headers().firstValue("transfer-encoding")).isEmpty();
        assertThat(response.headers().firstValue("connection")).isEmpty();
    }

    @Test
    void getRoundTripOnAWorker() throws Exception {
        var response = client.send(request("/worker").GET().build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).startsWith("from sluice-worker-");
    }

    @Test
    void postRoundTripEchoesTheBody() throws Exception {
        String body = "{\"greeting\":\"grüße\"}".repeat(100);
        var response = client.send(request("/echo").header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo(body);
    }

    @Test
    void postWithAnEmptyBody() throws Exception {
        var response = client.send(request("/echo").POST(BodyPublishers.noBody()).build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEmpty();
        assertThat(response.headers().firstValue("content-length")).hasValue("0");
    }

    @Test
    void manyRequestsReuseOneConnection() throws Exception {
        HttpClient fresh = newClient(HttpClient.Version.HTTP_1_1);
        long acceptedBefore = server.stats().connectionsAccepted();
        for (int i = 0; i < 50; i++) {
            String path = i % 3 == 0 ? "/worker" : "/plaintext";
            var response = i % 5 == 0
                    ? fresh.send(request("/echo").POST(BodyPublishers.ofString("n" + i)).build(), BodyHandlers.ofString())
                    : fresh.send(request(path).build(), BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            if (i % 5 == 0) {
                assertThat(response.body()).isEqualTo("n" + i);
            }
        }

        assertThat(server.stats().connectionsAccepted() - acceptedBefore).isEqualTo(1);
    }

    @Test
    void headHasTheHeadersOfGetButNoBody() throws Exception {
        var get = client.send(request("/plaintext").GET().build(), BodyHandlers.ofByteArray());
        var head = client.send(request("/plaintext").method("HEAD", BodyPublishers.noBody()).build(),
                BodyHandlers.ofByteArray());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("content-length"))
                .hasValue(String.valueOf(get.body().length))
                .isEqualTo(get.headers().firstValue("content-length"));
        assertThat(head.headers().firstValue("content-type")).isEqualTo(get.headers().firstValue("content-type"));
        // The connection survives a HEAD: the next response is framed correctly.
        var after = client.send(request("/plaintext").GET().build(), BodyHandlers.ofString());
        assertThat(after.body()).isEqualTo(HELLO);
    }

    @Test
    void dateAndServerHeadersArePresent() throws Exception {
        var response = client.send(request("/plaintext").build(), BodyHandlers.ofString());

        assertThat(response.headers().allValues("server")).containsExactly("Sluice-IT/1");
        String date = response.headers().firstValue("date").orElseThrow();
        ZonedDateTime parsed = ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME);
        assertThat(date).endsWith(" GMT").matches("[A-Z][a-z]{2}, \\d{2} [A-Z][a-z]{2} \\d{4} \\d{2}:\\d{2}:\\d{2} GMT");
        assertThat(Duration.between(parsed, ZonedDateTime.now()).abs()).isLessThan(Duration.ofSeconds(30));
    }

    @Test
    void aServerHeaderSetByTheHandlerReplacesTheConfiguredOne() throws Exception {
        var response = client.send(request("/own-server").build(), BodyHandlers.ofString());

        assertThat(response.headers().allValues("server")).containsExactly("Handler/2");
    }

    @Test
    void theServerHeaderCanBeOmitted() throws Exception {
        var response = client.send(HttpRequest.newBuilder(uri(anonymous, "/plaintext")).timeout(Duration.ofSeconds(5))
                .build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("server")).isEmpty();
        assertThat(response.headers().firstValue("date")).isPresent();
    }

    @Test
    void anH2cUpgradeOfferIsAnsweredWithHttp11() throws Exception {
        // The default client version offers "Upgrade: h2c"; a server that does not speak h2c ignores it.
        HttpClient h2 = newClient(HttpClient.Version.HTTP_2);
        var response = h2.send(request("/plaintext").build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.body()).isEqualTo(HELLO);
    }

    @Test
    void notFoundAndMethodNotAllowed() throws Exception {
        var missing = client.send(request("/nothing-here").build(), BodyHandlers.ofString());
        var wrongMethod = client.send(request("/plaintext").DELETE().build(), BodyHandlers.ofString());

        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(wrongMethod.statusCode()).isEqualTo(405);
        assertThat(wrongMethod.headers().firstValue("allow").orElseThrow()).contains("GET").contains("HEAD");
    }
}
