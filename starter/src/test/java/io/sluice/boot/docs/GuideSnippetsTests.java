package io.sluice.boot.docs;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.WebSocketMessage;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import io.sluice.boot.docs.snippets.History;
import io.sluice.boot.docs.snippets.ReplayEndpoint;
import io.sluice.boot.docs.snippets.TransportTuning;
import io.sluice.boot.docs.snippets.WebSocketTuning;
import io.sluice.server.ServerConfig;
import io.sluice.server.WebSocketOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The code the guides show beyond getting started (customizers for settings without a property, the replay
 * endpoint of the WebSocket backpressure section) does what the guides say, in a running application.
 */
@SpringBootTest(classes = GuideSnippetsTests.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1",
            "sluice.websocket.max-message-size=2MB" })
@Timeout(60)
class GuideSnippetsTests {

    /** Well above the high-water mark the transport tuning sets (256 KiB), so the replay must wait for the client. */
    private static final int REPLAYED = 2_000;
    private static final String PADDING = "x".repeat(1_000);

    @LocalServerPort
    int port;

    @Autowired
    SluiceWebServer webServer;

    @Test
    void theTransportTuningSetsTheWaterMarks() {
        ServerConfig config = webServer.getServer().config();

        assertThat(config.lowWaterMark()).isEqualTo(64 * 1024);
        assertThat(config.highWaterMark()).isEqualTo(256 * 1024);
    }

    @Test
    void theWebSocketTuningReplacesTheWebSocketProperties() {
        WebSocketOptions options = webServer.getServer().config().webSocketOptions();

        assertThat(options.compression()).isTrue();
        assertThat(options.compressionLevel()).isEqualTo(1);
        assertThat(options.closeTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(options.pingInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(options.maxMessageSize()).as("the customizer's, not sluice.websocket.max-message-size")
                .isEqualTo(64 * 1024);
    }

    @Test
    void theReplayEndpointSendsEveryMessageInOrderAcrossWritabilityPauses() throws Exception {
        Collector collector = new Collector(REPLAYED);
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/replay/lobby"), collector)
                .get(10, SECONDS);

        List<String> received = collector.all.get(30, SECONDS);

        assertThat(received).containsExactlyElementsOf(IntStream.range(0, REPLAYED).mapToObj(GuideSnippetsTests::line).toList());
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").get(10, SECONDS);
    }

    private static String line(int index) {
        return index + " " + PADDING;
    }

    /** Reads one message at a time, as a client that keeps up only slowly would. */
    private static final class Collector implements WebSocket.Listener {

        private final int expected;
        private final List<String> received = new ArrayList<>();
        private final StringBuilder partial = new StringBuilder();
        final CompletableFuture<List<String>> all = new CompletableFuture<>();

        Collector(int expected) {
            this.expected = expected;
        }

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                received.add(partial.toString());
                partial.setLength(0);
                if (received.size() == expected) {
                    all.complete(List.copyOf(received));
                }
            }
            socket.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            all.completeExceptionally(error);
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({ TransportTuning.class, WebSocketTuning.class, ReplayEndpoint.class })
    static class App {

        @Bean
        History history() {
            List<WebSocketMessage> lines = IntStream.range(0, REPLAYED)
                    .mapToObj(index -> WebSocketMessage.text(line(index)))
                    .toList();
            return room -> lines;
        }
    }
}
