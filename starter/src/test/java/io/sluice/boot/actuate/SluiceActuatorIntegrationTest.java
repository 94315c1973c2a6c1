package io.sluice.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.TestPropertySource;

/** Whole applications with the actuator: which endpoints Sluice serves, and where, as the properties say. */
@SpringBootTest(classes = SluiceActuatorIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1" })
@Timeout(60)
class SluiceActuatorIntegrationTest {

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Nested
    class ByDefault {

        @LocalServerPort
        int port;

        @Test
        void healthIsUpAndNothingElseIsExposed() throws Exception {
            HttpResponse<String> health = get(port, "/actuator/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.headers().firstValue("Content-Type")).hasValue("application/vnd.spring-boot.actuator.v3+json");
            assertThat(health.body()).contains("\"status\":\"UP\"").doesNotContain("components");
            assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
            assertThat(get(port, "/actuator/metrics").statusCode()).isEqualTo(404);
        }
    }

    @Nested
    @TestPropertySource(properties = { "management.endpoints.web.base-path=/manage",
            "management.endpoints.web.exposure.include=*", "management.endpoints.web.exposure.exclude=health" })
    class WithABasePathAndAnExclusion {

        @LocalServerPort
        int port;

        @Test
        void prometheusMovesAndHealthIsGone() throws Exception {
            HttpResponse<String> scrape = get(port, "/manage/prometheus");
            assertThat(scrape.statusCode()).isEqualTo(200);
            assertThat(scrape.body()).contains("sluice_connections_active_connections{port=\"" + port + "\"}");
            assertThat(get(port, "/manage/health").statusCode()).isEqualTo(404);
            assertThat(get(port, "/actuator/prometheus").statusCode()).isEqualTo(404);
        }
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }
}
