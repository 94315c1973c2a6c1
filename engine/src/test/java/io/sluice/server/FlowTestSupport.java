package io.sluice.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.CRC32;

/** Publishers and subscribers of buffers that tests drive and observe, for the exchange-handler tests. */
final class FlowTestSupport {

    private FlowTestSupport() {
    }

    static ByteBuffer ascii(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** The byte at {@code index} of the patterned bodies the tests send and check. */
    static byte patternByte(long index) {
        return (byte) (index * 31 + (index >>> 11));
    }

    static byte[] pattern(long from, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = patternByte(from + i);
        }
        return bytes;
    }

    /** A publisher the test drives by hand: it records demand and emits what the test tells it to. */
    static final class ManualPublisher implements Flow.Publisher<ByteBuffer>, Flow.Subscription {

        final CompletableFuture<Flow.Subscriber<? super ByteBuffer>> subscribed = new CompletableFuture<>();
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();
        final AtomicLong requested = new AtomicLong();

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(this);
            subscribed.complete(subscriber);
        }

        @Override
        public void request(long n) {
            requested.addAndGet(n);
        }

        @Override
        public void cancel() {
            cancelled.complete(null);
        }

        Flow.Subscriber<? super ByteBuffer> subscriber() {
            return Objects.requireNonNull(subscribed.getNow(null), "not subscribed");
        }

        void emit(String text) {
            subscriber().onNext(ascii(text));
        }

        void complete() {
            subscriber().onComplete();
        }

        void fail(Throwable failure) {
            subscriber().onError(failure);
        }
    }

    /**
     * Emits {@code count} patterned buffers of {@code size} bytes, synchronously inside
     * {@code request}, as a fast producer would; {@code onRequest} runs before each batch.
     */
    static final class GeneratingPublisher implements Flow.Publisher<ByteBuffer> {

        private final int size;
        private final long count;
        private final Runnable onRequest;
        final AtomicLong emittedBytes = new AtomicLong();
        final CompletableFuture<Void> cancelled = new CompletableFuture<>();

        GeneratingPublisher(int size, long count, Runnable onRequest) {
            this.size = size;
            this.count = count;
            this.onRequest = onRequest;
        }

        @Override
        public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                private long emitted;
                private long demand;
                private boolean emitting;
                private boolean done;

                @Override
                public void request(long n) {
                    onRequest.run();
                    demand += n;
                    if (emitting) {
                        return; // the loop below picks it up (Reactive Streams §3.3)
                    }
                    emitting = true;
                    while (demand > 0 && emitted < count && !done) {
                        demand--;
                        ByteBuffer buffer = ByteBuffer.wrap(pattern(emitted * size, size));
                        emitted++;
                        emittedBytes.addAndGet(size);
                        subscriber.onNext(buffer);
                    }
                    if (emitted == count && !done) {
                        done = true;
                        subscriber.onComplete();
                    }
                    emitting = false;
                }

                @Override
                public void cancel() {
                    done = true;
                    cancelled.complete(null);
                }
            });
        }
    }

    /** Collects a request body, requesting as the test says; checks it against the pattern. */
    static final class BodyCollector implements Flow.Subscriber<ByteBuffer> {

        final CompletableFuture<Long> completed = new CompletableFuture<>();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong buffers = new AtomicLong();
        final CRC32 crc = new CRC32();
        private final long initialRequest;
        private final Runnable onNext;
        private volatile Flow.Subscription subscription;
        private final AtomicBoolean patternBroken = new AtomicBoolean();
        private final boolean checkPattern;

        /** @param initialRequest demand at subscription (0 for none); {@code onNext} runs after each buffer */
        BodyCollector(long initialRequest, boolean checkPattern, Runnable onNext) {
            this.initialRequest = initialRequest;
            this.checkPattern = checkPattern;
            this.onNext = onNext;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (initialRequest > 0) {
                s.request(initialRequest);
            }
        }

        @Override
        public void onNext(ByteBuffer buffer) {
            long at = bytes.get();
            int length = buffer.remaining();
            byte[] data = new byte[length];
            buffer.get(data);
            if (checkPattern) {
                for (int i = 0; i < length; i++) {
                    if (data[i] != patternByte(at + i)) {
                        patternBroken.set(true);
                        break;
                    }
                }
            }
            synchronized (crc) {
                crc.update(data);
            }
            bytes.addAndGet(length);
            buffers.incrementAndGet();
            onNext.run();
        }

        @Override
        public void onError(Throwable failure) {
            completed.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            completed.complete(bytes.get());
        }

        void request(long n) {
            subscription.request(n);
        }

        void cancel() {
            subscription.cancel();
        }

        boolean matchedPattern() {
            return !patternBroken.get();
        }
    }
}
