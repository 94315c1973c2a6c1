package io.sluice.boot.docs;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.autoconfigure.SluiceWebServer;
import io.sluice.boot.docs.gettingstarted.DemoApplication;
import io.sluice.server.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The application of docs/getting-started.md, exactly as the guide shows it (its classes, its application.yml),
 * served on a free port and used over sockets the way the guide tells a reader to try it.
 * {@link DocumentationSnippetsTests} keeps the guide's code and these sources the same.
 */
@SpringBootTest(classes = DemoApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "spring.config.location=classpath:/docs/getting-started/application.yml", "server.address=127.0.0.1",
        "spring.main.web-application-type=none" })
@Timeout(60)
class GettingStartedTests {

    private static final long WAIT_SECONDS = 10;

    @LocalServerPort
    int port;

    @Autowired
    SluiceWebServer webServer;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(WAIT_SECONDS))
            .build();

    @Test
    void theGuidesApplicationYmlConfiguresTheServer() {
        ServerConfig config = webServer.getServer().config();
        assertThat(((ThreadPoolExecutor) webServer.getWorkerExecutor()).getMaximumPoolSize()).isEqualTo(16);
        assertThat(config.maxBodySize()).isEqualTo(2 * 1024 * 1024);
        assertThat(config.webSocketOptions().pingInterval()).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void theGreetingEndpointAnswersJson() throws Exception {
        HttpResponse<String> response = get("/greetings/Ada?salutation=Hi");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(response.body()).isEqualTo("{\"text\":\"Hi, Ada!\"}");
        assertThat(get("/greetings/Ada").body()).isEqualTo("{\"text\":\"Hello, Ada!\"}");
    }

    @Test
    void theEchoEndpointGreetsThenEchoes() throws Exception {
        TextClient client = new TextClient();
        WebSocket socket = http.newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo/Ada"), client)
                .get(WAIT_SECONDS, SECONDS);

        assertThat(client.next()).isEqualTo("Hello, Ada!");
        socket.sendText("Is anyone there?", true).get(WAIT_SECONDS, SECONDS);
        assertThat(client.next()).isEqualTo("Is anyone there?");

        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(WAIT_SECONDS, SECONDS);
        assertThat(client.closedWith.get(WAIT_SECONDS, SECONDS)).isEqualTo(WebSocket.NORMAL_CLOSURE);
    }

    @Test
    void prometheusScrapeShowsTheServerAndTheEndpoints() throws Exception {
        assertThat(get("/greetings/Ada").statusCode()).isEqualTo(200);

        HttpResponse<String> scrape = get("/actuator/prometheus");

        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.headers().firstValue("Content-Type")).hasValue("text/plain;version=0.0.4;charset=utf-8");
        assertThat(scrape.body())
                .contains("http_server_requests_seconds_count{error=\"none\",exception=\"none\",method=\"GET\","
                        + "outcome=\"SUCCESS\",status=\"200\",uri=\"/greetings/{name}\"}")
                .contains("sluice_connections_active_connections{port=\"" + port + "\"}")
                .contains("sluice_websocket_sessions_opened_sessions_total{port=\"" + port + "\"}")
                .contains("executor_active_threads{name=\"sluice.worker\"}");
    }

    @Test
    void healthListsTheKubernetesProbesWhichAreUp() throws Exception {
        HttpResponse<String> health = get("/actuator/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("{\"groups\":[\"liveness\",\"readiness\"],\"status\":\"UP\"}");

        for (String probe : new String[] {"/actuator/health/liveness", "/actuator/health/readiness"}) {
            HttpResponse<String> response = get(probe);

            assertThat(response.statusCode()).as(probe).isEqualTo(200);
            assertThat(response.body()).as(probe).isEqualTo("{\"status\":\"UP\"}");
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(WAIT_SECONDS))
                .build();
        return http.send(request, BodyHandlers.ofString());
    }

    /** Collects whole text messages and the close code the server answers with. */
    private static final class TextClient implements WebSocket.Listener {

        private final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();

        String next() throws InterruptedException {
            String message = messages.poll(WAIT_SECONDS, SECONDS);
            assertThat(message).as("a text message within %d s", WAIT_SECONDS).isNotNull();
            return message;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                messages.add(partial.toString());
                partial.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int statusCode, String reason) {
            closedWith.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            closedWith.completeExceptionally(error);
        }
    }
}
