package io.sluice.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;

/**
 * A whole auto-configured application over real sockets, as users test theirs: {@code RANDOM_PORT} makes
 * Boot set {@code server.port=0}, and {@code @LocalServerPort} finds the port Sluice bound.
 */
@SpringBootTest(classes = SluiceWebServerIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1",
                "spring.threads.virtual.enabled=true" })
@Timeout(30)
class SluiceWebServerIntegrationTest {

    @LocalServerPort
    int port;

    @Autowired
    SluiceWebServer webServer;

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void localServerPortIsThePortSluiceBound() {
        assertThat(port).isPositive().isEqualTo(webServer.getPort());
    }

    @Test
    void aRouteAddedByACustomizerAnswers() throws Exception {
        java.net.http.HttpResponse<String> response = get("/hello");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("Hello");
        assertThat(response.headers().firstValue("Server")).hasValue("Sluice");
    }

    /**
     * With {@code spring.threads.virtual.enabled}, handlers run on virtual threads where the JVM has them
     * (Java 21+), and on platform threads on Java 17, where the property has no effect.
     */
    @Test
    void workersFollowTheVirtualThreadsSwitch() throws Exception {
        String[] worker = get("/thread").body().split(" ");
        assertThat(worker[0]).startsWith("sluice-worker-");
        assertThat(Boolean.parseBoolean(worker[1])).isEqualTo(Threads.jvmHasVirtualThreads());
    }

    private java.net.http.HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        SluiceServerCustomizer routes() {
            return builder -> builder.get("/hello", request -> HttpResponse.text("Hello"))
                    .get("/thread", request -> {
                        Thread current = Thread.currentThread();
                        return HttpResponse.text(current.getName() + " " + Threads.isVirtual(current));
                    });
        }
    }
}
