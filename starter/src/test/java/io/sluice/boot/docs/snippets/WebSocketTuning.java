package io.sluice.boot.docs.snippets;

import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.WebSocketOptions;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The WebSocket options without a property, as docs/websocket-endpoints.md sets them. */
@Configuration(proxyBeanMethods = false)
public class WebSocketTuning {

    @Bean
    SluiceServerCustomizer webSocketTuning() {
        // Replaces every sluice.websocket.* setting: set here all the options you need.
        return builder -> builder.webSocketOptions(WebSocketOptions.defaults()
                .withCompression(true)
                .withCompressionLevel(1)                           // fastest; default 6
                .withMaxMessageSize(64 * 1024)
                .withPingInterval(Duration.ofSeconds(30))
                .withCloseTimeout(Duration.ofSeconds(2)));         // default 5 s
    }
}
