package io.sluice.server;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketHandshakeException;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.websocket.HandshakeResult;
import io.sluice.websocket.WebSocketHandshake;
import io.sluice.http.ChunkedDecoder;
import io.sluice.http.FieldList;
import io.sluice.http.HttpMethods;
import io.sluice.http.RequestError;
import io.sluice.http.RequestHead;
import io.sluice.http.RequestHeadParser;
import io.sluice.http.ResponseEncoder;
import io.sluice.http.ResponseEncoder.Framing;
import io.sluice.routing.RouteMatch;
import io.sluice.transport.CloseReason;
import io.sluice.transport.Connection;
import io.sluice.transport.Counters;
import io.sluice.transport.EventLoop;
import io.sluice.transport.Protocol;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP/1.1 on one connection (RFC 9112): parses requests, runs their handlers where their routes say,
 * and writes the responses in request order. Runs on the connection's loop thread only.
 *
 * <p>Pipelining: every complete request in a read is parsed and started before anything is written;
 * handlers on the loop answer at once, handlers on workers answer later, and responses leave in order,
 * all that are ready in one write. At most {@code maxPipelinedRequests} may be in flight; past that,
 * and while the peer is not reading its responses, the connection stops reading.
 *
 * <p>Requests no route matches go to the server's {@link io.sluice.api.ExchangeHandler}, if it has
 * one, with both bodies streamed: the request body is read only against its subscriber's demand, and
 * a published response body is requested only while the output is below its high-water mark.
 */
final class HttpConnection implements Protocol {

    private static final Logger log = LoggerFactory.getLogger(HttpConnection.class);

    private enum ReadState { HEAD, FIXED_BODY, CHUNKED_BODY }

    private final Connection connection;
    private final HttpRuntime runtime;
    private final Counters counters;
    private final RequestHeadParser parser;
    private final ArrayDeque<Exchange> inFlight = new ArrayDeque<>(4);

    private ReadState state = ReadState.HEAD;
    /** The exchange whose body is being read. */
    private Exchange reading;
    private long bodyRemaining;
    private ChunkedDecoder chunkedDecoder;

    /** The exchange whose response body is being streamed; later responses wait for it. */
    private Exchange streaming;
    /** Its body when a {@link io.sluice.api.BodyWriter} writes it on a worker. */
    private ResponseBodyStream responseStream;
    private long unreleasedStreamBytes;
    /** Its body when it is published. */
    private PublishedBody published;
    /** Exchange handlers waiting to hear that their response has left, in output order; lazily created. */
    private ArrayDeque<PendingCompletion> completions;
    /** An exchange handler's upgrade request: nothing after it is read until the handler decides. */
    private Exchange heldForUpgrade;

    private record PendingCompletion(long endPosition, ServerHttpExchange handle) {
    }

    /** No further requests are read: the last one asked to close, failed, or the server is draining. */
    private boolean closing;
    private CloseReason closeReason = CloseReason.COMPLETED;
    private boolean inRead;
    private boolean closed;
    /** An upgrade was accepted: no more HTTP is read; the connection switches after the 101. */
    private boolean upgrading;

    HttpConnection(Connection connection, HttpRuntime runtime, Counters counters) {
        this.connection = connection;
        this.runtime = runtime;
        this.counters = counters;
        ServerConfig config = runtime.config;
        this.parser = new RequestHeadParser(config.maxRequestLineLength, config.maxHeaderSize, config.maxHeaderCount);
        if (runtime.draining) {
            closing = true;
        }
        connection.setReadDeadline(connection.loop().now() + runtime.idleTimeoutMillis);
    }

    Connection connection() {
        return connection;
    }

    EventLoop loop() {
        return connection.loop();
    }

    // ---------------------------------------------------------------- reading requests

