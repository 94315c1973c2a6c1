package io.sluice.api;

import java.util.Objects;

/**
 * A method and path template bound to a handler, with how it runs. Immutable; the {@code with…}
 * methods return modified copies.
 *
 * <pre>{@code
 * Route.of("GET", "/users/{id}", request -> HttpResponse.json(users.find(request.pathVariable("id"))))
 * Route.of("GET", "/plaintext", request -> HELLO).dispatch(Dispatch.EVENT_LOOP)
 * Route.of("PUT", "/files/{name}", request -> store(request.bodyStream())).withStreamingBody()
 * }</pre>
 *
 * <p>Path templates: literal segments, {@code {name}} variables matching one segment, and a trailing
 * {@code *} matching the rest of the path. A literal segment beats a variable, which beats {@code *}.
 * A GET route also answers HEAD (without the body).
 */
public final class Route {

    private final String method;
    private final String path;
    private final HttpHandler handler;
    private final AsyncHttpHandler asyncHandler;
    private final Dispatch dispatch;
    private final boolean streamingBody;

    private Route(String method, String path, HttpHandler handler, AsyncHttpHandler asyncHandler, Dispatch dispatch,
            boolean streamingBody) {
        this.method = requireMethod(method);
        this.path = Objects.requireNonNull(path, "path");
        this.handler = handler;
        this.asyncHandler = asyncHandler;
        this.dispatch = Objects.requireNonNull(dispatch, "dispatch");
        this.streamingBody = streamingBody;
        if (streamingBody && dispatch == Dispatch.EVENT_LOOP) {
            throw new IllegalArgumentException("A streaming request body is read with blocking calls: route "
                    + method + " " + path + " must run on workers");
        }
    }

    /** A route whose handler returns its response; runs on workers unless {@link #dispatch} says otherwise. */
    public static Route of(String method, String path, HttpHandler handler) {
        return new Route(method, path, Objects.requireNonNull(handler, "handler"), null, Dispatch.WORKER, false);
    }

    /** A route whose handler completes its response later. */
    public static Route async(String method, String path, AsyncHttpHandler handler) {
        return new Route(method, path, null, Objects.requireNonNull(handler, "handler"), Dispatch.WORKER, false);
    }

    /** This route, run where {@code dispatch} says. */
    public Route dispatch(Dispatch dispatch) {
        return new Route(method, path, handler, asyncHandler, dispatch, streamingBody);
    }

    /**
     * This route, with the body handed to the handler as it arrives ({@link HttpRequest#bodyStream()})
     * instead of aggregated first. The handler starts as soon as the head is in; it runs on workers.
     */
    public Route withStreamingBody() {
        return new Route(method, path, handler, asyncHandler, dispatch, true);
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public boolean streamingBody() {
        return streamingBody;
    }

    /** The synchronous handler, or {@code null} for an async route. */
    public HttpHandler handler() {
        return handler;
    }

    /** The async handler, or {@code null} for a synchronous route. */
    public AsyncHttpHandler asyncHandler() {
        return asyncHandler;
    }

    private static String requireMethod(String method) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("method must be a token");
        }
        for (int i = 0; i < method.length(); i++) {
            if (!HttpStatus.isTokenChar(method.charAt(i))) {
                throw new IllegalArgumentException("method must be a token: " + method);
            }
        }
        return method;
    }

    @Override
    public String toString() {
        return method + " " + path + " (" + dispatch + (streamingBody ? ", streaming body" : "") + ")";
    }
}
