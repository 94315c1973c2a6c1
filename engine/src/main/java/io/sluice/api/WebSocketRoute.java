package io.sluice.api;

import java.util.List;
import java.util.Objects;

/**
 * A WebSocket endpoint: a path template, its handler, where callbacks run, and the subprotocols it
 * speaks. Immutable; the {@code with…} methods return modified copies.
 *
 * <pre>{@code
 * WebSocketRoute.of("/ws/rooms/{room}", chatHandler).withSubprotocols("chat.v1")
 * }</pre>
 */
public final class WebSocketRoute {

    private final String path;
    private final WebSocketHandler handler;
    private final Dispatch dispatch;
    private final List<String> subprotocols;

    private WebSocketRoute(String path, WebSocketHandler handler, Dispatch dispatch, List<String> subprotocols) {
        this.path = Objects.requireNonNull(path, "path");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.subprotocols = List.copyOf(subprotocols);
    }

    /** An endpoint whose callbacks run on workers (the default; they may block). */
    public static WebSocketRoute of(String path, WebSocketHandler handler) {
        return new WebSocketRoute(path, handler, Dispatch.WORKER, List.of());
    }

    /** This endpoint with callbacks run where {@code dispatch} says. */
    public WebSocketRoute dispatch(Dispatch dispatch) {
        return new WebSocketRoute(path, handler, dispatch, subprotocols);
    }

    /** This endpoint, speaking {@code subprotocols} (the client's first offer among them is chosen). */
    public WebSocketRoute withSubprotocols(String... subprotocols) {
        return new WebSocketRoute(path, handler, dispatch, List.of(subprotocols));
    }

    public String path() {
        return path;
    }

    public WebSocketHandler handler() {
        return handler;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public List<String> subprotocols() {
        return subprotocols;
    }

    @Override
    public String toString() {
        return "WS " + path + " (" + dispatch + ")";
    }
}
