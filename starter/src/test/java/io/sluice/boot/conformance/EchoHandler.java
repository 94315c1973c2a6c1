package io.sluice.boot.conformance;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Answers 200 with the request body, streamed straight back: the server has to carry a body in both
 * directions at once, as WebFlux applications that transform uploads do.
 */
final class EchoHandler implements HttpHandler {

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        response.setStatusCode(HttpStatus.OK);
        return response.writeWith(request.getBody());
    }
}
