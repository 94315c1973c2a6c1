package io.sluice.boot.reactive;

import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import java.net.URISyntaxException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.HttpHeadResponseDecorator;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.Disposable;

/**
 * Runs a WebFlux {@link HttpHandler} for every exchange the engine hands over (every request no engine
 * route takes). Called on the connection's event loop: it builds the request and response adapters and
 * subscribes to the handler, which does its work without blocking. When the client goes away first, the
 * exchange's completion fails and the subscription is cancelled, so WebFlux stops work nobody waits for.
 */
final class SluiceHttpHandlerAdapter implements ExchangeHandler {

    private static final Logger log = LoggerFactory.getLogger(SluiceHttpHandlerAdapter.class);

    private final HttpHandler httpHandler;
    private final DataBufferFactory bufferFactory;
    private final ResponseCompression compression;

    SluiceHttpHandlerAdapter(HttpHandler httpHandler, DataBufferFactory bufferFactory, ResponseCompression compression) {
        this.httpHandler = httpHandler;
        this.bufferFactory = bufferFactory;
        this.compression = compression;
    }

    @Override
    public void handle(HttpExchange exchange) {
        SluiceServerHttpRequest request;
        try {
            request = new SluiceServerHttpRequest(exchange, bufferFactory);
        } catch (URISyntaxException | IllegalArgumentException e) {
            log.debug("Refusing a request with a target WebFlux cannot take: {}", exchange.request().target(), e);
            exchange.respond(HttpResponse.status(400).text("Bad Request\n"));
            return;
        }
        SluiceServerHttpResponse response = new SluiceServerHttpResponse(exchange, bufferFactory, compression);
        ServerHttpResponse target = "HEAD".equals(exchange.request().method())
                ? new HttpHeadResponseDecorator(response) : response;
        Disposable running = httpHandler.handle(request, target).subscribe(null,
                failure -> failed(exchange, failure), response::completeWithoutBody);
        exchange.completion().whenComplete((written, failure) -> {
            if (failure != null) {
                running.dispose();
            }
        });
    }

    /** WebFlux answers the errors it knows about itself; what reaches here escaped it. */
    private static void failed(HttpExchange exchange, Throwable failure) {
        if (exchange.isAnswered()) {
            log.debug("Handling {} failed after its response started", exchange, failure);
            return;
        }
        log.error("Handling {} failed", exchange, failure);
        try {
            exchange.respond(HttpResponse.error(500));
        } catch (IllegalStateException answeredMeanwhile) {
            log.debug("{} was answered meanwhile", exchange);
        }
    }
}
