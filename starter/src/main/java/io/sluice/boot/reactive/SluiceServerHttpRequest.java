package io.sluice.boot.reactive;

import io.sluice.api.HttpExchange;
import io.sluice.api.HttpRequest;
import io.sluice.server.RequestBodyException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ResponseStatusException;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;

/**
 * A request of the engine as WebFlux's {@code ServerHttpRequest}. The body is the engine's publisher:
 * the connection reads the socket only as the application's demand asks, and each buffer is wrapped, not
 * copied.
 */
final class SluiceServerHttpRequest extends AbstractServerHttpRequest {

    private final HttpExchange exchange;
    private final DataBufferFactory bufferFactory;

    SluiceServerHttpRequest(HttpExchange exchange, DataBufferFactory bufferFactory) throws URISyntaxException {
        super(HttpMethod.valueOf(exchange.request().method()), uriOf(exchange.request()), null,
                new HttpHeaders(new RequestHeadersAdapter(exchange.request().headers())));
        this.exchange = exchange;
        this.bufferFactory = bufferFactory;
    }

    /** The absolute URI: an absolute-form target as sent, else {@code http://} + Host + target. */
    private static URI uriOf(HttpRequest request) throws URISyntaxException {
        String target = request.target();
        if (!target.startsWith("/")) {
            return new URI(target);
        }
        String host = request.header(HttpHeaders.HOST);
        if (host == null || host.isEmpty()) {
            InetSocketAddress local = request.localAddress();
            host = local.getAddress().getHostAddress() + ":" + local.getPort();
            if (host.indexOf(':') != host.lastIndexOf(':')) {
                host = "[" + local.getAddress().getHostAddress() + "]:" + local.getPort();
            }
        }
        return new URI("http://" + host + target);
    }

    @Override
    protected MultiValueMap<String, HttpCookie> initCookies() {
        MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
        for (String field : exchange.request().headers().all(HttpHeaders.COOKIE)) {
            for (String pair : field.split(";")) {
                int equals = pair.indexOf('=');
                if (equals <= 0) {
                    continue;
                }
                String name = pair.substring(0, equals).trim();
                String value = pair.substring(equals + 1).trim();
                if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                if (!name.isEmpty()) {
                    cookies.add(name, new HttpCookie(name, value));
                }
            }
        }
        return cookies;
    }

    @Override
    protected SslInfo initSslInfo() {
        return null; // plain HTTP only, for now
    }

    @Override
    public InetSocketAddress getRemoteAddress() {
        return exchange.request().remoteAddress();
    }

    @Override
    public InetSocketAddress getLocalAddress() {
        return exchange.request().localAddress();
    }

    /**
     * The body as the connection reads it. A body the engine gives up on (too large, malformed, too slow)
     * fails with its status, which WebFlux answers with unless the response has started.
     */
    @Override
    public Flux<DataBuffer> getBody() {
        return JdkFlowAdapter.flowPublisherToFlux(exchange.requestBody()).map(bufferFactory::wrap)
                .onErrorMap(RequestBodyException.class,
                        failure -> new ResponseStatusException(failure.status(), failure.getMessage(), failure));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeRequest() {
        return (T) exchange;
    }
}
