package io.sluice.boot.websocket;

/**
 * A {@link io.sluice.boot.websocket.annotation.WebSocketEndpoint @WebSocketEndpoint} bean that cannot be served
 * as declared: an invalid path, a path another endpoint already serves, or a callback method whose signature is
 * not supported. Thrown at startup; the message names the bean and the method.
 */
public class InvalidWebSocketEndpointException extends IllegalStateException {

    public InvalidWebSocketEndpointException(String message) {
        super(message);
    }

    public InvalidWebSocketEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
