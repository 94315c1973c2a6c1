package io.sluice.bench.jmh;

import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Runs JMH's benchmark threads as Netty's {@code FastThreadLocalThread}s, the kind of thread a Netty
 * event loop is (selected with {@code -Djmh.executor=CUSTOM}, see {@link CodecBenchmark}).
 *
 * <p>It matters for fairness: Netty 4.2's default (adaptive) allocator gives such threads their own
 * thread-local buffer magazines and sends every other thread to shared, lock-striped ones. On JMH's
 * ordinary threads every Netty allocation would take a slower path than it does in a Netty server.
 * Sluice does not care which kind of thread it runs on.
 */
public final class EventLoopThreadExecutor extends ThreadPoolExecutor {

    /** The constructor JMH calls for a custom executor. */
    public EventLoopThreadExecutor(int maxThreads, String prefix) {
        super(maxThreads, maxThreads, 1, TimeUnit.MINUTES, new LinkedBlockingQueue<>(),
                new DefaultThreadFactory(prefix, true));
    }
}