    @Override
    public void onRead(ByteBuffer in) {
        byte[] bytes = in.array();
        int offset = in.arrayOffset();
        int p = offset + in.position();
        int end = offset + in.limit();
        inRead = true;
        try {
            while (p < end && !closed) {
                if (state == ReadState.HEAD) {
                    if (upgrading) {
                        break; // whatever follows the upgrade request belongs to the new protocol
                    }
                    if (closing) {
                        p = end; // nothing after a closing request is read
                        break;
                    }
                    if (inFlight.size() >= runtime.config.maxPipelinedRequests) {
                        writeReadyResponses(); // answered ones make room
                    }
                    if (inFlight.size() >= runtime.config.maxPipelinedRequests || !connection.isWritable()) {
                        // Resumed by a response becoming ready or by the output draining, never from here.
                        connection.pauseReading();
                        break;
                    }
                    boolean fresh = !parser.hasPartialHead();
                    int headLength = parser.scan(bytes, p, end);
                    if (headLength == RequestHeadParser.INCOMPLETE) {
                        if (fresh) {
                            connection.setReadDeadline(loop().now() + runtime.headerTimeoutMillis);
                        }
                        break;
                    }
                    RequestHead head = headLength == RequestHeadParser.FAILED ? null : parser.parse(bytes, p, headLength);
                    if (head == null) {
                        refuse(parser.error());
                        p = end;
                        break;
                    }
                    p += headLength;
                    parser.reset();
                    begin(head);
                } else if (state == ReadState.FIXED_BODY) {
                    int n = (int) Math.min(bodyRemaining, end - p);
                    Exchange target = reading;
                    target.onBodyBytes(bytes, p, n);
                    p += n;
                    bodyRemaining -= n;
                    if (bodyRemaining == 0) {
                        bodyComplete();
                    } else {
                        bodyProgress(target);
                    }
                } else {
                    Exchange target = reading;
                    p = chunkedDecoder.decode(bytes, p, end, target);
                    if (chunkedDecoder.isFailed()) {
                        refuse(chunkedDecoder.error());
                        p = end;
                        break;
                    }
                    if (chunkedDecoder.isComplete()) {
                        bodyComplete();
                    } else {
                        bodyProgress(target);
                    }
                }
            }
            in.position(p - offset);
            writeReadyResponses();
        } finally {
            inRead = false;
        }
    }

    private void begin(RequestHead head) {
        counters.increment(HttpCounter.REQUESTS);
        counters.increment(HttpCounter.ACTIVE);
        Exchange exchange = new Exchange(this, head);
        inFlight.add(exchange);
        if (!head.keepAlive() || runtime.draining) {
            exchange.closeAfter = true;
        }

        HttpResponse early = route(exchange, head);
        if (early == null && (head.contentLength() > runtime.config.maxBodySize || exchange.route != null
                && !exchange.route.streamingBody() && head.contentLength() > Exchange.MAX_ARRAY_SIZE)) {
            counters.increment(HttpCounter.error(RequestError.BODY_TOO_LARGE));
            early = HttpResponse.error(RequestError.BODY_TOO_LARGE.status());
            closeReason = CloseReason.PROTOCOL_ERROR;
        }
        if (early != null) {
            // Answered without a handler. An unread body would be taken for the next request: close.
            exchange.response = early;
            exchange.ready = true;
            if (head.hasBody()) {
                exchange.closeAfter = true;
            }
            closing |= exchange.closeAfter;
            return;
        }

        if (!head.hasBody()) {
            closing |= exchange.closeAfter;
            dispatch(exchange);
            return;
        }
        reading = exchange;
        if (head.isChunked()) {
            state = ReadState.CHUNKED_BODY;
            chunkedDecoder = new ChunkedDecoder(runtime.config.maxBodySize, runtime.config.maxChunkLineLength,
                    runtime.config.maxHeaderSize);
        } else {
            state = ReadState.FIXED_BODY;
            bodyRemaining = head.contentLength();
        }
        connection.setReadDeadline(loop().now() + runtime.bodyTimeoutMillis);
        if (exchange.handle != null) {
            // The handler starts now; it asks for the body (and so for the 100) with demand.
            exchange.streamedBody = exchange.handle.openBody(head.expectContinue());
            dispatch(exchange);
        } else if (exchange.route.streamingBody()) {
            // The handler starts now; it asks for the body (and so for the 100) by reading.
            exchange.streamedBody = new RequestBodyStream(this, exchange, head.expectContinue());
            dispatch(exchange);
        } else {
            exchange.expectBody(head.isChunked() ? -1 : head.contentLength());
            if (head.expectContinue()) {
                // The 100 must not overtake earlier responses: owed until this exchange is the oldest.
                exchange.continuePending = true;
                if (inFlight.size() == 1) {
                    sendContinueIfOwed(exchange);
                }
            }
        }
    }

