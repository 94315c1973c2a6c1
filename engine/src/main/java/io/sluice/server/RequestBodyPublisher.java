package io.sluice.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request body as a {@link Flow.Publisher} for an {@link io.sluice.api.ExchangeHandler}. Bytes are
 * handed on as they are read, and the connection reads only while the subscriber has demand: without
 * it the socket is not read, so at most one read's worth of body waits here however slow the consumer.
 *
 * <p>All state is confined to the connection's loop; subscribe, request and cancel from other threads
 * are handed to it. Signals reach the subscriber on the loop, one at a time, and a request made from
 * within {@code onNext} is served by the delivery in progress, not by recursion (Reactive Streams
 * §3.3).
 */
final class RequestBodyPublisher implements StreamedBody, Flow.Publisher<ByteBuffer>, Flow.Subscription {

    private static final Logger log = LoggerFactory.getLogger(RequestBodyPublisher.class);

    private final HttpConnection owner;
    private final Exchange exchange;
    private final AtomicBoolean subscribed = new AtomicBoolean();
    private final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>(2);

    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    /** The client sent {@code Expect: 100-continue}: its 100 is owed with the first demand. */
    private boolean continueOwed;
    private boolean complete;
    private Throwable failure;
    /** Nobody wants the rest (the subscriber cancelled, or the exchange ended): it is discarded. */
    private boolean discarding;
    private boolean terminated;
    private boolean delivering;

    RequestBodyPublisher(HttpConnection owner, Exchange exchange, boolean expectContinue) {
        this.owner = owner;
        this.exchange = exchange;
        this.continueOwed = expectContinue;
    }

    // ---------------------------------------------------------------- Flow.Publisher / Subscription (any thread)

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> candidate) {
        Objects.requireNonNull(candidate, "subscriber");
        if (!subscribed.compareAndSet(false, true)) {
            candidate.onSubscribe(NoSubscription.INSTANCE);
            candidate.onError(new IllegalStateException("A request body can be subscribed to once"));
            return;
        }
        onLoop(() -> attach(candidate));
    }

    @Override
    public void request(long n) {
        onLoop(() -> onRequest(n));
    }

    @Override
    public void cancel() {
        onLoop(this::onCancel);
    }

    private void onLoop(Runnable action) {
        if (owner.loop().inLoop()) {
            action.run();
        } else {
            owner.loop().execute(action);
        }
    }

    // ---------------------------------------------------------------- subscriber side (loop)

    private void attach(Flow.Subscriber<? super ByteBuffer> candidate) {
        subscriber = candidate;
        try {
            candidate.onSubscribe(this);
        } catch (Throwable t) {
            log.warn("Subscriber of the body of {} failed in onSubscribe; discarding the body", exchange, t);
            onCancel();
            return;
        }
        deliver();
    }

    private void onRequest(long n) {
        if (terminated) {
            return;
        }
        if (n <= 0) {
            failure = new IllegalArgumentException("Flow §3.9: request(n) needs n > 0, was " + n);
            queue.clear();
            discard();
            deliver();
            return;
        }
        demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
        if (continueOwed) {
            continueOwed = false;
            owner.sendContinue(exchange);
        }
        deliver();
        if (canTakeMore()) {
            owner.resumeBodyReading(exchange);
        }
    }

    private void onCancel() {
        if (terminated) {
            return;
        }
        terminated = true;
        subscriber = null;
        queue.clear();
        discard();
    }

    /** From now on the body is read and dropped, so the next request can be read after it. */
    private void discard() {
        if (!discarding) {
            discarding = true;
            owner.resumeBodyReading(exchange);
        }
    }

    /** Hands queued buffers to the subscriber while it has demand, then the end if all is delivered. */
    private void deliver() {
        if (delivering || subscriber == null || terminated) {
            return;
        }
        delivering = true;
        try {
            Flow.Subscriber<? super ByteBuffer> target = subscriber;
            while (demand > 0 && !queue.isEmpty() && !terminated) {
                demand--;
                try {
                    target.onNext(queue.poll());
                } catch (Throwable t) {
                    subscriberFailed(target, t);
                    return;
                }
            }
            if (terminated || failure == null && !(complete && queue.isEmpty())) {
                return;
            }
            Throwable reason = failure;
            terminated = true;
            subscriber = null;
            queue.clear();
            try {
                if (reason != null) {
                    target.onError(reason);
                } else {
                    target.onComplete();
                }
            } catch (Throwable t) {
                log.warn("Subscriber {} of the body of {} failed at its end", target, exchange, t);
            }
        } finally {
            delivering = false;
        }
    }

    /** A subscriber that throws is taken to have cancelled (Reactive Streams §2.13). */
    private void subscriberFailed(Flow.Subscriber<? super ByteBuffer> target, Throwable failure) {
        log.warn("Subscriber {} of the body of {} failed; discarding the body", target, exchange, failure);
        onCancel();
    }

    // ---------------------------------------------------------------- connection side (loop)

    @Override
    public void offer(byte[] bytes, int offset, int length) {
        if (discarding || terminated || length == 0) {
            return;
        }
        queue.add(ByteBuffer.wrap(Arrays.copyOfRange(bytes, offset, offset + length)));
        deliver();
    }

    @Override
    public boolean isBackedUp() {
        return !discarding && !terminated && (demand == 0 || !queue.isEmpty());
    }

    @Override
    public boolean canTakeMore() {
        return discarding || terminated || demand > 0 && queue.isEmpty();
    }

    @Override
    public void complete() {
        complete = true;
        deliver();
    }

    @Override
    public void fail(IOException reason) {
        if (!complete && failure == null) {
            failure = reason;
            queue.clear();
            deliver();
        }
    }

    /**
     * The exchange ended first. The subscriber hears of it from a task of its own, not from within
     * the connection's bookkeeping; the connection resumes reading to discard the rest by itself.
     */
    @Override
    public void abandon() {
        discarding = true;
        queue.clear();
        if (!complete && failure == null && !terminated) {
            failure = new IOException("The exchange ended before its request body was read");
            owner.loop().execute(this::deliver);
        }
    }

    /** What a second subscriber gets before its {@code onError}. */
    enum NoSubscription implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }
}
