package io.sluice.server;

import io.sluice.api.Route;
import io.sluice.http.ResponseEncoder;
import io.sluice.routing.Router;
import io.sluice.websocket.HandshakeOptions;
import io.sluice.websocket.PerMessageDeflate;
import java.util.concurrent.Executor;

/** What every HTTP connection of a running server shares: routes, settings, the encoder, the workers. */
final class HttpRuntime {

    final ServerConfig config;
    final Router<Route> router;
    /** WebSocket endpoints, or {@code null} when there are none. */
    final Router<io.sluice.api.WebSocketRoute> webSockets;
    final WebSocketOptions webSocketOptions;
    final ResponseEncoder encoder;
    final Executor workers;
    final long headerTimeoutMillis;
    final long idleTimeoutMillis;
    final long bodyTimeoutMillis;
    /** The {@code Allow} value for {@code OPTIONS *}: every method some route serves. */
    final String allowAll;
    volatile boolean draining;
    private final java.util.Map<io.sluice.api.WebSocketRoute, HandshakeOptions> handshakeOptions =
            new java.util.concurrent.ConcurrentHashMap<>();

    /** What a handshake for {@code route} accepts: its subprotocols and the server's WebSocket options. */
    HandshakeOptions handshakeOptions(io.sluice.api.WebSocketRoute route) {
        return handshakeOptions.computeIfAbsent(route, r -> HandshakeOptions.builder()
                .subprotocols(r.subprotocols().toArray(new String[0]))
                .allowedOrigins(webSocketOptions.allowedOrigins().toArray(new String[0]))
                .permessageDeflate(webSocketOptions.compression()
                        ? PerMessageDeflate.Settings.DEFAULT.withCompressionLevel(webSocketOptions.compressionLevel())
                        : null)
                .build());
    }

    HttpRuntime(ServerConfig config, Router<Route> router, Router<io.sluice.api.WebSocketRoute> webSockets,
            String allowAll, Executor workers) {
        this.config = config;
        this.router = router;
        this.webSockets = webSockets;
        this.webSocketOptions = config.webSocketOptions;
        this.allowAll = allowAll;
        this.encoder = new ResponseEncoder(config.serverHeader);
        this.workers = workers;
        this.headerTimeoutMillis = config.headerTimeout.toMillis();
        this.idleTimeoutMillis = config.idleTimeout.toMillis();
        this.bodyTimeoutMillis = config.bodyTimeout.toMillis();
    }
}
