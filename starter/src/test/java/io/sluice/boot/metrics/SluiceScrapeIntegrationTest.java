package io.sluice.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.api.HttpResponse;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import io.sluice.boot.metrics.WebSocketEcho.Echo;
import io.sluice.boot.metrics.WebSocketEcho.EchoClient;
import io.sluice.server.ServerStats;
import io.sluice.transport.CloseReason;
import java.time.Duration;
import java.util.function.Predicate;
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
 * A whole application with the actuator and the Prometheus registry: known traffic, then one scrape of
 * {@code /actuator/prometheus} served by Sluice itself, parsed and checked series by series.
 *
 * <p>The scrape is the first read of the meters in this context, so it sees a fresh snapshot; the test waits
 * for the traffic to settle on the engine's own statistics, not on the meters.
 */
@SpringBootTest(classes = SluiceScrapeIntegrationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1",
                "management.endpoints.web.exposure.include=health,prometheus", "sluice.max-connections=3",
                "sluice.threads.selectors=2", "sluice.threads.workers=4" })
@Timeout(60)
class SluiceScrapeIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final int REQUESTS = 5;

    @LocalServerPort
    int port;

    @Autowired
    SluiceWebServer webServer;

    @Test
    void theScrapeShowsWhatTheServerDid() throws Exception {
        String portTag = Integer.toString(port);
        try (RawHttpConnection http = new RawHttpConnection(port)) {
            for (int i = 0; i < REQUESTS; i++) {
                assertThat(http.get("/hello")).isEqualTo(200);
            }
            EchoClient echo = EchoClient.connect(port);
            echo.exchange();
            try (RawHttpConnection third = new RawHttpConnection(port)) {
                awaitStats("three connections open", s -> s.connectionsActive() == 3);
                try (RawHttpConnection fourth = new RawHttpConnection(port)) {
                    assertThat(fourth.closedByServer()).as("over sluice.max-connections").isTrue();
                }
            }
            echo.close();
            awaitStats("the WebSocket and the third connection closed", s -> s.connectionsActive() == 1
                    && s.connectionsClosed(CloseReason.COMPLETED) == 1 && s.connectionsClosed(CloseReason.PEER_CLOSED) == 1
                    && s.webSocket().sessionsClosed(1000) == 1);

            RawHttpConnection.Response scrape = http.fetch("/actuator/prometheus");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.contentType()).isEqualTo("text/plain;version=0.0.4;charset=utf-8");
            PrometheusText metrics = PrometheusText.parse(scrape.body());

            assertThat(metrics.type("sluice_connections_active_connections")).isEqualTo("gauge");
            assertThat(metrics.value("sluice_connections_active_connections", "port", portTag)).isEqualTo(1);
            assertThat(metrics.type("sluice_connections_accepted_connections_total")).isEqualTo("counter");
            assertThat(metrics.value("sluice_connections_accepted_connections_total", "port", portTag)).isEqualTo(3);
            assertThat(metrics.value("sluice_connections_rejected_connections_total", "port", portTag)).isEqualTo(1);
            assertThat(metrics.value("sluice_connections_closed_connections_total", "port", portTag, "reason",
                    "completed")).isEqualTo(1);
            assertThat(metrics.value("sluice_connections_closed_connections_total", "port", portTag, "reason",
                    "peer-closed")).isEqualTo(1);
            assertThat(metrics.samples("sluice_connections_closed_connections_total")).hasSize(CloseReason.values().length);
            // The scrape itself is the one request in flight.
            assertThat(metrics.value("sluice_requests_active_requests", "port", portTag)).isEqualTo(1);
            assertThat(metrics.value("sluice_data_received_bytes_total", "port", portTag))
                    .isGreaterThanOrEqualTo(http.bytesSent());
            assertThat(metrics.value("sluice_data_sent_bytes_total", "port", portTag))
                    .isGreaterThanOrEqualTo(http.bytesReceived() - scrape.body().length());
            assertThat(metrics.samples("sluice_loop_tasks_pending_tasks")).extracting(s -> s.labels().get("loop"))
                    .containsExactlyInAnyOrder("0", "1");
            assertThat(metrics.value("sluice_selector_rebuilds_events_total", "port", portTag)).isZero();

            assertThat(metrics.value("sluice_websocket_sessions_active_sessions", "port", portTag)).isZero();
            assertThat(metrics.value("sluice_websocket_sessions_opened_sessions_total", "port", portTag)).isEqualTo(1);
            assertThat(metrics.value("sluice_websocket_sessions_closed_sessions_total", "port", portTag, "code", "1000"))
                    .isEqualTo(1);
            assertThat(metrics.value("sluice_websocket_messages_received_messages_total", "type", "text"))
                    .isEqualTo(EchoClient.TEXTS);
            assertThat(metrics.value("sluice_websocket_messages_received_messages_total", "type", "binary"))
                    .isEqualTo(EchoClient.BINARIES);
            assertThat(metrics.value("sluice_websocket_messages_sent_messages_total", "type", "text"))
                    .isEqualTo(EchoClient.TEXTS);
            assertThat(metrics.value("sluice_websocket_messages_sent_messages_total", "type", "binary"))
                    .isEqualTo(EchoClient.BINARIES);

            // Next to Boot's applicationTaskExecutor, whose meters have the same tag keys.
            assertThat(metrics.value("executor_pool_max_threads", "name", "applicationTaskExecutor")).isPositive();
            assertThat(metrics.value("executor_pool_max_threads", "name", "sluice.worker")).isEqualTo(4);
            assertThat(metrics.value("executor_completed_tasks_total", "name", "sluice.worker"))
                    .isGreaterThanOrEqualTo(REQUESTS);

            RawHttpConnection.Response health = http.fetch("/actuator/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.contentType()).isEqualTo("application/vnd.spring-boot.actuator.v3+json");
            assertThat(health.body()).contains("\"status\":\"UP\"");
        }
    }

    @Test
    void openMetricsIsChosenByAccept() throws Exception {
        try (RawHttpConnection http = new RawHttpConnection(port)) {
            RawHttpConnection.Response scrape = http.fetch("/actuator/prometheus",
                    "Accept: application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
            assertThat(scrape.status()).isEqualTo(200);
            assertThat(scrape.contentType()).isEqualTo("application/openmetrics-text;version=1.0.0;charset=utf-8");
            assertThat(scrape.body()).endsWith("# EOF\n");
            PrometheusText metrics = PrometheusText.parse(scrape.body());
            assertThat(metrics.type("sluice_connections_accepted_connections")).isEqualTo("counter");
            assertThat(metrics.value("sluice_connections_accepted_connections_total", "port", Integer.toString(port)))
                    .isPositive();
        }
    }

    private void awaitStats(String what, Predicate<ServerStats> condition) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        ServerStats stats = webServer.getServer().stats();
        while (!condition.test(stats)) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out waiting for " + what + "; last " + stats);
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            stats = webServer.getServer().stats();
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {

        @Bean
        SluiceServerCustomizer routes() {
            return builder -> builder.get("/hello", request -> HttpResponse.text("Hello"))
                    .webSocket("/echo", new Echo());
        }
    }
}
