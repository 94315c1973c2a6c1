package io.sluice.api;

/**
 * The server refused a WebSocket opening handshake; the client was answered with {@link #status()}
 * (400, 403 or 426) and the reason as a plain-text body.
 */
public final class WebSocketHandshakeException extends Exception {

    private final int status;

    public WebSocketHandshakeException(int status, String reason) {
        super(reason);
        this.status = status;
    }

    /** The status of the refusal response. */
    public int status() {
        return status;
    }
}
