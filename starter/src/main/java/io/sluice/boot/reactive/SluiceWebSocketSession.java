package io.sluice.boot.reactive;

import io.sluice.api.WebSocketClosedException;
import io.sluice.api.WebSocketSession;
import io.sluice.websocket.CloseCodes;
import java.nio.charset.StandardCharsets;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * A WebFlux {@code WebSocketSession} over an engine session. Receiving uses the engine's message publisher,
 * so the connection stops reading while the application has no demand; sending uses the engine's
 * {@code sendAll}, which asks for more only while the session is below its outbound high-water mark.
 */
final class SluiceWebSocketSession extends AbstractWebSocketSession<WebSocketSession> {

    private final Sinks.One<CloseStatus> closeStatus = Sinks.one();

    SluiceWebSocketSession(WebSocketSession delegate, HandshakeInfo info, DataBufferFactory bufferFactory) {
        super(delegate, delegate.id(), info, bufferFactory);
    }

    /**
     * The session's messages with demand. The stream completes however the session ends, as Reactor Netty's
     * does: a peer that vanished (1006) or broke the protocol is the peer's doing, not a failure of the
     * handler, and {@link #closeStatus()} says how it ended.
     */
    @Override
    public Flux<WebSocketMessage> receive() {
        return JdkFlowAdapter.flowPublisherToFlux(getDelegate().receive()).map(this::toMessage)
                .onErrorResume(WebSocketClosedException.class, closed -> Flux.empty());
    }

    private WebSocketMessage toMessage(io.sluice.api.WebSocketMessage message) {
        DataBuffer payload = bufferFactory().wrap(message.data());
        return new WebSocketMessage(message.isText() ? WebSocketMessage.Type.TEXT : WebSocketMessage.Type.BINARY,
                payload, message);
    }

    /**
     * Sends {@code messages} with backpressure. When the session closes first, the send completes and
     * {@code messages} is cancelled: a stream that rarely emits (a broadcast to many sessions, say) must
     * not keep a closed session subscribed until its next element happens to fail on it.
     */
    @Override
    public Mono<Void> send(Publisher<WebSocketMessage> messages) {
        Flux<io.sluice.api.WebSocketMessage> data = Flux.from(messages).takeUntilOther(closeStatus.asMono())
                .handle((message, sink) -> {
                    byte[] bytes = new byte[message.getPayload().readableByteCount()];
                    message.getPayload().read(bytes);
                    DataBufferUtils.release(message.getPayload());
                    switch (message.getType()) {
                        case TEXT -> sink.next(io.sluice.api.WebSocketMessage.textOfValidUtf8(bytes));
                        case BINARY -> sink.next(io.sluice.api.WebSocketMessage.binary(bytes));
                        case PING -> getDelegate().ping(bytes);
                        case PONG -> {
                            // The engine answers pings itself; an unsolicited pong carries nothing the peer needs.
                        }
                    }
                });
        return Mono.fromCompletionStage(() -> getDelegate().sendAll(JdkFlowAdapter.publisherToFlowPublisher(data)));
    }

    @Override
    public boolean isOpen() {
        return getDelegate().isOpen();
    }

    /**
     * Starts the close handshake. A status that may not go on the wire (1005, 1006, 1015) is sent as 1000;
     * a reason longer than a close frame holds is cut.
     */
    @Override
    public Mono<Void> close(CloseStatus status) {
        int code = CloseCodes.isValidOnWire(status.getCode()) ? status.getCode() : CloseCodes.NORMAL;
        String reason = fitReason(status.getReason());
        return Mono.fromCompletionStage(() -> getDelegate().close(code, reason))
                .onErrorResume(failure -> Mono.empty());
    }

    private static String fitReason(String reason) {
        if (reason == null) {
            return "";
        }
        byte[] utf8 = reason.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= 123) {
            return reason;
        }
        String cut = reason;
        while (cut.getBytes(StandardCharsets.UTF_8).length > 123) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut;
    }

    @Override
    public Mono<CloseStatus> closeStatus() {
        return closeStatus.asMono();
    }

    /** The engine reports the session closed. */
    void closed(int code, String reason) {
        closeStatus.tryEmitValue(new CloseStatus(code, reason));
    }
}
