package io.sluice.transport;

/**
 * Settings of the transport layer, already validated by the server builder.
 *
 * @param readBufferSize  bytes of each loop's shared read buffer
 * @param writeBufferSize bytes of each loop's shared scratch buffer that responses are encoded into
 * @param highWaterMark   queued output above which a connection stops reading and is not writable
 * @param lowWaterMark    queued output below which it becomes writable again
 * @param writeTimeoutMillis how long queued output may make no progress before the connection is closed
 * @param lingerMillis    how long a connection closed after an error keeps draining input (so the
 *                        peer reads the error response instead of a reset)
 * @param acceptBacklog   listen backlog
 * @param reusePort       one listening socket per loop with SO_REUSEPORT, when the OS supports it
 * @param maxConnections  open connections above which new ones are closed at once
 * @param tcpNoDelay      disable Nagle's algorithm on accepted sockets
 */
public record TransportConfig(int readBufferSize, int writeBufferSize, int highWaterMark, int lowWaterMark,
        long writeTimeoutMillis, long lingerMillis, int acceptBacklog, boolean reusePort, int maxConnections,
        boolean tcpNoDelay) {
}
