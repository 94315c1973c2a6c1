package io.sluice.boot.json;

/** JSON input that could not be bound: endpoints answer it with 400, WebSocket endpoints with close code 1007. */
public class UnreadableJsonException extends RuntimeException {

    public UnreadableJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
