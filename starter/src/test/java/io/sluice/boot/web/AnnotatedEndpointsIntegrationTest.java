package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Timer;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import tools.jackson.databind.json.JsonMapper;

/**
 * Annotated endpoints of a whole auto-configured application, served over real sockets on the port
 * {@code RANDOM_PORT} made Sluice bind; with the actuator on the class path, they are also timed.
 */
@SpringBootTest(classes = AnnotatedEndpointsIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1" })
@Timeout(30)
class AnnotatedEndpointsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(CatalogEndpoints.class)
    static class App {
    }

    @LocalServerPort
    int port;

    @Autowired
    CatalogEndpoints catalog;

    @Autowired
    MeterRegistry meters;

    private ServedContext.Client http;

    @BeforeEach
    void emptyCatalogue() {
        catalog.clear();
        http = new ServedContext.Client(port);
    }

    @Test
    void createFindListRenameRepriceDelete() throws Exception {
        HttpResponse<String> created = http.send(http.request("/catalog/items")
                .header("Content-Type", "application/json")
                .POST(BodyPublishers.ofString("{\"name\":\"kettle\",\"price\":30}")));
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(created.headers().firstValue("Location")).hasValue("/catalog/items/1");
        assertThat(created.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(created)).isEqualTo(Map.of("id", 1, "name", "kettle", "price", 30));

        http.send(http.request("/catalog/items").POST(BodyPublishers.ofString("{\"name\":\"cup\",\"price\":5}")));
        HttpResponse<String> found = http.get("/catalog/items/2");
        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(json(found)).isEqualTo(Map.of("id", 2, "name", "cup", "price", 5));

        assertThat(JSON.readValue(http.get("/catalog/items?minPrice=10").body(), List.class))
                .isEqualTo(List.of(Map.of("id", 1, "name", "kettle", "price", 30)));
        assertThat(JSON.readValue(http.get("/catalog/items?prefix=c").body(), List.class))
                .isEqualTo(List.of(Map.of("id", 2, "name", "cup", "price", 5)));

        HttpResponse<String> renamed = http.send(http.request("/catalog/items/2/name")
                .PUT(BodyPublishers.ofString("mug")));
        assertThat(renamed.statusCode()).isEqualTo(200);
        assertThat(renamed.headers().firstValue("Content-Type")).hasValue("text/plain; charset=utf-8");
        assertThat(renamed.body()).isEqualTo("mug");

        HttpResponse<String> repriced = http.send(http.request("/catalog/items/2/price?price=7")
                .method("PATCH", BodyPublishers.noBody()));
        assertThat(json(repriced)).isEqualTo(Map.of("id", 2, "name", "mug", "price", 7));

        HttpResponse<String> deleted = http.send(http.request("/catalog/items/2").DELETE());
        assertThat(deleted.statusCode()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(http.get("/catalog/items/2").statusCode()).isEqualTo(404);
    }

    @Test
    void bytesHeadersRawRequestEngineResponsesAndWildcards() throws Exception {
        HttpResponse<byte[]> echoed = http.sendForBytes(http.request("/catalog/echo")
                .header("Content-Type", "application/x-thing")
                .POST(BodyPublishers.ofByteArray(new byte[] {0, 1, (byte) 0xFF})));
        assertThat(echoed.statusCode()).isEqualTo(200);
        assertThat(echoed.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(echoed.body()).containsExactly(0, 1, 0xFF);

        assertThat(http.get("/catalog/whoami").body()).isEqualTo("anonymous from 127.0.0.1");
        assertThat(http.send(http.request("/catalog/whoami").header("X-User", "ada")).body())
                .isEqualTo("ada from 127.0.0.1");

        HttpResponse<String> teapot = http.get("/catalog/teapot");
        assertThat(teapot.statusCode()).isEqualTo(418);
        assertThat(teapot.headers().firstValue("X-Brew")).hasValue("tea");
        assertThat(http.get("/catalog/map").body()).isEqualTo("{\"ok\":true}");
        assertThat(http.get("/catalog/files/a/b%20c.txt").body()).isEqualTo("a/b c.txt");
    }

    @Test
    void headRequestToAGetEndpointAnswersHeadersOnly() throws Exception {
        HttpResponse<String> head = http.send(http.request("/catalog/teapot").method("HEAD", BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(418);
        assertThat(head.headers().firstValue("Content-Length")).hasValue("12");
        assertThat(head.body()).isEmpty();
    }

    @Test
    void nonBlockingEndpointRunsOnTheEventLoopOthersOnWorkers() throws Exception {
        assertThat(http.get("/catalog/thread").body()).startsWith("sluice-loop-");
        assertThat(http.get("/catalog/worker-thread").body()).startsWith("sluice-worker-");
    }

    @Test
    void badRequestsAnswer400WithAProblemBody() throws Exception {
        assertProblem(http.get("/catalog/items/abc"), 400,
                "Path variable 'id' has the invalid value 'abc' for type long", "/catalog/items/abc");
        assertProblem(http.get("/catalog/items?minPrice=99999999999999999999"), 400,
                "Query parameter 'minPrice' has the invalid value '99999999999999999999' for type int",
                "/catalog/items");
        assertProblem(http.send(http.request("/catalog/items/1/price").method("PATCH", BodyPublishers.noBody())),
                400, "Required query parameter 'price' is missing", "/catalog/items/1/price");
        assertProblem(http.send(http.request("/catalog/items").POST(BodyPublishers.noBody())), 400,
                "Required request body is missing", "/catalog/items");
        assertProblem(http.send(http.request("/catalog/echo").POST(BodyPublishers.ofString("x"))), 400,
                "Required header 'Content-Type' is missing", "/catalog/echo");

        HttpResponse<String> badJson = http.send(http.request("/catalog/items")
                .POST(BodyPublishers.ofString("{\"name\":\"x\",\"price\":\"free\"}")));
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(json(badJson).get("detail").toString()).startsWith("Unreadable JSON body: ");
        HttpResponse<String> truncated = http.send(http.request("/catalog/items")
                .POST(BodyPublishers.ofString("{\"name\":")));
        assertThat(truncated.statusCode()).isEqualTo(400);
    }

    @Test
    void mappedExceptionsAnswerTheirStatusAndOthers500WithoutDetails() throws Exception {
        assertProblem(http.get("/catalog/items/77"), 404, "No item 77", "/catalog/items/77");
        assertProblem(http.send(http.request("/catalog/items/1/price?price=-1").method("PATCH",
                BodyPublishers.noBody())), 422, "A price cannot be negative", "/catalog/items/1/price");
        // Thrown inside the CompletionStage: still mapped by the exception's own annotation.
        assertProblem(http.send(http.request("/catalog/items/5/price?price=1").method("PATCH",
                BodyPublishers.noBody())), 404, "No item 5", "/catalog/items/5/price");
        HttpResponse<String> boom = http.get("/catalog/boom");
        assertProblem(boom, 500, null, "/catalog/boom");
        assertThat(boom.body()).doesNotContain("hunter2", "IllegalStateException");
        // The connection survives every one of these.
        assertThat(http.get("/catalog/map").statusCode()).isEqualTo(200);
    }

    @Test
    void requestsAreTimedWithSpringsTagsByBootsObservationSetUp() throws Exception {
        Map<Map<String, String>, Long> before = requestCounts();
        http.send(http.request("/catalog/items").POST(BodyPublishers.ofString("{\"name\":\"a\",\"price\":1}")));
        http.get("/catalog/items/1");
        http.get("/catalog/items/1");
        http.get("/catalog/items/9");
        http.get("/catalog/items/x");
        http.get("/catalog/boom");
        http.get("/catalog/no-such-route");

        Map<Map<String, String>, Long> counted = new HashMap<>(requestCounts());
        counted.replaceAll((tags, count) -> count - before.getOrDefault(tags, 0L));
        counted.values().removeIf(count -> count == 0);
        assertThat(counted).containsOnly(
                Map.entry(tags("POST", "/catalog/items", "201", "SUCCESS", "none"), 1L),
                Map.entry(tags("GET", "/catalog/items/{id}", "200", "SUCCESS", "none"), 2L),
                Map.entry(tags("GET", "/catalog/items/{id}", "404", "CLIENT_ERROR", "NoSuchItemException"), 1L),
                Map.entry(tags("GET", "/catalog/items/{id}", "400", "CLIENT_ERROR", "BadRequestException"), 1L),
                Map.entry(tags("GET", "/catalog/boom", "500", "SERVER_ERROR", "IllegalStateException"), 1L));
        Timer found = meters.get("http.server.requests").tag("uri", "/catalog/items/{id}").tag("status", "200").timer();
        assertThat(found.totalTime(TimeUnit.NANOSECONDS)).isPositive();
    }

    private Map<Map<String, String>, Long> requestCounts() {
        return meters.find("http.server.requests").timers().stream().collect(Collectors.toMap(
                timer -> timer.getId().getTags().stream().collect(Collectors.toMap(Tag::getKey, Tag::getValue)),
                Timer::count));
    }

    private static Map<String, String> tags(String method, String uri, String status, String outcome,
            String exception) {
        return Map.of("method", method, "uri", uri, "status", status, "outcome", outcome, "exception", exception,
                "error", exception);
    }

    static void assertProblem(HttpResponse<String> response, int status, String detail, String instance) {
        assertThat(response.statusCode()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        Map<String, Object> problem = json(response);
        assertThat(problem).containsEntry("type", "about:blank")
                .containsEntry("title", io.sluice.api.HttpStatus.reasonPhrase(status))
                .containsEntry("status", status)
                .containsEntry("instance", instance);
        if (detail == null) {
            assertThat(problem).doesNotContainKey("detail");
        } else {
            assertThat(problem).containsEntry("detail", detail);
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> json(HttpResponse<String> response) {
        return JSON.readValue(response.body(), Map.class);
    }
}
