package io.sluice.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * A request body handed to a worker as it arrives. The loop offers decoded bytes; the handler's
 * thread reads them, blocking until more come. When more than {@link #HIGH_WATER} bytes wait unread
 * the loop stops reading the socket, and the reader restarts it once it has caught up: a slow
 * handler slows the client down instead of filling memory.
 */
final class RequestBodyStream extends InputStream implements StreamedBody {

    static final int HIGH_WATER = 64 * 1024;
    static final int LOW_WATER = 16 * 1024;

    private final HttpConnection owner;
    private final Exchange exchange;
    private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
    private byte[] current;
    private int currentPosition;
    private long buffered;
    private boolean complete;
    private IOException failure;
    private boolean readingPaused;
    private boolean continuePending;
    private boolean abandoned;

    RequestBodyStream(HttpConnection owner, Exchange exchange, boolean expectContinue) {
        this.owner = owner;
        this.exchange = exchange;
        this.continuePending = expectContinue;
    }

    // ---------------------------------------------------------------- loop side

    /** Queues a copy of decoded body bytes. */
    @Override
    public synchronized void offer(byte[] bytes, int offset, int length) {
        if (failure != null || abandoned || length == 0) {
            return;
        }
        chunks.add(Arrays.copyOfRange(bytes, offset, offset + length));
        buffered += length;
        notifyAll();
        if (buffered > HIGH_WATER) {
            readingPaused = true;
        }
    }

    @Override
    public synchronized boolean isBackedUp() {
        return buffered > HIGH_WATER;
    }

    @Override
    public synchronized boolean canTakeMore() {
        return buffered < LOW_WATER;
    }

    /**
     * The handler answered without reading the whole body: drop what is buffered and discard the rest
     * as it arrives, so the connection can read on to the next request.
     */
    @Override
    public synchronized void abandon() {
        abandoned = true;
        chunks.clear();
        current = null;
        buffered = 0;
        readingPaused = false;
        notifyAll();
    }

    @Override
    public synchronized void complete() {
        complete = true;
        notifyAll();
    }

    @Override
    public synchronized void fail(IOException reason) {
        if (!complete && failure == null) {
            failure = reason;
            notifyAll();
        }
    }

    synchronized boolean isComplete() {
        return complete;
    }

    // ---------------------------------------------------------------- reader side

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, target.length);
        if (length == 0) {
            return 0;
        }
        requestContinue();
        boolean resume;
        int n;
        synchronized (this) {
            while (current == null && chunks.isEmpty() && !complete && failure == null) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("Interrupted while waiting for the request body");
                }
            }
            if (current == null) {
                current = chunks.poll();
                currentPosition = 0;
            }
            if (current == null) {
                if (failure != null) {
                    throw failure;
                }
                return -1;
            }
            n = Math.min(length, current.length - currentPosition);
            System.arraycopy(current, currentPosition, target, offset, n);
            currentPosition += n;
            if (currentPosition == current.length) {
                current = null;
            }
            buffered -= n;
            resume = readingPaused && buffered < LOW_WATER;
            if (resume) {
                readingPaused = false;
            }
        }
        if (resume) {
            owner.loop().execute(() -> owner.resumeBodyReading(exchange));
        }
        return n;
    }

    @Override
    public synchronized int available() {
        return (int) Math.min(Integer.MAX_VALUE, buffered);
    }

    /** The first read is the handler asking for the body: only then does the client get its 100. */
    private void requestContinue() {
        boolean send;
        synchronized (this) {
            send = continuePending;
            continuePending = false;
        }
        if (send) {
            owner.loop().execute(() -> owner.sendContinue(exchange));
        }
    }
}
