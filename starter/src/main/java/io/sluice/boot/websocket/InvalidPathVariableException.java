package io.sluice.boot.websocket;

/**
 * A path variable of a WebSocket session that does not convert to the type of its
 * {@link io.sluice.boot.web.annotation.PathVar @PathVar} parameter. Unless an
 * {@link io.sluice.boot.websocket.annotation.OnError @OnError} method handles it, the session is closed with 1008
 * (policy violation).
 */
public class InvalidPathVariableException extends IllegalArgumentException {

    private final String variable;
    private final String value;

    public InvalidPathVariableException(String variable, String value, Throwable cause) {
        super("Path variable '" + variable + "' has an invalid value '" + value + "'", cause);
        this.variable = variable;
        this.value = value;
    }

    /** The template variable's name. */
    public String variable() {
        return variable;
    }

    /** The decoded value from the request path. */
    public String value() {
        return value;
    }
}
