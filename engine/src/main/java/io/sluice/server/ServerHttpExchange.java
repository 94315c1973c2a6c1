package io.sluice.server;

import io.sluice.api.Dispatch;
import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.HttpStatus;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketSession;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link HttpExchange} an {@link ExchangeHandler} gets: a thin face on the connection's
 * {@link Exchange}, created only for requests no route matched, so routed requests pay nothing for it.
 */
final class ServerHttpExchange implements HttpExchange {

    private static final Logger log = LoggerFactory.getLogger(ServerHttpExchange.class);

    private final HttpConnection owner;
    private final Exchange exchange;
    private final AtomicBoolean answered = new AtomicBoolean();
    private final CompletableFuture<Void> completion = new CompletableFuture<>();
    /** The body's publisher; {@code null} when the request has none. */
    private RequestBodyPublisher body;

    ServerHttpExchange(HttpConnection owner, Exchange exchange) {
        this.owner = owner;
        this.exchange = exchange;
    }

    /** Loop: the request has a body; it will be offered to the returned publisher. */
    RequestBodyPublisher openBody(boolean expectContinue) {
        body = new RequestBodyPublisher(owner, exchange, expectContinue);
        return body;
    }

    /** Loop: runs the handler; a failure it throws becomes a 500 unless it answered already. */
    void invoke(ExchangeHandler handler) {
        try {
            handler.handle(this);
        } catch (Throwable t) {
            log.error("Exchange handler failed on {}", exchange, t);
            if (answered.compareAndSet(false, true)) {
                exchange.handlerFailed = true;
                exchange.respond(HttpResponse.error(500));
            }
        }
    }

    @Override
    public HttpRequest request() {
        return exchange;
    }

    @Override
    public Flow.Publisher<ByteBuffer> requestBody() {
        return body != null ? body : EmptyBody.INSTANCE;
    }

    @Override
    public void respond(HttpResponse response) {
        Objects.requireNonNull(response, "response");
        claim();
        exchange.respond(response);
    }

    @Override
    public boolean isAnswered() {
        return answered.get();
    }

    @Override
    public CompletionStage<Void> completion() {
        return completion.minimalCompletionStage();
    }

    @Override
    public CompletionStage<WebSocketSession> upgradeToWebSocket(WebSocketHandler handler, String subprotocol,
            Dispatch dispatch) {
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(dispatch, "dispatch");
        if (subprotocol != null && !isToken(subprotocol)) {
            throw new IllegalArgumentException("A subprotocol must be a token: " + subprotocol);
        }
        claim();
        CompletableFuture<WebSocketSession> opened = new CompletableFuture<>();
        if (owner.loop().inLoop()) {
            owner.acceptUpgrade(exchange, handler, subprotocol, dispatch, opened);
        } else {
            owner.loop().execute(() -> owner.acceptUpgrade(exchange, handler, subprotocol, dispatch, opened));
        }
        return opened;
    }

    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (!HttpStatus.isTokenChar(value.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    private void claim() {
        if (!answered.compareAndSet(false, true)) {
            throw new IllegalStateException("The exchange was already answered: " + exchange);
        }
    }

    // ---------------------------------------------------------------- loop side

    /** The response left in full. Dependent actions run from a task of their own, not mid-bookkeeping. */
    void written() {
        owner.loop().execute(() -> completion.complete(null));
    }

    /** The response cannot be written (connection gone, publisher failed). */
    void failed(Throwable reason) {
        if (!completion.isDone()) {
            owner.loop().execute(() -> completion.completeExceptionally(reason));
        }
    }

    @Override
    public String toString() {
        return "HttpExchange[" + exchange + "]";
    }

    /** The body of a request that has none: completes at once. */
    private enum EmptyBody implements Flow.Publisher<ByteBuffer> {
        INSTANCE;

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(RequestBodyPublisher.NoSubscription.INSTANCE);
            subscriber.onComplete();
        }
    }
}
