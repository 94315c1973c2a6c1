package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.readHead;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketHandshakeException;
import io.sluice.api.WebSocketSession;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawWebSocketClient;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** An exchange handler that turns its request into a WebSocket session. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ExchangeWebSocketUpgradeTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private static final WebSocketHandler ECHO = new WebSocketHandler() {
        @Override
        public void onText(WebSocketSession session, String text) {
            session.sendText("echo: " + text);
        }
    };

    private SluiceServer server;
    private final CompletableFuture<CompletionStage<WebSocketSession>> upgrade = new CompletableFuture<>();

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Upgrades requests to /ws (with the subprotocol in the query, if any); answers others plainly. */
    private int start() throws IOException {
        server = TransportTestSupport.testServer().fallback(this::handle).build();
        server.start();
        return server.port();
    }

    private void handle(HttpExchange exchange) {
        if (exchange.request().path().equals("/ws")) {
            upgrade.complete(exchange.upgradeToWebSocket(ECHO, exchange.request().queryParameter("protocol"),
                    Dispatch.EVENT_LOOP));
        } else {
            exchange.respond(HttpResponse.text("plain " + exchange.request().path()));
        }
    }

    @Test
    void theSessionOpensAndEchoes() throws Exception {
        int port = start();
        try (RawWebSocketClient client = RawWebSocketClient.connect(port, "/ws")) {
            client.sendText("hello");
            assertThat(client.readMessage().text()).isEqualTo("echo: hello");
            WebSocketSession session = upgrade.get(5, TimeUnit.SECONDS).toCompletableFuture().get(5, TimeUnit.SECONDS);
            assertThat(session.path()).isEqualTo("/ws");
            session.sendText("pushed");
            assertThat(client.readMessage().text()).isEqualTo("pushed");
        }
        assertThat(server.stats().webSocket().sessionsOpened()).isEqualTo(1);
    }

    @Test
    void theChosenSubprotocolIsNamedWhenTheClientOfferedIt() throws Exception {
        int port = start();
        try (RawWebSocketClient client = RawWebSocketClient.builder(port, "/ws?protocol=v2")
                .header("Sec-WebSocket-Protocol: v1, v2").connect()) {
            assertThat(client.handshakeHeader("Sec-WebSocket-Protocol")).isEqualTo("v2");
        }
    }

    @Test
    void aRefusedHandshakeIsAnsweredAndFailsTheStage() throws Exception {
        int port = start();
        try (RawHttpClient client = new RawHttpClient(port)) {
            RawHttpClient.Response response = client.exchange("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n");
            assertThat(response.status()).isEqualTo(400);
        }
        CompletableFuture<WebSocketSession> opened = upgrade.get(5, TimeUnit.SECONDS).toCompletableFuture();
        assertThatThrownBy(() -> opened.get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e.getCause()).status()).isEqualTo(400));
    }

    @Test
    void anUpgradeRequestAnsweredPlainlyLetsTheConnectionGoOn() throws Exception {
        int port = start();
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send("GET /not-ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n" + get("/after"));
            assertThat(client.readResponse().bodyText()).isEqualTo("plain /not-ws");
            assertThat(client.readResponse().bodyText()).isEqualTo("plain /after");
        }
    }

    @Test
    void framesSentRightAfterTheHandshakeReachTheSession() throws Exception {
        int port = start();
        try (RawHttpClient client = new RawHttpClient(port)) {
            byte[] handshake = ("GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: " + KEY + "\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1);
            byte[] frame = RawWebSocketClient.encodeFrame(RawWebSocketClient.FIN | RawWebSocketClient.TEXT,
                    "early".getBytes(StandardCharsets.UTF_8), true, 0);
            byte[] both = new byte[handshake.length + frame.length];
            System.arraycopy(handshake, 0, both, 0, handshake.length);
            System.arraycopy(frame, 0, both, handshake.length, frame.length);
            client.send(both);
            InputStream in = client.socket().getInputStream();
            assertThat(readHead(in)).startsWith("HTTP/1.1 101 Switching Protocols");
            int first = in.read();
            int length = in.read();
            assertThat(first).isEqualTo(0x81);
            assertThat(new String(in.readNBytes(length), StandardCharsets.UTF_8)).isEqualTo("echo: early");
        }
    }

    @Test
    void anExchangeUpgradesOnlyOnce() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        server = TransportTestSupport.testServer().fallback(exchange -> {
            exchange.upgradeToWebSocket(ECHO, null, Dispatch.EVENT_LOOP);
            try {
                exchange.respond(HttpResponse.text("no"));
                second.complete(null);
            } catch (IllegalStateException e) {
                second.complete(e);
            }
        }).build();
        server.start();
        try (RawWebSocketClient client = RawWebSocketClient.connect(server.port(), "/ws")) {
            client.sendText("still");
            assertThat(client.readMessage().text()).isEqualTo("echo: still");
        }
        assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }
}
