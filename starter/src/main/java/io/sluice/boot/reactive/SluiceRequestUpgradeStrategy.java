package io.sluice.boot.reactive;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpExchange;
import io.sluice.api.WebSocketSession;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.server.ServerWebExchange;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * WebFlux's WebSocket upgrade on Sluice: the exchange becomes an engine WebSocket session (the engine checks
 * the handshake again, writes the 101 and switches the connection), and the application's
 * {@link WebSocketHandler} runs over it as a {@link SluiceWebSocketSession}. The returned {@code Mono}
 * completes when the handler's does, as with Reactor Netty; the session is closed then if still open.
 */
public final class SluiceRequestUpgradeStrategy implements RequestUpgradeStrategy {

    private static final Logger log = LoggerFactory.getLogger(SluiceRequestUpgradeStrategy.class);

    @Override
    public Mono<Void> upgrade(ServerWebExchange exchange, WebSocketHandler handler, String subProtocol,
            Supplier<HandshakeInfo> handshakeInfoFactory) {
        ServerHttpResponse response = exchange.getResponse();
        HttpExchange nativeExchange = ServerHttpResponseDecorator.getNativeResponse(response);
        HandshakeInfo handshakeInfo = handshakeInfoFactory.get();
        DataBufferFactory bufferFactory = response.bufferFactory();
        // Committing runs WebFlux's before-commit actions (a session save, say) before the 101 goes out.
        return response.setComplete().then(Mono.defer(() -> {
            Sinks.Empty<Void> handled = Sinks.empty();
            SessionBridge bridge = new SessionBridge(handler, handshakeInfo, bufferFactory, handled);
            return Mono.fromCompletionStage(nativeExchange.upgradeToWebSocket(bridge, subProtocol, Dispatch.EVENT_LOOP))
                    .then(handled.asMono());
        }));
    }

    /** Engine callbacks of one session, handed on to the WebFlux session and handler. */
    private static final class SessionBridge implements io.sluice.api.WebSocketHandler {

        private final WebSocketHandler handler;
        private final HandshakeInfo handshakeInfo;
        private final DataBufferFactory bufferFactory;
        private final Sinks.Empty<Void> handled;
        private volatile SluiceWebSocketSession session;

        SessionBridge(WebSocketHandler handler, HandshakeInfo handshakeInfo, DataBufferFactory bufferFactory,
                Sinks.Empty<Void> handled) {
            this.handler = handler;
            this.handshakeInfo = handshakeInfo;
            this.bufferFactory = bufferFactory;
            this.handled = handled;
        }

        @Override
        public void onOpen(WebSocketSession engineSession) {
            SluiceWebSocketSession opened = new SluiceWebSocketSession(engineSession, handshakeInfo, bufferFactory);
            session = opened;
            handler.handle(opened).subscribe(null, failure -> {
                log.debug("WebSocket handler of {} failed; closing the session", opened, failure);
                opened.close(CloseStatus.SERVER_ERROR).subscribe();
                handled.tryEmitError(failure);
            }, () -> {
                opened.close(CloseStatus.NORMAL).subscribe();
                handled.tryEmitEmpty();
            });
        }

        @Override
        public void onClose(WebSocketSession engineSession, int code, String reason) {
            SluiceWebSocketSession closed = session;
            if (closed != null) {
                closed.closed(code, reason);
            }
        }

        @Override
        public void onError(WebSocketSession engineSession, Throwable error) {
            log.debug("WebSocket {} failed", engineSession, error);
        }
    }
}
