package io.sluice.server;

import io.sluice.api.ExchangeHandler;
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
    /** Routes tried when {@link #router} finds no route for the path, or {@code null} when there are none. */
    final Router<Route> fallbacks;
    /** WebSocket endpoints, or {@code null} when there are none. */
    final Router<io.sluice.api.WebSocketRoute> webSockets;
    final WebSocketOptions webSocketOptions;
    final ResponseEncoder encoder;
    final Executor workers;
    /** Takes the requests no route matches; {@code null} answers them 404 or 405. */
    final ExchangeHandler fallback;
    final long headerTimeoutMillis;
    final long idleTimeoutMillis;
    final long bodyTimeoutMillis;
    /** The {@code Allow} value for {@code OPTIONS *}: every method some route serves. */
    final String allowAll;
    volatile boolean draining;
    private final java.util.Map<io.sluice.api.WebSocketRoute, HandshakeOptions> handshakeOptions;

    /** What a handshake for {@code route} accepts (built and validated with the server). */
    HandshakeOptions handshakeOptions(io.sluice.api.WebSocketRoute route) {
        return handshakeOptions.get(route);
    }

    /**
     * The handshake options of {@code route} under {@code options}.
     *
     * @throws IllegalArgumentException for a subprotocol that is not a token or an origin that is not one
     */
    static HandshakeOptions handshakeOptionsOf(io.sluice.api.WebSocketRoute route, WebSocketOptions options) {
        return HandshakeOptions.builder()
                .subprotocols(route.subprotocols().toArray(new String[0]))
                .allowedOrigins(options.allowedOrigins().toArray(new String[0]))
                .permessageDeflate(options.compression()
                        ? PerMessageDeflate.Settings.DEFAULT.withCompressionLevel(options.compressionLevel())
                        : null)
                .build();
    }

    HttpRuntime(ServerConfig config, Router<Route> router, Router<Route> fallbacks,
            Router<io.sluice.api.WebSocketRoute> webSockets,
            java.util.Map<io.sluice.api.WebSocketRoute, HandshakeOptions> handshakeOptions, String allowAll,
            Executor workers, ExchangeHandler fallback) {
        this.handshakeOptions = handshakeOptions;
        this.config = config;
        this.router = router;
        this.fallbacks = fallbacks;
        this.webSockets = webSockets;
        this.webSocketOptions = config.webSocketOptions;
        this.allowAll = allowAll;
        this.encoder = new ResponseEncoder(config.serverHeader);
        this.workers = workers;
        this.fallback = fallback;
        this.headerTimeoutMillis = config.headerTimeout.toMillis();
        this.idleTimeoutMillis = config.idleTimeout.toMillis();
        this.bodyTimeoutMillis = config.bodyTimeout.toMillis();
    }
}