    /** Finds the route; returns the response when the request is answered without one. */
    private HttpResponse route(Exchange exchange, RequestHead head) {
        String rawPath = head.rawPath();
        if (rawPath.equals("*")) {
            return HttpResponse.status(204).header("Allow", runtime.allowAll).empty();
        }
        if (runtime.webSockets != null && head.isUpgradeRequest()) {
            RouteMatch<WebSocketRoute> webSocket = runtime.webSockets.route(HttpMethods.GET, rawPath);
            if (webSocket.kind() == RouteMatch.Kind.FOUND) {
                return upgrade(exchange, head, webSocket);
            }
        }
        RouteMatch<Route> match = runtime.router.route(head.method(), rawPath);
        if (runtime.webSockets != null && match.kind() != RouteMatch.Kind.FOUND) {
            RouteMatch<WebSocketRoute> webSocket = runtime.webSockets.route(HttpMethods.GET, rawPath);
            if (webSocket.kind() == RouteMatch.Kind.FOUND) {
                // Only a WebSocket lives here, and this is no valid upgrade: the handshake says why.
                return upgrade(exchange, head, webSocket);
            }
        }
        if (match.kind() == RouteMatch.Kind.NOT_FOUND && runtime.fallbacks != null) {
            RouteMatch<Route> fallback = runtime.fallbacks.route(head.method(), rawPath);
            if (fallback.isFound()) {
                match = fallback;
            }
        }
        switch (match.kind()) {
            case FOUND -> {
                exchange.route = match.handler();
                exchange.variables = match.variables();
                return null;
            }
            case METHOD_NOT_ALLOWED -> {
                if (runtime.fallback != null) {
                    return handOver(exchange);
                }
                if (head.method() == HttpMethods.OPTIONS) {
                    return HttpResponse.status(204).header("Allow", match.allow()).empty();
                }
                return HttpResponse.status(405).header("Allow", match.allow()).text("Method Not Allowed\n");
            }
            case BAD_REQUEST -> {
                counters.increment(HttpCounter.error(RequestError.INVALID_PATH));
                exchange.closeAfter = true;
                return HttpResponse.error(RequestError.INVALID_PATH.status());
            }
            default -> {
                return runtime.fallback != null ? handOver(exchange) : HttpResponse.error(404);
            }
        }
    }

    /** No route takes the request: the exchange handler gets it (it is dispatched like a route's). */
    private HttpResponse handOver(Exchange exchange) {
        exchange.handle = new ServerHttpExchange(this, exchange);
        return null;
    }

    /** Validates a WebSocket handshake: the refusal to send, or null with the upgrade pending. */
    private HttpResponse upgrade(Exchange exchange, RequestHead head, RouteMatch<WebSocketRoute> match) {
        WebSocketRoute route = match.handler();
        HandshakeResult result = WebSocketHandshake.validate(head, runtime.handshakeOptions(route));
        if (!result.isAccepted()) {
            exchange.closeAfter = true;
            return result.refusalResponse();
        }
        exchange.upgrade = new Exchange.Upgrade(route, match.variables(), result, null);
        upgrading = true;
        return HttpResponse.status(200).empty(); // placeholder: write() sends the 101 instead
    }

    private void bodyProgress(Exchange exchange) {
        connection.setReadDeadline(loop().now() + runtime.bodyTimeoutMillis);
        if (exchange.streamedBody != null && exchange.streamedBody.isBackedUp()) {
            connection.pauseReading();
        }
    }

    private void bodyComplete() {
        Exchange exchange = reading;
        reading = null;
        state = ReadState.HEAD;
        if (chunkedDecoder != null) {
            FieldList trailers = chunkedDecoder.trailers();
            chunkedDecoder = null;
            if (trailers == null) {
                refuseReading(exchange, RequestError.INVALID_CHUNK);
                return;
            }
            exchange.trailers = trailers;
        }
        closing |= exchange.closeAfter;
        if (exchange.streamedBody != null) {
            exchange.streamedBody.complete();
        } else {
            dispatch(exchange);
        }
        connection.setReadDeadline(loop().now() + runtime.idleTimeoutMillis);
    }

    /** The consumer of a streamed body caught up (or gave up on it): read the socket again. */
    void resumeBodyReading(Exchange exchange) {
        if (!closed && reading == exchange && connection.isReadPaused() && canReadMore()) {
            connection.resumeReading();
            connection.flush();
        }
    }

    /** A streaming handler asked for its body: the interim 100 is owed now (RFC 9110 §10.1.1). */
    void sendContinue(Exchange exchange) {
        if (!closed && reading == exchange) {
            exchange.continuePending = true;
            if (inFlight.peek() == exchange) {
                sendContinueIfOwed(exchange);
                connection.flush();
            }
        }
    }

