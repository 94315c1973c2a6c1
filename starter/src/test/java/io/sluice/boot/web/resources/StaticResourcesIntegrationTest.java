package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.SluiceController;
import io.sluice.boot.web.resources.RawHttp.Response;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;

/**
 * A whole application serving the test class path's {@code static/}, {@code public/}, {@code resources/} and
 * {@code META-INF/resources/} folders (Boot's default locations, plus one that puts a file where the actuator's
 * health endpoint is) beside an annotated endpoint and the actuator, over real sockets.
 */
@SpringBootTest(classes = StaticResourcesIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = {"spring.main.web-application-type=none", "server.address=127.0.0.1",
            "spring.web.resources.cache.period=1h",
            "spring.web.resources.static-locations=classpath:/META-INF/resources/,classpath:/resources/,"
                    + "classpath:/static/,classpath:/public/,classpath:/shadowing/"})
@Timeout(60)
class StaticResourcesIntegrationTest {

    private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(ShadowingEndpoints.class)
    static class App {
    }

    /** Has the path of a file in {@code static/}. */
    @SluiceController
    static class ShadowingEndpoints {

        @Get("/shadowed.txt")
        public String shadowed() {
            return "from the route";
        }
    }

    @LocalServerPort
    int port;

    @Test
    void theRootServesIndexHtml() throws Exception {
        Response root = RawHttp.get(port, "/");

        assertThat(root.status()).isEqualTo(200);
        assertThat(root.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
        assertThat(root.text()).contains("Static home page");
        assertThat(RawHttp.get(port, "/index.html").text()).isEqualTo(root.text());
    }

    @Test
    void aFolderServesItsIndexHtmlAndItsNameWithoutTheSlashRedirects() throws Exception {
        assertThat(RawHttp.get(port, "/docs/").text()).contains("Docs index");

        Response redirect = RawHttp.get(port, "/docs?page=2");
        assertThat(redirect.status()).isEqualTo(301);
        assertThat(redirect.header("Location")).isEqualTo("/docs/?page=2");
    }

    @Test
    void aFolderWithoutIndexHtmlIsNotFound() throws Exception {
        assertThat(RawHttp.get(port, "/no-index/").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/no-index").status()).isEqualTo(404);
        assertThat(RawHttp.get(port, "/no-index/notes.txt").status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "/from-meta-inf.txt  | from /META-INF/resources/",
        "/from-resources.txt | from /resources/",
        "/app.css            | body { color: #333; }",
        "/from-public.txt    | from /public/",
    })
    void everyLocationIsServedFromTheRoot(String path, String content) throws Exception {
        Response response = RawHttp.get(port, path);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(content + "\n");
    }

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "/app.css     | text/css; charset=utf-8",
        "/app.mjs     | text/javascript; charset=utf-8",
        "/data.json   | application/json",
        "/letters.txt | text/plain; charset=utf-8",
    })
    void theContentTypeFollowsTheExtension(String path, String type) throws Exception {
        Response response = RawHttp.get(port, path);

        assertThat(response.header("Content-Type")).isEqualTo(type);
        assertThat(response.header("X-Content-Type-Options")).isEqualTo("nosniff");
    }

    @Test
    void aFileHasValidatorsAndTheConfiguredCaching() throws Exception {
        Response response = RawHttp.get(port, "/letters.txt");

        assertThat(response.text()).isEqualTo(LETTERS);
        assertThat(response.header("Content-Length")).isEqualTo("26");
        assertThat(response.header("ETag")).matches("\"[A-Za-z0-9_-]{16}\"");
        assertThat(response.header("Last-Modified")).endsWith(" GMT");
        assertThat(response.header("Cache-Control")).isEqualTo("max-age=3600");
        assertThat(response.header("Accept-Ranges")).isEqualTo("bytes");
        assertThat(RawHttp.get(port, "/letters.txt").header("ETag")).isEqualTo(response.header("ETag"));
    }

