package io.sluice.bench.mvctomcat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;

/**
 * Spring Boot MVC on Tomcat (Boot's default servlet stack) on the benchmark endpoints: {@code java
 * -jar sluice-bench-mvc-tomcat.jar <port>}. Annotated controller with constant bodies, Boot's Tomcat
 * defaults (200 threads) except unlimited keep-alive requests and a listen backlog the size of the
 * Netty peer's ({@code application.properties} says why), and Spring's {@code WebSocketHandler} on
 * Tomcat's JSR-356 container for {@code /ws/echo}.
 */
@SpringBootApplication
@RestController
@EnableWebSocket
public class MvcTomcatBenchApp implements WebSocketConfigurer {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8080");
        SpringApplication app = new SpringApplication(MvcTomcatBenchApp.class);
        app.setDefaultProperties(Map.of("server.port", port, "spring.main.banner-mode", "off"));
        app.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    }

    @GetMapping(path = "/plaintext", produces = MediaType.TEXT_PLAIN_VALUE)
    public byte[] plaintext() {
        return PLAINTEXT;
    }

    @GetMapping(path = "/json", produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] json() {
        return JSON;
    }

    @PostMapping("/echo")
    public ResponseEntity<byte[]> echo(@RequestBody(required = false) byte[] body,
            @RequestHeader(name = "Content-Type", required = false) MediaType type) {
        return ResponseEntity.ok().contentType(type != null ? type : MediaType.APPLICATION_OCTET_STREAM)
                .body(body != null ? body : new byte[0]);
    }

    @Override
    public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
        registry.addHandler(new AbstractWebSocketHandler() {
            @Override
            protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
                session.sendMessage(message);
            }

            @Override
            protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) throws Exception {
                session.sendMessage(message);
            }
        }, "/ws/echo");
    }
}