    private void sendContinueIfOwed(Exchange exchange) {
        if (exchange.continuePending && exchange == reading) {
            exchange.continuePending = false;
            exchange.continueSent = true;
            connection.write(ResponseEncoder.continueResponse());
        }
    }

    /** Answers a request that cannot be read with its error status, then closes. */
    private void refuse(RequestError error) {
        counters.increment(HttpCounter.error(error));
        closeReason = CloseReason.PROTOCOL_ERROR;
        if (reading != null) {
            refuseReading(reading, error);
            return;
        }
        closing = true;
        enqueueAnswered(HttpResponse.error(error.status()));
    }

    /** Queues the answer to a request that never got a parsed head (refused, or timed out half-sent). */
    private void enqueueAnswered(HttpResponse response) {
        counters.increment(HttpCounter.REQUESTS);
        counters.increment(HttpCounter.ACTIVE);
        inFlight.add(Exchange.answered(this, null, response));
    }

    private void refuseReading(Exchange exchange, RequestError error) {
        reading = null;
        state = ReadState.HEAD;
        closing = true;
        closeReason = CloseReason.PROTOCOL_ERROR;
        exchange.closeAfter = true;
        if (exchange.streamedBody != null) {
            exchange.streamedBody.fail(new RequestBodyException(error.status(), "Invalid request body: " + error));
        } else {
            exchange.response = HttpResponse.error(error.status());
            exchange.ready = true;
        }
    }

    // ---------------------------------------------------------------- running handlers

    private void dispatch(Exchange exchange) {
        ServerHttpExchange handle = exchange.handle;
        if (handle != null) {
            RequestHead head = exchange.head;
            if (head.isUpgradeRequest() && !head.hasBody()) {
                // What follows may be the protocol the handler switches to, not HTTP: hold it until it decides.
                heldForUpgrade = exchange;
                upgrading = true;
                connection.pauseReading();
            }
            handle.invoke(runtime.fallback);
            return;
        }
        if (exchange.route.dispatch() == Dispatch.EVENT_LOOP) {
            exchange.invokeHandler();
            return;
        }
        try {
            runtime.workers.execute(exchange);
        } catch (RejectedExecutionException e) {
            counters.increment(HttpCounter.REJECTED_TASKS);
            exchange.response = HttpResponse.status(503).header("Retry-After", "1").text("Service Unavailable\n");
            exchange.ready = true;
        }
    }

    /** A handler answered; on the loop thread. */
    void onResponseReady(Exchange exchange) {
        if (exchange.handlerFailed) {
            counters.increment(HttpCounter.HANDLER_ERRORS);
        }
        exchange.ready = true;
        if (closed) {
            return;
        }
        if (exchange == heldForUpgrade && exchange.upgrade == null) {
            // Answered without upgrading: what follows is HTTP after all.
            heldForUpgrade = null;
            upgrading = false;
        }
        if (!inRead) {
            writeReadyResponses();
        }
    }

    // ---------------------------------------------------------------- writing responses

    /** Writes, in order, every response that is ready up to the first that is not. */
    private void writeReadyResponses() {
        if (closed) {
            return;
        }
        while (streaming == null) {
            Exchange next = inFlight.peek();
            if (next == null) {
                break;
            }
            if (!next.ready) {
                sendContinueIfOwed(next);
                break;
            }
            inFlight.poll();
            if (!write(next)) {
                break;
            }
            finish(next);
        }
        if (closed) {
            return;
        }
        if (inFlight.isEmpty() && streaming == null && reading == null) {
            if (closing) {
                connection.closeAfterFlush(closeReason);
                return;
            }
            // Not while a head is arriving: its header deadline must stand (during onRead the partial
            // head is not yet in the connection's unconsumed input, so that check alone misses it).
            if (!parser.hasPartialHead() && !connection.hasUnconsumedInput()) {
                connection.setReadDeadline(loop().now() + runtime.idleTimeoutMillis);
            }
        }
        if (connection.isReadPaused() && canReadMore()) {
            connection.resumeReading();
        }
        if (!inRead) {
            connection.flush();
        }
    }

    private boolean canReadMore() {
        if (reading != null) {
            // A body is being read: its consumer decides (the limits below are about new requests).
            return reading.streamedBody == null || reading.streamedBody.canTakeMore();
        }
        return !closing && !upgrading && connection.isWritable()
                && inFlight.size() < runtime.config.maxPipelinedRequests;
    }

