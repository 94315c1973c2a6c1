package io.sluice.transport;

/** Indexes of the transport's per-loop {@link Counters}; close reasons follow at {@link #CLOSED_BASE}. */
public final class TransportCounter {

    public static final int ACCEPTED = 0;
    public static final int REJECTED = 1;
    public static final int ACTIVE = 2;
    public static final int BYTES_READ = 3;
    public static final int BYTES_WRITTEN = 4;
    public static final int SELECTOR_REBUILDS = 5;
    public static final int CLOSED_BASE = 6;
    public static final int SIZE = CLOSED_BASE + CloseReason.values().length;

    private TransportCounter() {
    }

    public static int closed(CloseReason reason) {
        return CLOSED_BASE + reason.ordinal();
    }
}
