package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WebSocketSmokeTest {

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    @Test
    void echoesTextAndBinaryOnBothDispatchModes() throws Exception {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession session, String text) {
                session.sendText(text);
            }

            @Override
            public void onBinary(WebSocketSession session, byte[] data) {
                session.sendBinary(data);
            }
        };
        server = SluiceServer.builder().address("127.0.0.1").port(0)
                .webSocket(WebSocketRoute.of("/loop", echo).dispatch(Dispatch.EVENT_LOOP))
                .webSocket(WebSocketRoute.of("/worker", echo))
                .build();
        server.start();
        for (String path : new String[] {"/loop", "/worker"}) {
            BlockingQueue<Object> received = new LinkedBlockingQueue<>();
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + path), new WebSocket.Listener() {
                        StringBuilder text = new StringBuilder();

                        @Override
                        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                            text.append(data);
                            if (last) {
                                received.add(text.toString());
                                text = new StringBuilder();
                            }
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                            byte[] bytes = new byte[data.remaining()];
                            data.get(bytes);
                            received.add(bytes);
                            webSocket.request(1);
                            return null;
                        }

                        @Override
                        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                            received.add("closed " + statusCode);
                            return null;
                        }
                    }).get(5, TimeUnit.SECONDS);
            ws.sendText("hello " + path, true).get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("hello " + path);
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            assertThat((byte[]) received.poll(5, TimeUnit.SECONDS)).containsExactly(1, 2, 3);
            ws.sendClose(1000, "bye").get(5, TimeUnit.SECONDS);
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo("closed 1000");
        }
        assertThat(server.stats().webSocket().sessionsOpened()).isEqualTo(2);
    }

    @Test
    void anUpgradePipelinedBehindAWorkerRequestIsAnsweredOnceTheWorkerIsDone() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        server = SluiceServer.builder().address("127.0.0.1").port(0)
                .get("/slow", request -> {
                    release.await(5, TimeUnit.SECONDS);
                    return io.sluice.api.HttpResponse.text("slow");
                })
                .webSocket(WebSocketRoute.of("/ws", new WebSocketHandler() { }))
                .build();
        server.start();
        try (io.sluice.testing.RawHttpClient client = new io.sluice.testing.RawHttpClient(server.port())) {
            client.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n"
                    + "GET /ws HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
            release.countDown();
            assertThat(client.readResponse().bodyText()).isEqualTo("slow");
            io.sluice.testing.RawHttpClient.Response upgrade = client.readResponse(true);
            assertThat(upgrade.status()).isEqualTo(101);
            assertThat(upgrade.header("sec-websocket-accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        }
    }

    @Test
    void invalidOriginsAndSubprotocolsFailWhenTheServerIsBuilt() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SluiceServer.builder()
                .webSocketOptions(WebSocketOptions.defaults().withAllowedOrigins(java.util.List.of("example.com")))
                .webSocket("/ws", new WebSocketHandler() { })
                .build()).isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SluiceServer.builder()
                .webSocket(WebSocketRoute.of("/ws", new WebSocketHandler() { }).withSubprotocols("not a token"))
                .build()).isInstanceOf(IllegalArgumentException.class);
    }
}