    /**
     * Encodes one response. Returns false when its body is being streamed, which holds back later
     * responses until it ends.
     */
    private boolean write(Exchange exchange) {
        if (exchange.upgrade != null) {
            switchToWebSocket(exchange);
            return true;
        }
        HttpResponse response = exchange.response;
        int status = response.status();
        boolean bodyless = status == 204 || status == 304;
        boolean headOnly = exchange.isHeadRequest() || bodyless;
        if (!headOnly && response.bodyPublisher() != null) {
            startPublishing(exchange, response);
            return false;
        }
        boolean close = closesAfter(exchange, response);
        Framing framing;
        long length = 0;
        if (bodyless) {
            framing = Framing.NONE;
        } else if (response.isStreamed()) {
            length = response.contentLength();
            if (length >= 0) {
                framing = Framing.CONTENT_LENGTH;
            } else if (exchange.isHttp11()) {
                framing = Framing.CHUNKED;
            } else {
                framing = Framing.NONE; // HTTP/1.0: the body ends when the connection does
                close = true;
            }
        } else {
            framing = Framing.CONTENT_LENGTH;
            length = response.body().length;
        }
        writeHead(exchange, response, framing, length, close);
        if (headOnly) {
            return true;
        }
        if (response.isStreamed()) {
            startStreaming(exchange, framing == Framing.CHUNKED ? -2 : length);
            return false;
        }
        connection.write(response.body());
        return true;
    }

    /** Whether the connection closes after this response. */
    private boolean closesAfter(Exchange exchange, HttpResponse response) {
        boolean lastBeforeDrain = runtime.draining && inFlight.isEmpty() && reading == null;
        boolean close = exchange.closeAfter || response.closeConnection() || lastBeforeDrain;
        if (exchange == reading && exchange.head.expectContinue() && !exchange.continueSent) {
            // Answered before its body, which the client was never asked for and may never send: the
            // rest cannot be told from the next request, so say we close (RFC 9110 §10.1.1).
            close = true;
        }
        return close;
    }

    private void writeHead(Exchange exchange, HttpResponse response, Framing framing, long length, boolean close) {
        if (close) {
            closing = true;
            exchange.closeAfter = true;
        }
        int connectionField = close ? 1 : exchange.isHttp11() ? 0 : 2;
        ByteBuffer out = connection.outputBuffer(runtime.encoder.headSizeBound(response));
        runtime.encoder.encodeHead(out, response, loop().dateLine(), framing, length, connectionField);
        counters.increment(HttpCounter.responses(response.status()));
    }

    /** Sends the 101 and hands the connection to a WebSocket; this protocol is done with it. */
    private void switchToWebSocket(Exchange exchange) {
        Exchange.Upgrade upgrade = exchange.upgrade;
        byte[] response = upgrade.handshake().responseHead();
        connection.write(response);
        counters.increment(HttpCounter.responses(101));
        ServerWebSocketSession.Handshake handshake = new ServerWebSocketSession.Handshake(exchange.path(),
                upgrade.variables(), exchange.head, exchange.query(), upgrade.handshake().subprotocol(),
                upgrade.handshake().newDeflater(), upgrade.handshake().newInflater(), connection.remoteAddress());
        WebSocketConnection webSocket = new WebSocketConnection(connection, upgrade.route(), runtime, counters, handshake);
        closed = true; // from now on nothing here may touch the connection
        connection.switchProtocol(webSocket);
        webSocket.open();
        if (upgrade.opened() != null) {
            CompletableFuture<WebSocketSession> opened = upgrade.opened();
            loop().execute(() -> opened.complete(webSocket.session));
            exchange.handle.written();
        }
        connection.resumeReading(); // an exchange handler's upgrade request held the input; a no-op otherwise
        if (!inRead) {
            connection.flush(); // the 101 (and what came before it) must not wait for another event
        }
    }

