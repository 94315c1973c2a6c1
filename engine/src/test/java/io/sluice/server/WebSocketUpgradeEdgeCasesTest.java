package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketRoute;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class WebSocketUpgradeEdgeCasesTest {

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
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
