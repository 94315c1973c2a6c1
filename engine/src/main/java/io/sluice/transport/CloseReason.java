package io.sluice.transport;

/** Why a connection was closed; counted per reason in the server statistics. */
public enum CloseReason {
    /** The peer closed its side (end of stream) while the connection was idle or after a response. */
    PEER_CLOSED,
    /** The protocol finished with the connection: {@code Connection: close}, HTTP/1.0, or an upgrade ended. */
    COMPLETED,
    /** No new request arrived within the keep-alive idle timeout. */
    IDLE_TIMEOUT,
    /** A request head or body did not arrive within its timeout (slowloris and friends). */
    REQUEST_TIMEOUT,
    /** Queued output made no progress within the write timeout (a reader that stopped reading). */
    WRITE_TIMEOUT,
    /** The peer broke the protocol; it was answered with an error status where possible. */
    PROTOCOL_ERROR,
    /** The socket failed: connection reset, broken pipe. */
    IO_ERROR,
    /** The server stopped. */
    SHUTDOWN
}
