package io.sluice.api;

/**
 * Handles requests with both bodies streamed and no thread of its own: the shape a reactive
 * framework sits on. It is the server's fallback: it gets every request that no {@link Route} or
 * {@link WebSocketRoute} matches, whatever its method and path.
 *
 * <p>{@link #handle} runs on the connection's event loop, inline with parsing, so it must not block:
 * it starts the work and returns, and the work answers later through the exchange, from any thread.
 */
@FunctionalInterface
public interface ExchangeHandler {

    /**
     * Starts handling {@code exchange}. An exception thrown from here is logged and answered with
     * {@code 500} unless a response was already given.
     */
    void handle(HttpExchange exchange);
}
