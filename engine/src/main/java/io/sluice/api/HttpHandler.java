package io.sluice.api;

/**
 * Answers one request with a response. Runs where its route's {@link Dispatch} says.
 *
 * <p>An exception thrown here becomes a {@code 500 Internal Server Error}; the server logs it once
 * and keeps serving the connection.
 */
@FunctionalInterface
public interface HttpHandler {

    HttpResponse handle(HttpRequest request) throws Exception;
}
