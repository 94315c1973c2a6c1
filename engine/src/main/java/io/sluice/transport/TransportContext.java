package io.sluice.transport;

import java.util.concurrent.atomic.AtomicInteger;

/** State shared by all loops of one running server: settings, the connection limit, drain tracking. */
final class TransportContext {

    private final TransportConfig config;
    private final AtomicInteger openConnections = new AtomicInteger();
    private final AtomicInteger loopsStillDraining = new AtomicInteger();
    private volatile Runnable onDrained;

    TransportContext(TransportConfig config) {
        this.config = config;
    }

    TransportConfig config() {
        return config;
    }

    /** Counts a new connection against the limit; false when the limit is reached. */
    boolean tryAcquireConnection() {
        while (true) {
            int open = openConnections.get();
            if (open >= config.maxConnections()) {
                return false;
            }
            if (openConnections.compareAndSet(open, open + 1)) {
                return true;
            }
        }
    }

    void releaseConnection() {
        openConnections.decrementAndGet();
    }

    int openConnections() {
        return openConnections.get();
    }

    void beginDrain(int loops, Runnable whenDrained) {
        this.onDrained = whenDrained;
        loopsStillDraining.set(loops);
    }

    void loopDrained() {
        if (loopsStillDraining.decrementAndGet() == 0) {
            Runnable callback = onDrained;
            if (callback != null) {
                callback.run();
            }
        }
    }
}
