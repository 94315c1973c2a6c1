package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.boot.json.JacksonJsonCodec;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.Delete;
import io.sluice.boot.web.annotation.ErrorStatus;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.Header;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.Patch;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.Put;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

/** Parameter binding, result writing and failure answers of one endpoint, without a server. */
@Timeout(10)
class EndpointTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final EndpointFactory factory =
            new EndpointFactory(ApplicationConversionService.getSharedInstance(), new JacksonJsonCodec(JSON));
    private final List<Endpoint> endpoints = factory.endpointsOf(new Things(), Things.class);

    record Thing(String name, int count) {
    }

    @ErrorStatus(404)
    static class ThingNotFoundException extends RuntimeException {
        ThingNotFoundException(String message) {
            super(message);
        }
    }

    static class SpecificNotFoundException extends ThingNotFoundException {
        SpecificNotFoundException(String message) {
            super(message);
        }
    }

    @ErrorStatus(value = 503, detail = "Try again later")
    static class BusyException extends RuntimeException {
        BusyException(String message) {
            super(message);
        }
    }

    @SluiceController("/things")
    @ErrorStatus(value = 422, exceptions = IllegalArgumentException.class)
    static class Things {

        @Get("/{id}")
        String byId(@PathVar long id) {
            return "thing " + id;
        }

        @Get("/search")
        String search(@QueryParam String q, @QueryParam(defaultValue = "1") int page,
                @QueryParam(required = false) Integer size, @QueryParam Optional<String> sort,
                @QueryParam(value = "tag", required = false) List<Integer> tags) {
            return q + "|" + page + "|" + size + "|" + sort.orElse("-") + "|" + tags;
        }

        @Get("/big")
        String big(@QueryParam BigInteger n, @QueryParam(required = false) Long small,
                @QueryParam Optional<Integer> limit) {
            return n + "/" + small + limit.map(value -> "/" + (value + 1)).orElse("");
        }

        @Get("/header")
        String header(@Header("X-Id") UUID id, @Header(value = "X-Note", required = false) String note,
                @Header(value = "X-Flags", defaultValue = "a,b") List<String> flags) {
            return id + "|" + note + "|" + flags;
        }

        @Post("/text")
        String text(@Body String body) {
            return body.toUpperCase();
        }

        @Post("/bytes")
        byte[] bytes(@Body byte[] body) {
            return new byte[] {(byte) body.length};
        }

        @Post("/json")
        Thing json(@Body Thing thing) {
            return new Thing(thing.name() + "!", thing.count() + 1);
        }

        @Post("/json-optional")
        String jsonOptional(@Body Optional<Thing> thing) {
            return thing.map(Thing::name).orElse("none");
        }

        @Get("/raw")
        String raw(HttpRequest request) {
            return request.method() + " " + request.target();
        }

        @Delete("/{id}")
        void delete(@PathVar long id) {
        }

        @Put("/{id}")
        Reply<Thing> put(@PathVar("id") String key, @Body Thing thing) {
            return Reply.created("/things/" + key, thing).withHeader("X-Extra", "1");
        }

        @Patch("/{id}")
        HttpResponse patch(@PathVar String id) {
            return HttpResponse.status(202).text("patched " + id);
        }

        @Get("/object/{kind}")
        Object object(@PathVar String kind) {
            return switch (kind) {
                case "text" -> "text";
                case "bytes" -> new byte[] {1, 2};
                case "reply" -> Reply.status(418).withBody(List.of(1));
                case "null" -> null;
                default -> Map.of("kind", kind);
            };
        }

        @Get("/nothing")
        Thing nothing() {
            return null;
        }

        @Get("/async/{id}")
        CompletionStage<Thing> async(@PathVar int id) {
            return CompletableFuture.supplyAsync(() -> new Thing("async", id));
        }

        @Get("/async-void")
        CompletableFuture<Void> asyncVoid() {
            return CompletableFuture.completedFuture(null);
        }

        @Get("/async-fail")
        CompletionStage<String> asyncFail() {
            return CompletableFuture.supplyAsync(() -> {
                throw new IllegalStateException("async secret");
            });
        }

        @Get("/async-throws")
        CompletionStage<String> asyncThrows() {
            throw new ThingNotFoundException("thrown before any stage");
        }

        @Get("/fail")
        String fail() {
            throw new IllegalStateException("secret internals");
        }

        @Get("/checked")
        String checked() throws Exception {
            throw new Exception("checked secret");
        }

        @Get("/missing/{id}")
        String missing(@PathVar long id) {
            throw new SpecificNotFoundException("No thing " + id);
        }

        @Get("/busy")
        String busy() {
            throw new BusyException("internal queue full");
        }

        @Get("/argument")
        String argument() {
            throw new IllegalArgumentException("bad thing");
        }

        @Get("/conflict")
        @ErrorStatus(value = 409, exceptions = IllegalArgumentException.class)
        @ErrorStatus(value = 410, exceptions = NoSuchElementException.class, detail = "Gone for good")
        String conflict(@QueryParam String which) {
            if (which.equals("arg")) {
                throw new IllegalArgumentException("already there");
            }
            throw new NoSuchElementException("internal");
        }

        @NonBlocking
        @Get("/loop")
        String loop() {
            return "loop";
        }

        @Get("/wild/*")
        String wild(@PathVar("*") String rest) {
            return rest;
        }
    }

    // ------------------------------------------------------------------ discovery

    @Test
    void everyAnnotatedMethodBecomesAnEndpointWithTheControllerPrefixAndDispatch() {
        assertThat(endpoint("GET", "/things/{id}").handlerMethod())
                .isEqualTo(Things.class.getName() + "#byId(long)");
        assertThat(endpoint("PUT", "/things/{id}").handlerMethod())
                .isEqualTo(Things.class.getName() + "#put(String, Thing)");
        assertThat(endpoint("GET", "/things/loop").dispatch()).isEqualTo(Dispatch.EVENT_LOOP);
        assertThat(endpoint("GET", "/things/{id}").dispatch()).isEqualTo(Dispatch.WORKER);
        assertThat(endpoint("GET", "/things/async/{id}").isAsync()).isTrue();
        assertThat(endpoint("GET", "/things/{id}").isAsync()).isFalse();
        assertThat(endpoints).hasSize(26);
    }

    @Test
    void prefixAndPathJoinIntoOneTemplate() {
        assertThat(EndpointFactory.join("", "")).isEqualTo("/");
        assertThat(EndpointFactory.join("/", "")).isEqualTo("/");
        assertThat(EndpointFactory.join("/api", "")).isEqualTo("/api");
        assertThat(EndpointFactory.join("/api/", "/users")).isEqualTo("/api/users");
        assertThat(EndpointFactory.join("api", "users")).isEqualTo("/api/users");
        assertThat(EndpointFactory.join("", "/users/{id}")).isEqualTo("/users/{id}");
    }

    // ------------------------------------------------------------------ parameters

    @Test
    void pathVariableIsConverted() {
        HttpResponse response = serve("GET", "/things/{id}", TestRequest.of("GET", "/things/42").variable("id", "42"));
        assertText(response, 200, "thing 42");
    }

    @Test
    void unconvertiblePathVariableIsABadRequest() {
        HttpResponse response = serve("GET", "/things/{id}", TestRequest.of("GET", "/things/abc").variable("id", "abc"));
        assertProblem(response, 400, "Path variable 'id' has the invalid value 'abc' for type long", "/things/abc");
    }

    @Test
    void queryParametersWithDefaultsOptionalsAndLists() {
        assertText(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?q=x")), 200,
                "x|1|null|-|null");
        assertText(serve("GET", "/things/search", TestRequest.of("GET",
                "/things/search?q=a+b&page=3&size=10&sort=name&tag=1&tag=2")), 200, "a b|3|10|name|[1, 2]");
        assertText(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?q=x&tag=4,5,6")), 200,
                "x|1|null|-|[4, 5, 6]");
    }

    @Test
    void emptyValueOfANonStringParameterCountsAsAbsent() {
        assertText(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?q=&page=&size=")), 200,
                "|1|null|-|null");
    }

    @Test
    void missingRequiredQueryParameterIsABadRequest() {
        assertProblem(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?page=2")), 400,
                "Required query parameter 'q' is missing", "/things/search");
    }

    @Test
    void wrongTypeInAQueryParameterOrListIsABadRequest() {
        assertProblem(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?q=x&page=two")), 400,
                "Query parameter 'page' has the invalid value 'two' for type int", "/things/search");
        assertProblem(serve("GET", "/things/search", TestRequest.of("GET", "/things/search?q=x&tag=1&tag=z")), 400,
                "Query parameter 'tag' has the invalid value '1,z' for type List<Integer>", "/things/search");
    }

    @Test
    void hugeNumbersFitOnlyTypesThatHoldThem() {
        String huge = "9".repeat(40);
        assertText(serve("GET", "/things/big", TestRequest.of("GET", "/things/big?n=" + huge)), 200, huge + "/null");
        assertText(serve("GET", "/things/big", TestRequest.of("GET", "/things/big?n=1&limit=2")), 200, "1/null/3");
        assertProblem(serve("GET", "/things/big", TestRequest.of("GET", "/things/big?n=1&limit=" + huge)), 400,
                "Query parameter 'limit' has the invalid value '" + huge + "' for type Integer", "/things/big");
        assertProblem(serve("GET", "/things/big", TestRequest.of("GET", "/things/big?n=1&small=" + huge)), 400,
                "Query parameter 'small' has the invalid value '" + huge + "' for type Long", "/things/big");
    }

    @Test
    void hugeInvalidValuesAreQuotedOnlyInPart() {
        String huge = "x".repeat(100_000);
        HttpResponse response = serve("GET", "/things/big", TestRequest.of("GET", "/things/big?n=" + huge));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.body().length).isLessThan(500);
        assertThat(problem(response).get("detail").toString()).contains("(100000 characters)");
    }

    @Test
    void headersAreBoundCaseInsensitivelyAndConverted() {
        UUID id = UUID.randomUUID();
        assertText(serve("GET", "/things/header", TestRequest.of("GET", "/things/header").header("x-id", id.toString())),
                200, id + "|null|[a, b]");
        assertText(serve("GET", "/things/header", TestRequest.of("GET", "/things/header").header("X-Id", id.toString())
                .header("X-Note", "hi").header("X-Flags", "c").header("x-flags", "d")), 200, id + "|hi|[c, d]");
    }

    @Test
    void missingOrMalformedHeaderIsABadRequest() {
        assertProblem(serve("GET", "/things/header", TestRequest.of("GET", "/things/header")), 400,
                "Required header 'X-Id' is missing", "/things/header");
        assertProblem(serve("GET", "/things/header", TestRequest.of("GET", "/things/header").header("X-Id", "nope")),
                400, "Header 'X-Id' has the invalid value 'nope' for type UUID", "/things/header");
    }

    @Test
    void textAndBytesBodies() {
        assertText(serve("POST", "/things/text", TestRequest.of("POST", "/things/text").body("héllo")), 200, "HÉLLO");
        HttpResponse bytes = serve("POST", "/things/bytes", TestRequest.of("POST", "/things/bytes").body(new byte[300]));
        assertThat(bytes.status()).isEqualTo(200);
        assertThat(bytes.header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(bytes.body()).containsExactly((byte) 300);
    }

    @Test
    void jsonBodyInAndOut() {
        HttpResponse response = serve("POST", "/things/json",
                TestRequest.of("POST", "/things/json").body("{\"name\":\"box\",\"count\":2}"));
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readValue(response.body(), Thing.class)).isEqualTo(new Thing("box!", 3));
    }

    @Test
    void missingBodyIsABadRequestUnlessOptional() {
        assertProblem(serve("POST", "/things/json", TestRequest.of("POST", "/things/json")), 400,
                "Required request body is missing", "/things/json");
        assertProblem(serve("POST", "/things/json", TestRequest.of("POST", "/things/json").body("null")), 400,
                "Required request body is missing", "/things/json");
        assertProblem(serve("POST", "/things/text", TestRequest.of("POST", "/things/text")), 400,
                "Required request body is missing", "/things/text");
        assertText(serve("POST", "/things/json-optional", TestRequest.of("POST", "/things/json-optional")), 200, "none");
    }

    @Test
    void malformedJsonIsABadRequestThatSaysWhy() {
        for (String body : List.of("{\"name\":", "not json", "{\"name\":\"a\",\"count\":\"many\"}",
                "{\"name\":\"a\",\"count\":99999999999999999999}", "[1,2]", "\u0000\u0001")) {
            HttpResponse response = serve("POST", "/things/json", TestRequest.of("POST", "/things/json").body(body));
            assertThat(response.status()).as(body).isEqualTo(400);
            Map<String, Object> problem = problem(response);
            assertThat(problem.get("detail").toString()).as(body).startsWith("Unreadable JSON body: ");
            assertThat(problem.get("detail").toString()).as(body).doesNotContain("\tat ");
        }
    }

    @Test
    void rawRequestIsPassedThrough() {
        assertText(serve("GET", "/things/raw", TestRequest.of("GET", "/things/raw?a=1")), 200, "GET /things/raw?a=1");
    }

    @Test
    void wildcardRestIsBoundUnderStar() {
        assertText(serve("GET", "/things/wild/*", TestRequest.of("GET", "/things/wild/a/b").variable("*", "a/b")), 200,
                "a/b");
    }

    // ------------------------------------------------------------------ results

    @Test
    void voidAndNullAnswerNoContent() {
        HttpResponse deleted = serve("DELETE", "/things/{id}", TestRequest.of("DELETE", "/things/1").variable("id", "1"));
        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertThat(serve("GET", "/things/nothing", TestRequest.of("GET", "/things/nothing")).status()).isEqualTo(204);
    }

    @Test
    void replyCarriesStatusHeadersAndJsonBody() {
        HttpResponse response = serve("PUT", "/things/{id}", TestRequest.of("PUT", "/things/k").variable("id", "k")
                .body("{\"name\":\"n\",\"count\":1}"));
        assertThat(response.status()).isEqualTo(201);
        assertThat(response.header("Location")).isEqualTo("/things/k");
        assertThat(response.header("X-Extra")).isEqualTo("1");
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(JSON.readValue(response.body(), Thing.class)).isEqualTo(new Thing("n", 1));
    }

    @Test
    void engineResponseIsReturnedAsItIs() {
        assertText(serve("PATCH", "/things/{id}", TestRequest.of("PATCH", "/things/7").variable("id", "7")), 202,
                "patched 7");
    }

    @Test
    void declaredObjectIsWrittenByWhatItTurnsOutToBe() {
        assertText(object("text"), 200, "text");
        assertThat(object("bytes").header("Content-Type")).isEqualTo("application/octet-stream");
        assertThat(object("bytes").body()).containsExactly(1, 2);
        assertThat(object("reply").status()).isEqualTo(418);
        assertThat(new String(object("reply").body(), StandardCharsets.UTF_8)).isEqualTo("[1]");
        assertThat(object("null").status()).isEqualTo(204);
        assertThat(new String(object("map").body(), StandardCharsets.UTF_8)).isEqualTo("{\"kind\":\"map\"}");
    }

    private HttpResponse object(String kind) {
        return serve("GET", "/things/object/{kind}", TestRequest.of("GET", "/things/object/" + kind).variable("kind", kind));
    }

    @Test
    void asyncResultsAreWrittenWhenTheyComplete() {
        HttpResponse response = serve("GET", "/things/async/{id}",
                TestRequest.of("GET", "/things/async/5").variable("id", "5"));
        assertThat(JSON.readValue(response.body(), Thing.class)).isEqualTo(new Thing("async", 5));
        assertThat(serve("GET", "/things/async-void", TestRequest.of("GET", "/things/async-void")).status())
                .isEqualTo(204);
    }

    @Test
    void asyncBindingFailureIsABadRequest() {
        assertProblem(serve("GET", "/things/async/{id}", TestRequest.of("GET", "/things/async/x").variable("id", "x")),
                400, "Path variable 'id' has the invalid value 'x' for type int", "/things/async/x");
    }

    // ------------------------------------------------------------------ failures

    @Test
    void exceptionIsAnInternalErrorThatRevealsNothing() {
        for (String path : List.of("/things/fail", "/things/checked", "/things/async-fail")) {
            HttpResponse response = serve("GET", path, TestRequest.of("GET", path));
            assertProblem(response, 500, null, path);
            assertThat(new String(response.body(), StandardCharsets.UTF_8)).doesNotContain("secret", "Exception");
        }
    }

    @Test
    void annotatedExceptionAnswersItsStatusWithItsMessage() {
        assertProblem(serve("GET", "/things/missing/{id}", TestRequest.of("GET", "/things/missing/3").variable("id", "3")),
                404, "No thing 3", "/things/missing/3");
        assertProblem(serve("GET", "/things/async-throws", TestRequest.of("GET", "/things/async-throws")), 404,
                "thrown before any stage", "/things/async-throws");
    }

    @Test
    void serverErrorStatusesNeverShowTheMessageButMayShowAFixedDetail() {
        assertProblem(serve("GET", "/things/busy", TestRequest.of("GET", "/things/busy")), 503, "Try again later",
                "/things/busy");
    }

    @Test
    void methodMappingBeatsControllerMappingWhichBeatsNothing() {
        assertProblem(serve("GET", "/things/conflict", TestRequest.of("GET", "/things/conflict?which=arg")), 409,
                "already there", "/things/conflict");
        assertProblem(serve("GET", "/things/conflict", TestRequest.of("GET", "/things/conflict?which=other")), 410,
                "Gone for good", "/things/conflict");
        assertProblem(serve("GET", "/things/argument", TestRequest.of("GET", "/things/argument")), 422, "bad thing",
                "/things/argument");
    }

    // ------------------------------------------------------------------ helpers

    private Endpoint endpoint(String method, String template) {
        return endpoints.stream().filter(e -> e.method().equals(method) && e.pathTemplate().equals(template))
                .findFirst().orElseThrow(() -> new AssertionError("No endpoint " + method + " " + template));
    }

    private HttpResponse serve(String method, String template, TestRequest request) {
        Endpoint endpoint = endpoint(method, template);
        try {
            if (endpoint.isAsync()) {
                return endpoint.asyncHandler().handle(request).toCompletableFuture().get(5, TimeUnit.SECONDS);
            }
            return endpoint.handler().handle(request);
        } catch (Exception e) {
            throw new AssertionError("The handler must answer failures, not throw", e);
        }
    }

    private static void assertText(HttpResponse response, int status, String text) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("text/plain; charset=utf-8");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(text);
    }

    static void assertProblem(HttpResponse response, int status, String detail, String instance) {
        assertThat(response.status()).isEqualTo(status);
        assertThat(response.header("Content-Type")).isEqualTo("application/problem+json");
        Map<String, Object> problem = problem(response);
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
    static Map<String, Object> problem(HttpResponse response) {
        return JSON.readValue(response.body(), Map.class);
    }
}
