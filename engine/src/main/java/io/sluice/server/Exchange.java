package io.sluice.server;

import io.sluice.api.Headers;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.websocket.HandshakeResult;
import io.sluice.http.BodySink;
import io.sluice.http.FieldList;
import io.sluice.http.QueryParameters;
import io.sluice.http.RequestHead;
import io.sluice.http.UriCodec;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request and its response on their way through the server. It is also the request the handler
 * sees, the sink its body is decoded into, and the task that runs the handler on a worker and then
 * carries the response back to the owning loop: one object per request, whichever path it takes.
 */
final class Exchange implements HttpRequest, BodySink, Runnable {

    private static final Logger log = LoggerFactory.getLogger(Exchange.class);
    private static final byte[] NO_BODY = new byte[0];
    private static final int INITIAL_BODY_CAPACITY = 16 * 1024;
    /** Largest array the JVM reliably allocates; bigger aggregated bodies are refused with 413. */
    static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    final HttpConnection owner;
    /** The parsed head; {@code null} for a request refused before its head could be parsed. */
    final RequestHead head;
    Route route;
    Map<String, String> variables = Collections.emptyMap();
    boolean closeAfter;
    /** A {@code 100 Continue} is owed as soon as this exchange is the oldest in flight. */
    boolean continuePending;
    /** An accepted WebSocket handshake: the response is the 101 and then the connection switches. */
    Upgrade upgrade;
    /** The exchange handler's view of this exchange; {@code null} for a routed request. */
    ServerHttpExchange handle;

    /**
     * @param opened completed with the session once open, for an upgrade an exchange handler asked for;
     *               {@code null} for a WebSocket route
     */
    record Upgrade(WebSocketRoute route, Map<String, String> variables, HandshakeResult handshake,
            CompletableFuture<WebSocketSession> opened) {
    }
    /** Loop-only: the interim 100 (Continue) was sent for this exchange. */
    boolean continueSent;

    private byte[] body = NO_BODY;
    private int bodyLength;
    private long declaredLength = -1;
    /** The body when it is handed on as it arrives instead of aggregated; {@code null} otherwise. */
    StreamedBody streamedBody;
    FieldList trailers = FieldList.EMPTY;

    /** Set by whichever thread completes the handler; read by the loop after the hand-off. */
    HttpResponse response;
    boolean handlerFailed;
    /** Loop-only: the response is known and may be written when this exchange's turn comes. */
    boolean ready;
    private boolean delivering;

    private String path;
    private QueryParameters query;

    Exchange(HttpConnection owner, RequestHead head) {
        this.owner = owner;
        this.head = head;
    }

    /** An exchange already answered, e.g. with an error status, that still takes its turn in order. */
    static Exchange answered(HttpConnection owner, RequestHead head, HttpResponse response) {
        Exchange exchange = new Exchange(owner, head);
        exchange.response = response;
        exchange.ready = true;
        exchange.closeAfter = true;
        return exchange;
    }

    boolean isHeadRequest() {
        return head != null && head.method() == io.sluice.http.HttpMethods.HEAD;
    }

    boolean isHttp11() {
        return head == null || head.isHttp11();
    }

    // ---------------------------------------------------------------- body

    /**
     * Prepares to aggregate a body of {@code contentLength} bytes (negative: unknown). Nothing is
     * reserved until bytes arrive, and the array then grows with them rather than trusting the
     * declared length, so a client cannot make the server reserve the body limit without sending it.
     */
    void expectBody(long contentLength) {
        this.declaredLength = contentLength;
    }

    @Override
    public void onBodyBytes(byte[] bytes, int offset, int length) {
        if (streamedBody != null) {
            streamedBody.offer(bytes, offset, length);
            return;
        }
        if (bodyLength == 0 && length == declaredLength) {
            // The whole body in one piece, the usual case for a small one: one copy into an array that
            // need not be zeroed first, and body() hands it over as is.
            body = Arrays.copyOfRange(bytes, offset, offset + length);
            bodyLength = length;
            return;
        }
        if (bodyLength + length > body.length) {
            // First room for the declared length (up to a cap), then doubling as more arrives.
            long wanted = body.length == 0 && declaredLength > 0 ? Math.min(declaredLength, INITIAL_BODY_CAPACITY)
                    : Math.max(1024, 2L * body.length);
            long grown = Math.max(bodyLength + length, wanted);
            if (declaredLength > 0) {
                grown = Math.min(grown, declaredLength);
            }
            body = Arrays.copyOf(body, (int) Math.min(grown, MAX_ARRAY_SIZE));
        }
        System.arraycopy(bytes, offset, body, bodyLength, length);
        bodyLength += length;
    }

