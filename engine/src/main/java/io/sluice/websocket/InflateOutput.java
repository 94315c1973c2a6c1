package io.sluice.websocket;

/**
 * Receives decompressed bytes from an inflater, one bounded chunk at a time.
 *
 * <p>The array is the inflater's scratch space: it is valid only during the call, so copy what you
 * keep, and do not run another inflater on the same thread from inside the call. To stop a message
 * that decompresses to more than a limit (a zip bomb), count the bytes here and throw an unchecked
 * exception when the count passes the limit; the inflater stops at once, having produced at most one
 * chunk beyond it.
 */
@FunctionalInterface
public interface InflateOutput {

    void write(byte[] bytes, int offset, int length);
}
