package io.sluice.api;

import java.io.IOException;

/**
 * A WebSocket session ended other than normally (no close frame, a protocol error, a close code other than
 * 1000 or 1001): what a {@link WebSocketSession#receive()} subscriber gets instead of completion, with the
 * close code so that an adapter can tell a vanished peer from a failure of its own.
 */
public final class WebSocketClosedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final int closeCode;
    private final String reason;

    public WebSocketClosedException(int closeCode, String reason) {
        super("WebSocket closed with " + closeCode + (reason.isEmpty() ? "" : " " + reason));
        this.closeCode = closeCode;
        this.reason = reason;
    }

    /** The close code the session ended with; 1006 when the connection closed without a close frame. */
    public int closeCode() {
        return closeCode;
    }

    /** The close reason, empty when there was none. */
    public String reason() {
        return reason;
    }
}
