package io.sluice.api;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Produces a response body incrementally, so a large or unbounded body is never held in memory whole.
 *
 * <p>It always runs on a worker thread. The stream blocks while the client is slow: once the bytes
 * queued for the connection pass its high-water mark, {@code write} waits until they drain below the
 * low-water mark. {@code flush()} sends what has been buffered so far. If the client goes away or the
 * write stalls past the write timeout, {@code write} throws an {@link IOException}.
 */
@FunctionalInterface
public interface BodyWriter {

    void writeTo(OutputStream body) throws IOException;
}
