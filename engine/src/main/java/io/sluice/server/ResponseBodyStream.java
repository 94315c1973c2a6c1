package io.sluice.server;

import io.sluice.api.BodyWriter;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The stream a {@link BodyWriter} writes a response body to, on a worker thread. Bytes are collected
 * into chunks that are handed to the connection's loop whole (no copy), and the writer blocks while
 * more than the high-water mark of them are on their way, so the server never holds more than about
 * twice the mark of a streamed body, however large it is and however slow the client.
 */
final class ResponseBodyStream extends OutputStream {

    static final int CHUNK_SIZE = 8192;

    private final HttpConnection owner;
    private final long declaredLength;
    private final long highWaterMark;
    /** Loop-side framing: each hand-off becomes one chunk. */
    final boolean chunked;
    private byte[] buffer = new byte[CHUNK_SIZE];
    private int count;
    private long written;
    private boolean closed;

    private long outstanding;
    private IOException failure;

    ResponseBodyStream(HttpConnection owner, long declaredLength, long highWaterMark, boolean chunked) {
        this.owner = owner;
        this.chunked = chunked;
        this.declaredLength = declaredLength;
        this.highWaterMark = highWaterMark;
    }

    /** Runs the writer; on a worker thread. */
    void run(BodyWriter writer) {
        try {
            writer.writeTo(this);
            close();
        } catch (Throwable t) {
            closed = true;
            owner.loop().execute(() -> owner.onStreamEnd(this, t));
        }
    }

    long declaredLength() {
        return declaredLength;
    }

    // ---------------------------------------------------------------- writer side

    @Override
    public void write(int b) throws IOException {
        ensureOpen(1);
        buffer[count++] = (byte) b;
        if (count == buffer.length) {
            send();
        }
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        ensureOpen(length);
        while (length > 0) {
            int n = Math.min(length, buffer.length - count);
            System.arraycopy(bytes, offset, buffer, count, n);
            count += n;
            offset += n;
            length -= n;
            if (count == buffer.length) {
                send();
            }
        }
    }

    @Override
    public void flush() throws IOException {
        if (closed) {
            return;
        }
        if (count > 0) {
            send();
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        flush();
        closed = true;
        if (declaredLength >= 0 && written != declaredLength) {
            throw new IOException("The body writer wrote " + written + " bytes, but Content-Length is " + declaredLength);
        }
        owner.loop().execute(() -> owner.onStreamEnd(this, null));
    }

    private void ensureOpen(int length) throws IOException {
        if (closed) {
            throw new IOException("The response body stream is closed");
        }
        synchronized (this) {
            if (failure != null) {
                throw failure;
            }
        }
        if (declaredLength >= 0 && written + count + length > declaredLength) {
            throw new IOException("Writing more than the declared Content-Length of " + declaredLength);
        }
    }

    private void send() throws IOException {
        byte[] chunk = buffer;
        int length = count;
        acquire(length);
        buffer = new byte[CHUNK_SIZE];
        count = 0;
        written += length;
        owner.loop().execute(() -> owner.onStreamChunk(this, chunk, length));
    }

    private synchronized void acquire(int length) throws IOException {
        while (outstanding > highWaterMark && failure == null) {
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("Interrupted while the client was slow to read");
            }
        }
        if (failure != null) {
            throw failure;
        }
        outstanding += length;
    }

    // ---------------------------------------------------------------- loop side

    /** Bytes handed over earlier have left the connection's queue (or its queue is below the low mark). */
    synchronized void release(long length) {
        outstanding -= length;
        notifyAll();
    }

    /** The connection is gone: wake the writer with an exception. */
    synchronized void fail(IOException reason) {
        if (failure == null) {
            failure = reason;
            notifyAll();
        }
    }
}
