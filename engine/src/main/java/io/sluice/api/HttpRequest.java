package io.sluice.api;

import io.sluice.http.QueryParameters;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.Map;

/**
 * An HTTP request as the handler sees it. Strings are created on first use, so a handler pays only
 * for what it reads.
 *
 * <p>A request is confined to the thread running its handler; hand it to other threads only with a
 * happens-before edge (an executor submit, a future).
 */
public interface HttpRequest {

    /** The method token, e.g. {@code GET}. Well-known methods are shared constant strings. */
    String method();

    /** The request-target exactly as received (origin-form {@code /a?b}, or absolute-form). */
    String target();

    /** The path, still percent-encoded, without the query. */
    String rawPath();

    /** The path, percent-decoded (UTF-8). */
    String path();

    /** The query, still percent-encoded and without {@code '?'}, or {@code null} when there is none. */
    String rawQuery();

    /** The decoded query parameters; empty when there is no query. */
    QueryParameters query();

    /** The first value of query parameter {@code name}, or {@code null}. */
    default String queryParameter(String name) {
        return query().first(name);
    }

    /** The variables bound by the matched route's path template, decoded. */
    Map<String, String> pathVariables();

    /** The value of path variable {@code name}, or {@code null}. */
    default String pathVariable(String name) {
        return pathVariables().get(name);
    }

    /** {@code HTTP/1.1} or {@code HTTP/1.0}. */
    String version();

    Headers headers();

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    default String header(String name) {
        return headers().first(name);
    }

    /**
     * Trailer fields sent after a chunked body (RFC 9112 §7.1.2); empty otherwise, and until a
     * streamed body has been read to its end. Fields that affect framing or routing are dropped.
     */
    Headers trailers();

    /**
     * The whole body (empty when there is none). Available for routes with an aggregated body, the
     * default; a route that streams its body reads it through {@link #bodyStream()} instead.
     */
    byte[] body();

    /** The body decoded with the charset of {@code Content-Type}, UTF-8 when none is given. */
    String bodyAsString();

    /**
     * The body as a stream. For a streaming route it is fed from the socket as the handler reads,
     * with backpressure (reading blocks until bytes arrive); otherwise it reads the aggregated body.
     */
    InputStream bodyStream();

    /** The charset named by {@code Content-Type}, or {@code fallback}. */
    Charset charset(Charset fallback);

    InetSocketAddress remoteAddress();

    InetSocketAddress localAddress();
}
