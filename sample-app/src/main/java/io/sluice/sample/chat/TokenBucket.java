package io.sluice.sample.chat;

/**
 * A rate limit: up to {@code capacity} tokens, refilled continuously at {@code perSecond}; each message takes
 * one. A client may send a burst of {@code capacity} messages and then {@code perSecond} messages a second.
 *
 * <p>Not thread-safe. A bucket belongs to one WebSocket session, whose callbacks the server runs one at a time
 * with a happens-before edge between them, so it needs no lock. Time is passed in, which keeps it testable.
 */
final class TokenBucket {

    private static final double NANOS_PER_SECOND = 1_000_000_000d;

    private final double capacity;
    private final double tokensPerNano;
    private double tokens;
    private long lastRefill;

    TokenBucket(int capacity, double perSecond, long nowNanos) {
        this.capacity = capacity;
        this.tokensPerNano = perSecond / NANOS_PER_SECOND;
        this.tokens = capacity;
        this.lastRefill = nowNanos;
    }

    /** Takes a token if there is one. */
    boolean tryTake(long nowNanos) {
        long elapsed = nowNanos - lastRefill;    // nanoTime differences are safe across overflow
        if (elapsed > 0) {
            tokens = Math.min(capacity, tokens + elapsed * tokensPerNano);
            lastRefill = nowNanos;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
