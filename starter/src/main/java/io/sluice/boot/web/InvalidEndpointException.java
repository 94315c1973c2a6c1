package io.sluice.boot.web;

/**
 * An annotated endpoint that cannot be served: a malformed or duplicate path template, a parameter that
 * cannot be bound, a return type that cannot be written. Raised while the application starts; the message
 * names the method, as {@code com.example.Users#find(long)}.
 */
public class InvalidEndpointException extends IllegalStateException {

    public InvalidEndpointException(String message) {
        super(message);
    }

    public InvalidEndpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