    /**
     * An exchange handler accepts its request as a WebSocket handshake: validated as a route's would
     * be; the 101 (or the refusal) takes the exchange's turn like any response.
     */
    void acceptUpgrade(Exchange exchange, WebSocketHandler handler, String subprotocol, Dispatch dispatch,
            CompletableFuture<WebSocketSession> opened) {
        if (closed) {
            opened.completeExceptionally(new ClosedChannelException());
            return;
        }
        WebSocketRoute route = WebSocketRoute.of(exchange.path(), handler).dispatch(dispatch);
        if (subprotocol != null) {
            route = route.withSubprotocols(subprotocol);
        }
        HandshakeResult result = WebSocketHandshake.validate(exchange.head,
                HttpRuntime.handshakeOptionsOf(route, runtime.webSocketOptions));
        if (!result.isAccepted()) {
            exchange.closeAfter = true;
            WebSocketHandshakeException refusal = new WebSocketHandshakeException(result.status(), result.refusalReason());
            loop().execute(() -> opened.completeExceptionally(refusal));
            exchange.respond(result.refusalResponse());
            return;
        }
        exchange.upgrade = new Exchange.Upgrade(route, Map.of(), result, opened);
        exchange.respond(HttpResponse.status(200).empty()); // placeholder: write() sends the 101 instead
    }

    /** An exchange is done: its response is written (or queued to be). */
    private void finish(Exchange exchange) {
        counters.decrement(HttpCounter.ACTIVE);
        if (exchange == reading && exchange.streamedBody != null) {
            // Answered without reading all of its body: discard the rest so the next request can be read.
            exchange.streamedBody.abandon();
        }
        if (exchange.handle != null && exchange.upgrade == null) {
            awaitWritten(exchange.handle);
        }
        if (exchange.closeAfter) {
            closing = true;
            dropRemaining();
        }
    }

    /** The connection closes after the response just written: nothing after it will be answered. */
    private void dropRemaining() {
        if (!inFlight.isEmpty()) {
            counters.add(HttpCounter.ACTIVE, -inFlight.size());
            IOException dropped = null;
            for (Exchange exchange : inFlight) {
                if (exchange.handle != null) {
                    if (dropped == null) {
                        dropped = new IOException("The connection closes after an earlier response");
                    }
                    exchange.handle.failed(dropped);
                }
            }
            inFlight.clear();
        }
        if (reading != null) {
            if (reading.streamedBody != null) {
                reading.streamedBody.abandon();
            }
            reading = null;
            state = ReadState.HEAD;
        }
    }

    /** Tells the exchange handler when everything queued so far, its response included, has been written. */
    private void awaitWritten(ServerHttpExchange handle) {
        long end = connection.outputPosition();
        if (end <= connection.bytesWritten()) {
            handle.written();
            return;
        }
        if (completions == null) {
            completions = new ArrayDeque<>(2);
        }
        completions.add(new PendingCompletion(end, handle));
    }

    @Override
    public void onOutputWritten(long totalWritten) {
        ArrayDeque<PendingCompletion> waiting = completions;
        if (waiting != null) {
            PendingCompletion next;
            while ((next = waiting.peek()) != null && next.endPosition() <= totalWritten) {
                waiting.poll();
                next.handle().written();
            }
        }
    }

    // ---------------------------------------------------------------- streamed response bodies

    /** @param length declared length, -1 for close-delimited, -2 for chunked */
    private void startStreaming(Exchange exchange, long length) {
        streaming = exchange;
        responseStream = new ResponseBodyStream(this, length >= 0 ? length : -1, runtime.config.highWaterMark,
                length == -2);
        ResponseBodyStream stream = responseStream;
        try {
            runtime.workers.execute(() -> stream.run(exchange.response.bodyWriter()));
        } catch (RejectedExecutionException e) {
            counters.increment(HttpCounter.REJECTED_TASKS);
            log.warn("No worker to stream the response of {}; closing the connection", exchange);
            connection.close(CloseReason.IO_ERROR);
        }
    }

    void onStreamChunk(ResponseBodyStream stream, byte[] chunk, int length) {
        if (closed || stream != responseStream) {
            return;
        }
        if (stream.chunked) {
            ResponseEncoder.putChunkHeader(connection.outputBuffer(10), length);
            connection.write(chunk, 0, length);
            connection.outputBuffer(2).put((byte) '\r').put((byte) '\n');
        } else {
            connection.write(chunk, 0, length);
        }
        connection.flush();
        if (closed) {
            return;
        }
        if (connection.isWritable()) {
            stream.release(length);
        } else {
            unreleasedStreamBytes += length;
        }
    }

