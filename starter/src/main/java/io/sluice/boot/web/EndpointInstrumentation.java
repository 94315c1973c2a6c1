package io.sluice.boot.web;

import io.sluice.api.AsyncHttpHandler;
import io.sluice.api.HttpHandler;

/**
 * Builds the engine handlers that serve annotated endpoints, wrapping {@link Endpoint#handle} or
 * {@link Endpoint#handleAsync} and {@link Endpoint#errorResponse} with work of its own, such as recording
 * an observation. A bean of this type is picked up when the endpoints are registered; without one, the
 * endpoints are served with no wrapper at all.
 *
 * <p>The handlers returned must answer every failure with {@link Endpoint#errorResponse}, which also logs
 * it, and must not throw.
 */
public interface EndpointInstrumentation {

    /** The handler for a synchronous endpoint ({@code !endpoint.isAsync()}). */
    HttpHandler handler(Endpoint endpoint);

    /** The handler for an asynchronous endpoint ({@code endpoint.isAsync()}). */
    AsyncHttpHandler asyncHandler(Endpoint endpoint);
}
