package io.sluice.server;

import java.nio.ByteBuffer;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Subscribes to a published response body and hands its buffers to the connection, on the loop.
 *
 * <p>Demand follows the connection: up to {@link #PREFETCH} buffers are requested ahead, topped up
 * as they are written, and not at all while the connection's queued output is above its high-water
 * mark; {@link #onWritable()} starts again. Signals may come from any thread: they queue here and one
 * loop task takes all that have arrived, then flushes, so a burst goes out in one write and a pause
 * of the publisher sends what it produced (server-sent events arrive as they happen).
 *
 * <p>Signals are never handled inline, even on the loop: the publisher may emit from within
 * {@code request}, and the connection must not be re-entered while it is in the middle of its own
 * bookkeeping.
 */
final class PublishedBody implements Flow.Subscriber<ByteBuffer> {

    /** Buffers requested ahead of the socket; bounds what waits here beyond the high-water mark. */
    static final int PREFETCH = 16;
    /** Buffers handled per task, so one fast publisher cannot keep the loop from its other work. */
    private static final int MAX_PER_TASK = 256;
    private static final Object COMPLETE = new Object();

    private record Failure(Throwable cause) {
    }

    private final HttpConnection owner;
    final Exchange exchange;
    /** The length the response declared, or -1. */
    final long declaredLength;
    private final Queue<Object> signals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private volatile Flow.Subscription subscription;

    /** Completed, failed or cancelled: written on the loop, read by {@link #onSubscribe} too. */
    private volatile boolean done;

    // Loop-confined.
    private long outstanding;
    private boolean draining;
    /** Written by the connection: the head is out, and so many body bytes. */
    boolean headWritten;
    boolean chunked;
    long written;

    PublishedBody(HttpConnection owner, Exchange exchange, long declaredLength) {
        this.owner = owner;
        this.exchange = exchange;
        this.declaredLength = declaredLength;
    }

    /** Subscribes, from a loop task of its own (the publisher may start emitting inside subscribe). */
    void start(Flow.Publisher<ByteBuffer> publisher) {
        owner.loop().execute(() -> {
            if (done) {
                return;
            }
            try {
                publisher.subscribe(this);
            } catch (Throwable t) {
                onError(t);
            }
        });
    }

    // ---------------------------------------------------------------- Flow.Subscriber (any thread)

    @Override
    public void onSubscribe(Flow.Subscription s) {
        if (subscription != null) {
            s.cancel(); // §2.5: one subscription at a time
            return;
        }
        subscription = s;
        if (done) {
            s.cancel(); // cancelled before the subscription arrived
            return;
        }
        schedule();
    }

    @Override
    public void onNext(ByteBuffer buffer) {
        signals.add(buffer);
        schedule();
    }

    @Override
    public void onError(Throwable failure) {
        signals.add(new Failure(failure));
        schedule();
    }

    @Override
    public void onComplete() {
        signals.add(COMPLETE);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            owner.loop().execute(drainTask);
        }
    }

    // ---------------------------------------------------------------- loop side

    private void drain() {
        scheduled.set(false);
        if (draining || done) {
            return;
        }
        draining = true;
        try {
            int handled = 0;
            Object signal;
            while (!done && (signal = signals.poll()) != null) {
                if (signal instanceof ByteBuffer buffer) {
                    outstanding--;
                    owner.onPublishedBuffer(this, buffer);
                    if (++handled == MAX_PER_TASK) {
                        schedule();
                        break;
                    }
                } else {
                    done = true;
                    owner.onPublishedEnd(this, signal == COMPLETE ? null : ((Failure) signal).cause());
                }
            }
            if (!done) {
                owner.flushPublished(this);
                requestMore();
            }
        } finally {
            draining = false;
        }
    }

    /** Tops up the demand while the connection takes output. */
    private void requestMore() {
        Flow.Subscription s = subscription;
        if (done || s == null || outstanding > PREFETCH / 2 || !owner.acceptsPublishedOutput()) {
            return;
        }
        long n = PREFETCH - outstanding;
        outstanding = PREFETCH;
        try {
            s.request(n);
        } catch (Throwable t) {
            onError(t);
        }
    }

    /** The connection's queued output drained below the low-water mark. */
    void onWritable() {
        requestMore();
    }

    /** The connection is gone or the body cannot be sent on: stop the publisher. */
    void cancel() {
        if (done) {
            return;
        }
        done = true;
        signals.clear();
        Flow.Subscription s = subscription;
        if (s != null) {
            try {
                s.cancel();
            } catch (Throwable t) {
                // §3.15: cancel must not throw; nothing more to do for a publisher that does
            }
        }
    }

    /** Whether the publisher completed or failed, or was cancelled. */
    boolean isDone() {
        return done;
    }
}
