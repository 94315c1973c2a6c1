package io.sluice.bench;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.SluiceServer;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Sluice's engine on the benchmark endpoints: {@code SluiceBenchServer <port> <loop|worker>}.
 *
 * <p>{@code loop}: every handler (and the WebSocket echo) runs on the event loop ({@code
 * Dispatch.EVENT_LOOP}); {@code worker}: every handler runs on the worker pool ({@code
 * Dispatch.WORKER}, the engine's default). Event loops default to one per processor; {@code
 * -Dbench.threads=N} overrides. {@code /ws/broadcast} sends each text message to every session of the
 * endpoint as one prepared {@link WebSocketMessage} (encoded once). {@code -Dbench.idleTimeout} and
 * {@code -Dbench.maxConnections} replace the engine's defaults (60 s, 16,384).
 */
public final class SluiceBenchServer {

    private static final HttpResponse PLAINTEXT = HttpResponse.status(200)
            .contentType(Payloads.TEXT_PLAIN).body(Payloads.PLAINTEXT);
    private static final HttpResponse JSON = HttpResponse.status(200)
            .contentType(Payloads.APPLICATION_JSON).body(Payloads.JSON);

    private SluiceBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Payloads.port(args);
        String mode = args.length > 1 ? args[1] : "loop";
        Dispatch dispatch = switch (mode) {
            case "loop" -> Dispatch.EVENT_LOOP;
            case "worker" -> Dispatch.WORKER;
            default -> throw new IllegalArgumentException("mode must be loop or worker, not " + mode);
        };
        SluiceServer.Builder builder = SluiceServer.builder();
        if (Payloads.idleTimeoutSeconds() > 0) {
            builder.idleTimeout(Duration.ofSeconds(Payloads.idleTimeoutSeconds()));
        }
        if (Payloads.maxConnections() > 0) {
            builder.maxConnections(Payloads.maxConnections());
        }
        SluiceServer server = builder
                .port(port)
                .eventLoops(Payloads.ioThreads())
                .maxBodySize(Payloads.MAX_BODY)
                .route(Route.of("GET", "/plaintext", request -> PLAINTEXT).dispatch(dispatch))
                .route(Route.of("GET", "/json", request -> JSON).dispatch(dispatch))
                .route(Route.of("POST", "/echo", request -> {
                    String type = request.header("Content-Type");
                    return HttpResponse.status(200)
                            .contentType(type != null ? type : Payloads.OCTET_STREAM)
                            .body(request.body());
                }).dispatch(dispatch))
                .webSocket(WebSocketRoute.of("/ws/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession session, byte[] data) {
                        session.sendBinary(data);
                    }
                }).dispatch(dispatch))
                .webSocket(WebSocketRoute.of("/ws/broadcast", new Broadcast()).dispatch(dispatch))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdownGracefully(Duration.ofSeconds(5)).join()));
        Payloads.started("sluice-" + mode, server.port());
    }

    /** Sends every text message to every open session of the endpoint, the sender included. */
    private static final class Broadcast implements WebSocketHandler {
        private final Set<WebSocketSession> sessions = ConcurrentHashMap.newKeySet();

        @Override
        public void onOpen(WebSocketSession session) {
            sessions.add(session);
        }

        @Override
        public void onText(WebSocketSession session, String text) {
            WebSocketMessage message = WebSocketMessage.text(text);
            for (WebSocketSession each : sessions) {
                each.send(message);
            }
        }

        @Override
        public void onClose(WebSocketSession session, int code, String reason) {
            sessions.remove(session);
        }
    }
}
