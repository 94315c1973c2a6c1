package io.sluice.boot.conformance;

import java.nio.charset.StandardCharsets;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Reads and drops any request body, then answers a fixed text with a declared length and a
 * {@code Content-Type} taken verbatim, so that a test can offer the server a value it cannot parse.
 */
final class TextHandler implements HttpHandler {

    private final byte[] body;

    private final String contentType;

    TextHandler(String text, String contentType) {
        this.body = text.getBytes(StandardCharsets.UTF_8);
        this.contentType = contentType;
    }

    /** A body of {@code length} repetitions of one character, compressible to a few bytes. */
    static TextHandler repeating(char c, int length, String contentType) {
        return new TextHandler(String.valueOf(c).repeat(length), contentType);
    }

    @Override
    public Mono<Void> handle(ServerHttpRequest request, ServerHttpResponse response) {
        return request.getBody().doOnNext(DataBufferUtils::release).then(Mono.defer(() -> {
            // set(...) rather than setContentType(...): the latter would reject an invalid value up front.
            response.getHeaders().set(HttpHeaders.CONTENT_TYPE, contentType);
            response.getHeaders().setContentLength(body.length);
            return response.writeWith(Mono.just(response.bufferFactory().wrap(body)));
        }));
    }
}