    @Test
    void ifNoneMatchWithTheTagIsNotModified() throws Exception {
        String etag = RawHttp.get(port, "/letters.txt").header("ETag");

        for (String ifNoneMatch : new String[] {etag, "W/" + etag, "\"other\", " + etag, "*"}) {
            Response response = RawHttp.get(port, "/letters.txt", "If-None-Match: " + ifNoneMatch);
            assertThat(response.status()).as(ifNoneMatch).isEqualTo(304);
            assertThat(response.body()).isEmpty();
            assertThat(response.header("ETag")).isEqualTo(etag);
            assertThat(response.header("Cache-Control")).isEqualTo("max-age=3600");
        }
        assertThat(RawHttp.get(port, "/letters.txt", "If-None-Match: \"other\"").status()).isEqualTo(200);
    }

    @Test
    void ifModifiedSinceTheFilesDateIsNotModified() throws Exception {
        String lastModified = RawHttp.get(port, "/letters.txt").header("Last-Modified");
        String dayBefore = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusDays(1));

        assertThat(RawHttp.get(port, "/letters.txt", "If-Modified-Since: " + lastModified).status()).isEqualTo(304);
        Response modified = RawHttp.get(port, "/letters.txt", "If-Modified-Since: " + dayBefore);
        assertThat(modified.status()).isEqualTo(200);
        assertThat(modified.text()).isEqualTo(LETTERS);
    }

    @Test
    void ifNoneMatchWinsOverIfModifiedSince() throws Exception {
        String lastModified = RawHttp.get(port, "/letters.txt").header("Last-Modified");

        Response response = RawHttp.get(port, "/letters.txt", "If-None-Match: \"other\"",
                "If-Modified-Since: " + lastModified);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(LETTERS);
    }

    @Test
    void headSendsTheHeadersOfGetWithoutTheBody() throws Exception {
        Response get = RawHttp.get(port, "/letters.txt");
        Response head = RawHttp.send(port, "HEAD", "/letters.txt");

        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty(); // everything up to the close
        assertThat(head.header("Content-Length")).isEqualTo("26");
        for (String name : new String[] {"Content-Type", "ETag", "Last-Modified", "Cache-Control"}) {
            assertThat(head.header(name)).as(name).isEqualTo(get.header(name));
        }
        assertThat(RawHttp.send(port, "HEAD", "/letters.txt", "Range: bytes=0-1").status()).isEqualTo(200);
        assertThat(RawHttp.send(port, "HEAD", "/letters.txt", "If-None-Match: " + get.header("ETag")).status())
                .isEqualTo(304);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-4   | abcde | 0-4",
        "bytes=23-   | xyz   | 23-25",
        "bytes=-3    | xyz   | 23-25",
        "bytes=25-99 | z     | 25-25",
    })
    void aSingleRangeIsPartialContent(String range, String part, String contentRange) throws Exception {
        Response response = RawHttp.get(port, "/letters.txt", "Range: " + range);

        assertThat(response.status()).isEqualTo(206);
        assertThat(response.text()).isEqualTo(part);
        assertThat(response.header("Content-Range")).isEqualTo("bytes " + contentRange + "/26");
        assertThat(response.header("Content-Length")).isEqualTo(String.valueOf(part.length()));
    }

    @Test
    void aRangeBeyondTheEndIsNotSatisfiable() throws Exception {
        Response response = RawHttp.get(port, "/letters.txt", "Range: bytes=26-");

        assertThat(response.status()).isEqualTo(416);
        assertThat(response.header("Content-Range")).isEqualTo("bytes */26");
    }

    @Test
    void severalRangesAreAnsweredWithTheWholeFile() throws Exception {
        Response response = RawHttp.get(port, "/letters.txt", "Range: bytes=0-1,4-5");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo(LETTERS);
    }

    @Test
    void ifRangeServesThePartOnlyOfTheSameVersion() throws Exception {
        String etag = RawHttp.get(port, "/letters.txt").header("ETag");

        Response same = RawHttp.get(port, "/letters.txt", "Range: bytes=0-2", "If-Range: " + etag);
        assertThat(same.status()).isEqualTo(206);
        assertThat(same.text()).isEqualTo("abc");

        Response other = RawHttp.get(port, "/letters.txt", "Range: bytes=0-2", "If-Range: \"an-older-version\"");
        assertThat(other.status()).isEqualTo(200);
        assertThat(other.text()).isEqualTo(LETTERS);
    }

    @Test
    void anAnnotatedRouteWinsOverAStaticFile() throws Exception {
        Response response = RawHttp.get(port, "/shadowed.txt");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).isEqualTo("from the route");
        // The route's path allows GET only: other methods get the router's 405, not the static 404.
        Response post = RawHttp.send(port, "POST", "/shadowed.txt", "Content-Length: 0");
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).isEqualTo("GET, HEAD, OPTIONS");
    }

    @Test
    void anActuatorEndpointWinsOverAStaticFile() throws Exception {
        Response response = RawHttp.get(port, "/actuator/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.text()).contains("\"status\":\"UP\"").doesNotContain("static file");
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH", "OPTIONS"})
    void onlyGetAndHeadReachStaticFiles(String method) throws Exception {
        Response response = RawHttp.send(port, method, "/letters.txt", "Content-Length: 0");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).doesNotContain(LETTERS);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "/../canary/secret.txt", "/docs/../../canary/secret.txt", "/../../../../../../etc/passwd",
        "/%2e%2e/canary/secret.txt", "/%2E%2E/canary/secret.txt", "/.%2e/canary/secret.txt", "/%2e%2e%2fcanary/secret.txt",
        "/..%2fcanary%2fsecret.txt", "/..%2Fcanary/secret.txt", "/..%5ccanary%5csecret.txt", "/..%5Ccanary/secret.txt",
        "/..\\canary\\secret.txt",
        "/%252e%252e/canary/secret.txt", "/%252e%252e%252fcanary%252fsecret.txt",
        "/..;/canary/secret.txt", "/%2e%2e;/canary/secret.txt", "/docs;x=1/../../canary/secret.txt",
        "//canary/secret.txt", "/%2fcanary/secret.txt", "/C:/canary/secret.txt", "/file:/canary/secret.txt",
        "/..%00/canary/secret.txt", "/letters.txt%00.html", "/%00", "/no-index/%2e%2e/../canary/secret.txt",
        "/%ef%bc%8e%ef%bc%8e/canary/secret.txt", "/./letters.txt", "/docs/./index.html",
        "/META-INF/resources/from-meta-inf.txt", "/io/sluice/boot/web/resources/StaticPath.class",
        "http://localhost/../canary/secret.txt", "http://localhost/%2e%2e/canary/secret.txt"
    })
    void pathsThatEscapeOrBendTheFolderAreNotFound(String target) throws Exception {
        Response response = RawHttp.get(port, target);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.text()).doesNotContain("CANARY").doesNotContain("root:");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/%c0%ae%c0%ae/canary/secret.txt", "/%c0%af../canary/secret.txt", "/%zz/secret.txt",
        "/%e0%80%ae%e0%80%ae/canary/secret.txt"})
    void pathsTheEngineCannotReadAreBadRequests(String target) throws Exception {
        // Malformed escapes and overlong UTF-8 never reach a handler: the engine refuses them first.
        Response response = RawHttp.get(port, target);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.text()).doesNotContain("CANARY");
    }

    @Test
    void theCanaryIsOnTheClassPathJustOutsideTheFolders() {
        // Otherwise the traversal tests above would prove nothing.
        assertThat(getClass().getClassLoader().getResource("canary/secret.txt")).isNotNull();
        assertThat(getClass().getClassLoader().getResource("static/letters.txt")).isNotNull();
    }
}