    // ---------------------------------------------------------------- running the handler

    @Override
    public void run() {
        if (delivering) {
            owner.onResponseReady(this);
        } else {
            invokeHandler();
        }
    }

    /** Runs the route's handler on the current thread (a worker, or the loop for EVENT_LOOP routes). */
    void invokeHandler() {
        try {
            if (route.handler() != null) {
                complete(route.handler().handle(this), null);
            } else {
                CompletionStage<HttpResponse> stage = route.asyncHandler().handle(this);
                if (stage == null) {
                    complete(null, new NullPointerException("The async handler returned no CompletionStage"));
                } else {
                    stage.whenComplete(this::complete);
                }
            }
        } catch (Throwable t) {
            complete(null, t);
        }
    }

    /** The response of an exchange handler; from any thread. */
    void respond(HttpResponse result) {
        complete(result, null);
    }

    private void complete(HttpResponse result, Throwable failure) {
        if (failure != null) {
            result = failureResponse(failure);
        } else if (result == null) {
            result = failureResponse(new NullPointerException("The handler returned no response"));
        }
        response = result;
        if (owner.loop().inLoop()) {
            owner.onResponseReady(this);
        } else {
            delivering = true;
            owner.loop().execute(this);
        }
    }

    private HttpResponse failureResponse(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof RequestBodyException bodyFailure) {
            return HttpResponse.error(bodyFailure.status());
        }
        handlerFailed = true;
        log.error("Handler of {} failed", this, cause);
        return HttpResponse.error(500);
    }

    // ---------------------------------------------------------------- HttpRequest

    @Override
    public String method() {
        return head.method();
    }

    @Override
    public String target() {
        return head.target();
    }

    @Override
    public String rawPath() {
        return head.rawPath();
    }

    @Override
    public String path() {
        if (path == null) {
            String decoded = UriCodec.decodePath(head.rawPath());
            path = decoded != null ? decoded : head.rawPath();
        }
        return path;
    }

    @Override
    public String rawQuery() {
        return head.rawQuery();
    }

    @Override
    public QueryParameters query() {
        if (query == null) {
            query = QueryParameters.parse(head.rawQuery());
        }
        return query;
    }

    @Override
    public Map<String, String> pathVariables() {
        return variables;
    }

    @Override
    public String version() {
        return head.version();
    }

    @Override
    public Headers headers() {
        return head;
    }

    @Override
    public Headers trailers() {
        return trailers;
    }

    @Override
    public byte[] body() {
        if (streamedBody != null) {
            throw new IllegalStateException(handle != null ? "The body is published: read it with HttpExchange.requestBody()"
                    : "The route streams its body: read it with bodyStream()");
        }
        if (bodyLength != body.length) {
            body = Arrays.copyOf(body, bodyLength);
        }
        return body;
    }

    @Override
    public String bodyAsString() {
        return new String(body(), charset(StandardCharsets.UTF_8));
    }

    @Override
    public InputStream bodyStream() {
        if (streamedBody instanceof RequestBodyStream stream) {
            return stream;
        }
        return new ByteArrayInputStream(body());
    }

    @Override
    public Charset charset(Charset fallback) {
        String contentType = head.first("Content-Type");
        if (contentType == null) {
            return fallback;
        }
        int at = contentType.toLowerCase(java.util.Locale.ROOT).indexOf("charset=");
        if (at < 0) {
            return fallback;
        }
        int end = contentType.indexOf(';', at);
        String name = contentType.substring(at + 8, end < 0 ? contentType.length() : end).trim();
        if (name.length() > 1 && name.startsWith("\"") && name.endsWith("\"")) {
            name = name.substring(1, name.length() - 1);
        }
        try {
            return Charset.forName(name);
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return fallback;
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return owner.connection().remoteAddress();
    }

    @Override
    public InetSocketAddress localAddress() {
        return owner.connection().localAddress();
    }

    @Override
    public String toString() {
        return head == null ? "refused request" : head.toString();
    }
}
