package io.sluice.transport;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters written by one thread (an event loop) and read by any. Because there is a single writer,
 * an increment is a plain read plus a release store ({@code lazySet}): no lock, no atomic
 * read-modify-write on the hot path, and readers still see every update promptly.
 */
public final class Counters {

    private final AtomicLongArray values;

    public Counters(int size) {
        this.values = new AtomicLongArray(size);
    }

    /** Adds {@code delta} to counter {@code index}; only the owning thread may call it. */
    public void add(int index, long delta) {
        values.lazySet(index, values.get(index) + delta);
    }

    public void increment(int index) {
        add(index, 1);
    }

    public void decrement(int index) {
        add(index, -1);
    }

    /** Current value; safe from any thread. */
    public long get(int index) {
        return values.get(index);
    }

    public int size() {
        return values.length();
    }
}
