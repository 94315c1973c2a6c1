package io.sluice.boot.reactive;

import io.sluice.api.HttpExchange;
import io.sluice.api.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import reactor.adapter.JdkFlowAdapter;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * WebFlux's {@code ServerHttpResponse} over an engine exchange. On commit the status, headers and cookies
 * become the head of an engine {@link HttpResponse}; a body is handed over as the engine's publisher, which
 * the connection requests from only while the client keeps up, and the write completes when the last byte
 * has left. The engine frames the body itself ({@code Content-Length} when WebFlux knows it, chunked
 * otherwise) and adds {@code Date}.
 */
final class SluiceServerHttpResponse extends AbstractServerHttpResponse {

    private final HttpExchange exchange;
    private final ResponseCompression compression;
    /** The head, built on commit; its terminal call (the body) is made when the response is sent. */
    private HttpResponse.Builder head;
    private int status;
    private long contentLength = -1;

    SluiceServerHttpResponse(HttpExchange exchange, DataBufferFactory bufferFactory, ResponseCompression compression) {
        super(bufferFactory, new HttpHeaders());
        this.exchange = exchange;
        this.compression = compression;
    }

    /** 200 unless the application set another: the status every server defaults to, and metrics record. */
    @Override
    public HttpStatusCode getStatusCode() {
        HttpStatusCode code = super.getStatusCode();
        return code != null ? code : HttpStatus.OK;
    }

    @Override
    protected void applyStatusCode() {
        status = getStatusCode().value();
    }

    @Override
    protected void applyHeaders() {
        HttpResponse.Builder builder = HttpResponse.status(status);
        getHeaders().forEach((name, values) -> {
            if (name.equalsIgnoreCase(HttpHeaders.CONTENT_LENGTH)) {
                contentLength = getHeaders().getContentLength();
            } else if (!name.equalsIgnoreCase(HttpHeaders.TRANSFER_ENCODING) && !name.equalsIgnoreCase(HttpHeaders.DATE)) {
                // The engine frames the body and dates the response itself.
                for (String value : values) {
                    builder.header(name, value);
                }
            }
        });
        head = builder;
    }

    @Override
    protected void applyCookies() {
        for (List<ResponseCookie> cookies : getCookies().values()) {
            for (ResponseCookie cookie : cookies) {
                head.header(HttpHeaders.SET_COOKIE, cookie.toString());
            }
        }
    }

    /**
     * Deferred: WebFlux asks for the write before it applies the status and headers, and subscribes to it
     * after.
     */
    @Override
    protected Mono<Void> writeWithInternal(Publisher<? extends DataBuffer> body) {
        return Mono.defer(() -> send(body));
    }

    private Mono<Void> send(Publisher<? extends DataBuffer> body) {
        Flux<ByteBuffer> buffers = Flux.from(body).map(SluiceServerHttpResponse::toByteBuffer);
        long length = contentLength;
        if (compression.appliesTo(exchange.request().method(), exchange.request().headers(), status, getHeaders(), length)) {
            head.header(HttpHeaders.CONTENT_ENCODING, "gzip").header(HttpHeaders.VARY, HttpHeaders.ACCEPT_ENCODING);
            buffers = gzip(buffers);
            length = -1;
        }
        Flow.Publisher<ByteBuffer> published = JdkFlowAdapter.publisherToFlowPublisher(buffers);
        exchange.respond(length >= 0 ? head.publish(length, published) : head.publish(published));
        // A copy of the engine's (uncancellable) stage. When WebFlux cancels the write (the client went away),
        // the copy is settled so that the connection's failure, which follows, is not reported as dropped.
        CompletableFuture<Void> written = exchange.completion().toCompletableFuture();
        return Mono.fromFuture(written, true).doOnCancel(() -> written.complete(null));
    }

    /** Each inner publisher is a unit to flush: the engine flushes whenever the body pauses. */
    @Override
    protected Mono<Void> writeAndFlushWithInternal(Publisher<? extends Publisher<? extends DataBuffer>> body) {
        return writeWithInternal(Flux.from(body).concatMap(Flux::from));
    }

    /**
     * The handler completed without a body (or, for HEAD, with its length only): sends the head, unless the
     * exchange was answered already (a body, a WebSocket upgrade).
     */
    void completeWithoutBody() {
        if (exchange.isAnswered()) {
            return;
        }
        if (head == null) {
            setComplete().subscribe(); // commits: status, headers and cookies become the head
        }
        if (exchange.isAnswered()) {
            return;
        }
        if ("HEAD".equals(exchange.request().method())) {
            // The head of the GET response: its length when WebFlux knows it, else chunked, as GET would be.
            exchange.respond(contentLength >= 0 ? head.publish(contentLength, NoBody.INSTANCE) : head.publish(NoBody.INSTANCE));
        } else {
            exchange.respond(head.empty());
        }
    }

    private static Flux<ByteBuffer> gzip(Flux<ByteBuffer> buffers) {
        return Flux.using(ResponseCompression.GzipEncoder::new,
                encoder -> buffers.map(encoder::encode).concatWith(Mono.fromCallable(encoder::finish)),
                ResponseCompression.GzipEncoder::release);
    }

    /**
     * The bytes of {@code buffer} for the engine, which owns them from now on. A default (heap) buffer is
     * handed over as it is; any other kind is copied and released at once.
     */
    private static ByteBuffer toByteBuffer(DataBuffer buffer) {
        if (buffer instanceof DefaultDataBuffer) {
            try (DataBuffer.ByteBufferIterator iterator = buffer.readableByteBuffers()) {
                ByteBuffer only = iterator.hasNext() ? iterator.next() : ByteBuffer.allocate(0);
                if (!iterator.hasNext()) {
                    return only;
                }
            }
        }
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        DataBufferUtils.release(buffer);
        return ByteBuffer.wrap(bytes);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T getNativeResponse() {
        return (T) exchange;
    }

    /** The body of a HEAD response: never subscribed to (the engine sends the head only). */
    private enum NoBody implements Flow.Publisher<ByteBuffer> {
        INSTANCE;

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                }

                @Override
                public void cancel() {
                }
            });
            subscriber.onComplete();
        }
    }
}
