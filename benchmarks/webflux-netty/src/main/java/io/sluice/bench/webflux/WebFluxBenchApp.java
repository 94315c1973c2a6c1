package io.sluice.bench.webflux;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Spring Boot WebFlux on the benchmark endpoints: {@code java -jar sluice-bench-webflux-netty.jar <port>}
 * runs it on Reactor Netty (Boot's default reactive server), {@code java -jar
 * sluice-bench-webflux-sluice.jar <port>} on Sluice. Both jars are built from this one class (the
 * webflux-sluice module compiles this module's sources); only their class paths differ, so the two rows
 * compare the servers under identical application code. Functional routes and constant bodies, as in
 * the TechEmpower Spring WebFlux entry, which also sets {@code
 * reactor.netty.http.server.lastFlushWhenNoRead=true} (flush once per read batch; only Reactor Netty
 * reads it). {@code /ws/echo} and {@code /ws/broadcast} are {@code WebSocketHandler}s; the broadcast
 * goes through a multicast {@code Sinks.Many}. {@code -Dbench.idleTimeout} and {@code
 * -Dbench.maxConnections} set Sluice's {@code sluice.timeouts.idle} and {@code sluice.max-connections};
 * Reactor Netty has no keep-alive idle timeout and no connection limit by default, so they change
 * nothing there.
 */
@SpringBootApplication
public class WebFluxBenchApp {

    private static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);

    public static void main(String[] args) {
        if (System.getProperty("reactor.netty.http.server.lastFlushWhenNoRead") == null) {
            System.setProperty("reactor.netty.http.server.lastFlushWhenNoRead", "true");
        }
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8080");
        Map<String, Object> properties = new HashMap<>(Map.of("server.port", port, "spring.main.banner-mode", "off"));
        // The runner's idle-connection scenario passes the same overrides to every peer; only Sluice reads these keys.
        Integer idleTimeout = Integer.getInteger("bench.idleTimeout");
        if (idleTimeout != null) {
            properties.put("sluice.timeouts.idle", idleTimeout + "s");
        }
        Integer maxConnections = Integer.getInteger("bench.maxConnections");
        if (maxConnections != null) {
            properties.put("sluice.max-connections", maxConnections);
        }
        SpringApplication app = new SpringApplication(WebFluxBenchApp.class);
        app.setDefaultProperties(properties);
        app.run(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
    }

    @Bean
    RouterFunction<ServerResponse> routes() {
        return RouterFunctions.route()
                .GET("/plaintext", request -> ServerResponse.ok().contentType(MediaType.TEXT_PLAIN).bodyValue(PLAINTEXT))
                .GET("/json", request -> ServerResponse.ok().contentType(MediaType.APPLICATION_JSON).bodyValue(JSON))
                .POST("/echo", request -> request.bodyToMono(byte[].class).defaultIfEmpty(new byte[0])
                        .flatMap(body -> ServerResponse.ok()
                                .contentType(request.headers().contentType().orElse(MediaType.APPLICATION_OCTET_STREAM))
                                .bodyValue(body)))
                .build();
    }

    @Bean
    HandlerMapping webSocketMapping() {
        WebSocketHandler echo = session -> session.send(session.receive().map(message ->
                message.getType() == WebSocketMessage.Type.TEXT
                        ? session.textMessage(message.getPayloadAsText())
                        : session.binaryMessage(factory -> {
                            byte[] bytes = new byte[message.getPayload().readableByteCount()];
                            message.getPayload().read(bytes);
                            return factory.wrap(bytes);
                        })));
        return new SimpleUrlHandlerMapping(Map.of("/ws/echo", echo, "/ws/broadcast", new Broadcast()), -1);
    }

    /**
     * Sends each text message to every session of the endpoint, the sender included: every session
     * subscribes its outbound to one multicast sink and feeds its inbound into it. {@code
     * directBestEffort} drops a message only for a session without demand, which the benchmark client's
     * bounded window never causes (a drop would show as a missing delivery).
     */
    static final class Broadcast implements WebSocketHandler {
        private final Sinks.Many<String> messages = Sinks.many().multicast().directBestEffort();

        @Override
        public Mono<Void> handle(WebSocketSession session) {
            Mono<Void> inbound = session.receive()
                    .filter(message -> message.getType() == WebSocketMessage.Type.TEXT)
                    .doOnNext(message -> messages.emitNext(message.getPayloadAsText(), RETRY_WHEN_CONCURRENT))
                    .then();
            Mono<Void> outbound = session.send(messages.asFlux().map(session::textMessage));
            return Mono.zip(inbound, outbound).then();
        }
    }

    /** Sessions on different event loops may emit at once; the sink takes one at a time, so retry. */
    private static final Sinks.EmitFailureHandler RETRY_WHEN_CONCURRENT =
            (signal, result) -> result == Sinks.EmitResult.FAIL_NON_SERIALIZED;
}