    void onStreamEnd(ResponseBodyStream stream, Throwable failure) {
        if (closed || stream != responseStream) {
            return;
        }
        Exchange exchange = streaming;
        streaming = null;
        responseStream = null;
        unreleasedStreamBytes = 0;
        if (failure != null) {
            // The head is out: the only honest way to tell the client the body is incomplete is to close.
            if (!(failure instanceof IOException)) {
                counters.increment(HttpCounter.HANDLER_ERRORS);
            }
            log.warn("Streaming the response of {} failed; closing the connection", exchange, failure);
            connection.close(CloseReason.IO_ERROR);
            return;
        }
        if (stream.chunked) {
            connection.write(ResponseEncoder.lastChunk());
        }
        finish(exchange);
        writeReadyResponses();
    }

    // ---------------------------------------------------------------- published response bodies

    private void startPublishing(Exchange exchange, HttpResponse response) {
        streaming = exchange;
        published = new PublishedBody(this, exchange, response.contentLength());
        published.start(response.bodyPublisher());
    }

    /**
     * The head of a published body goes out with its first signal: the framing can then say
     * {@code Content-Length: 0} for a publisher that completes empty, and a publisher that fails at
     * once can still be answered with a 500.
     */
    private void writePublishedHead(PublishedBody body, boolean empty) {
        Exchange exchange = body.exchange;
        HttpResponse response = exchange.response;
        boolean close = closesAfter(exchange, response);
        Framing framing;
        long length = body.declaredLength;
        if (length >= 0) {
            framing = Framing.CONTENT_LENGTH;
        } else if (empty) {
            framing = Framing.CONTENT_LENGTH;
            length = 0;
        } else if (exchange.isHttp11()) {
            framing = Framing.CHUNKED;
            body.chunked = true;
        } else {
            framing = Framing.NONE; // HTTP/1.0: the body ends when the connection does
            close = true;
        }
        writeHead(exchange, response, framing, length, close);
        body.headWritten = true;
    }

    void onPublishedBuffer(PublishedBody body, ByteBuffer buffer) {
        if (closed || body != published) {
            return;
        }
        if (!body.headWritten) {
            writePublishedHead(body, false);
        }
        int length = buffer.remaining();
        if (length == 0) {
            return;
        }
        if (body.declaredLength >= 0 && body.written + length > body.declaredLength) {
            abortPublished(body, new IOException("The body publisher sent more than the declared Content-Length of "
                    + body.declaredLength));
            return;
        }
        body.written += length;
        if (body.chunked) {
            ResponseEncoder.putChunkHeader(connection.outputBuffer(10), length);
            writeBuffer(buffer);
            connection.outputBuffer(2).put((byte) '\r').put((byte) '\n');
        } else {
            writeBuffer(buffer);
        }
    }

    /** Small heap buffers are copied into the batch; others are referenced until written. */
    private void writeBuffer(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            connection.write(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        } else {
            connection.write(buffer);
        }
    }

    void onPublishedEnd(PublishedBody body, Throwable failure) {
        if (closed || body != published) {
            return;
        }
        Exchange exchange = body.exchange;
        if (failure == null && body.declaredLength >= 0 && body.written != body.declaredLength) {
            failure = new IOException("The body publisher sent " + body.written + " bytes, but Content-Length is "
                    + body.declaredLength);
        }
        if (failure != null && body.headWritten) {
            abortPublished(body, failure);
            return;
        }
        if (failure != null) {
            // Nothing of the response is on the wire yet: an honest 500 still fits in its place.
            counters.increment(HttpCounter.HANDLER_ERRORS);
            log.error("The response body publisher of {} failed before its first byte; answering 500", exchange, failure);
            if (exchange.handle != null) {
                exchange.handle.failed(failure);
            }
            HttpResponse error = HttpResponse.error(500);
            writeHead(exchange, error, Framing.CONTENT_LENGTH, error.body().length, closesAfter(exchange, error));
            connection.write(error.body());
        } else if (!body.headWritten) {
            writePublishedHead(body, true);
        } else if (body.chunked) {
            connection.write(ResponseEncoder.lastChunk());
        }
        published = null;
        streaming = null;
        finish(exchange);
        writeReadyResponses();
    }

    /** The head is out, so the body cannot be fixed: close, which tells the client it is incomplete. */
    private void abortPublished(PublishedBody body, Throwable failure) {
        body.cancel();
        if (!(failure instanceof IOException)) {
            counters.increment(HttpCounter.HANDLER_ERRORS);
        }
        log.warn("Publishing the response body of {} failed; closing the connection", body.exchange, failure);
        if (body.exchange.handle != null) {
            body.exchange.handle.failed(failure);
        }
        connection.flush(); // what was produced goes out: the client sees where the body broke off
        connection.close(CloseReason.IO_ERROR);
    }

