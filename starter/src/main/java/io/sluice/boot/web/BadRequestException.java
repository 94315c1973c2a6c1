package io.sluice.boot.web;

/**
 * A request an endpoint cannot serve as sent: a missing or unconvertible parameter, an unreadable body.
 * It answers {@code 400 Bad Request} with a problem body whose {@code detail} is this exception's message,
 * so the message must make sense to the client and must not reveal internals. Endpoints may throw it too.
 */
public class BadRequestException extends RuntimeException {

    public BadRequestException(String detail) {
        super(detail);
    }

    public BadRequestException(String detail, Throwable cause) {
        super(detail, cause);
    }
}
