package io.sluice.boot.web;

import static io.sluice.boot.web.ServedContext.serve;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import tools.jackson.databind.json.JsonMapper;

/**
 * Annotated endpoints served over real sockets: the registrar comes from the auto-configuration and
 * customizes a server bound to an ephemeral port.
 */
@Timeout(30)
class AnnotatedEndpointsIntegrationTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceJsonAutoConfiguration.class,
                    SluiceWebEndpointsAutoConfiguration.class))
            .withBean(CatalogEndpoints.class);

    @Test
    void createFindListRenameRepriceDelete() {
        serve(runner, served -> {
            var http = served.client();
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
        });
    }

    @Test
    void bytesHeadersRawRequestEngineResponsesAndWildcards() {
        serve(runner, served -> {
            var http = served.client();
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
        });
    }

    @Test
    void headRequestToAGetEndpointAnswersHeadersOnly() {
        serve(runner, served -> {
            var http = served.client();
            HttpResponse<String> head = http.send(http.request("/catalog/teapot").method("HEAD", BodyPublishers.noBody()));
            assertThat(head.statusCode()).isEqualTo(418);
            assertThat(head.headers().firstValue("Content-Length")).hasValue("12");
            assertThat(head.body()).isEmpty();
        });
    }

    @Test
    void nonBlockingEndpointRunsOnTheEventLoopOthersOnWorkers() {
        serve(runner, served -> {
            assertThat(served.client().get("/catalog/thread").body()).startsWith("sluice-loop-");
            assertThat(served.client().get("/catalog/worker-thread").body()).startsWith("sluice-worker-");
        });
    }

    @Test
    void badRequestsAnswer400WithAProblemBody() {
        serve(runner, served -> {
            var http = served.client();
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
        });
    }

    @Test
    void mappedExceptionsAnswerTheirStatusAndOthers500WithoutDetails() {
        serve(runner, served -> {
            var http = served.client();
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
        });
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