    /** The publisher paused: what it sent goes out now. */
    void flushPublished(PublishedBody body) {
        if (!closed && body == published) {
            connection.flush();
        }
    }

    /** Whether a publisher may be asked for more: the output is below its high-water mark. */
    boolean acceptsPublishedOutput() {
        return !closed && connection.isWritable();
    }

    // ---------------------------------------------------------------- transport events

    @Override
    public void onWritable() {
        if (responseStream != null && unreleasedStreamBytes > 0) {
            responseStream.release(unreleasedStreamBytes);
            unreleasedStreamBytes = 0;
        }
        if (published != null) {
            published.onWritable();
        }
        if (connection.isReadPaused() && canReadMore()) {
            connection.resumeReading();
            connection.flush();
        }
    }

    @Override
    public void onInputClosed() {
        if (reading != null || parser.hasPartialHead()) {
            // The request was cut short: nobody is left to answer.
            connection.close(CloseReason.PEER_CLOSED);
            return;
        }
        if (awaitsExchangeHandler()) {
            // Taken as a disconnect, as reactive servers do: long-lived responses (events, long polls)
            // are cancelled instead of being produced for nobody.
            connection.close(CloseReason.PEER_CLOSED);
            return;
        }
        closing = true;
        if (inFlight.isEmpty() && streaming == null) {
            connection.close(CloseReason.PEER_CLOSED);
        } else {
            // A half-closed client may still read the responses it asked for.
            closeReason = CloseReason.PEER_CLOSED;
            connection.pauseReading();
        }
    }

    /** Whether an exchange handler's response is still to be written, or being written. */
    private boolean awaitsExchangeHandler() {
        if (streaming != null && streaming.handle != null) {
            return true;
        }
        for (Exchange exchange : inFlight) {
            if (exchange.handle != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void onReadTimeout() {
        if (connection.isReadPaused() && !closing) {
            // We stopped reading (pipelining cap, backpressure): the peer is not the one late.
            connection.setReadDeadline(loop().now() + runtime.headerTimeoutMillis);
            return;
        }
        if (reading != null || parser.hasPartialHead() || connection.hasUnconsumedInput() && inFlight.isEmpty()) {
            // A request that started did not finish in time (slowloris, a stalled upload): 408, close.
            connection.discardUnconsumedInput();
            closeReason = CloseReason.REQUEST_TIMEOUT;
            if (reading != null) {
                if (reading.streamedBody != null) {
                    reading.streamedBody.fail(new RequestBodyException(408, "The request body timed out"));
                    reading.closeAfter = true;
                    reading = null;
                    state = ReadState.HEAD;
                    closing = true;
                    return;
                }
                reading.response = HttpResponse.error(408);
                reading.ready = true;
                reading.closeAfter = true;
                reading = null;
                state = ReadState.HEAD;
                closing = true;
            } else {
                closing = true;
                enqueueAnswered(HttpResponse.error(408));
            }
            writeReadyResponses();
        } else if (inFlight.isEmpty() && streaming == null) {
            connection.close(CloseReason.IDLE_TIMEOUT);
        }
        // Otherwise a handler is still working: its response re-arms the idle timer.
    }

    @Override
    public void onDrain() {
        closing = true;
        if (inFlight.isEmpty() && streaming == null && reading == null) {
            connection.close(CloseReason.COMPLETED);
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        closed = true;
        int abandoned = inFlight.size() + (streaming != null ? 1 : 0);
        if (abandoned > 0) {
            counters.add(HttpCounter.ACTIVE, -abandoned);
        }
        IOException gone = new IOException("Connection closed: " + reason);
        if (reading != null && reading.streamedBody != null) {
            reading.streamedBody.fail(new RequestBodyException(400, "Connection closed before the body was complete"));
        }
        if (responseStream != null) {
            responseStream.fail(gone);
        }
        if (published != null) {
            published.cancel();
        }
        if (streaming != null && streaming.handle != null) {
            streaming.handle.failed(gone);
        }
        for (Exchange exchange : inFlight) {
            if (exchange.handle != null) {
                exchange.handle.failed(gone);
            }
        }
        if (completions != null) {
            for (PendingCompletion waiting : completions) {
                waiting.handle().failed(gone);
            }
            completions.clear();
        }
        inFlight.clear();
        reading = null;
        streaming = null;
        responseStream = null;
        published = null;
    }
}
