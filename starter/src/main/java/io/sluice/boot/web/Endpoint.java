package io.sluice.boot.web;

import io.sluice.api.AsyncHttpHandler;
import io.sluice.api.Dispatch;
import io.sluice.api.HttpHandler;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One annotated endpoint method, ready to serve: its route, the resolvers of its arguments, the method
 * handle that calls it and the writer of its result, all settled when the application starts.
 *
 * <p>Serving happens in two steps, so that an {@link EndpointInstrumentation} can see both the outcome and
 * the error behind it: {@link #handle} (or {@link #handleAsync}) produces the response or fails, and
 * {@link #errorResponse} turns a failure into the response the client gets.
 */
public final class Endpoint {

    private static final Logger log = LoggerFactory.getLogger(Endpoint.class);
    private static final Object[] NO_ARGUMENTS = new Object[0];
    /** The last resort when even building the error response fails. */
    private static final HttpResponse INTERNAL_ERROR = ProblemDetails.response(500, null, null);

    private final String method;
    private final String pathTemplate;
    private final String handlerMethod;
    private final Dispatch dispatch;
    private final boolean async;
    /** {@code (Object[]) -> Object}: the bean's method, bound to the bean, taking its arguments spread. */
    private final MethodHandle invoker;
    private final ArgumentResolver[] arguments;
    private final ResponseWriter responses;
    /** {@link #responses} as the function an async result is mapped with, made once rather than per request. */
    private final Function<Object, HttpResponse> writeResult;
    private final ErrorMapping errors;

    Endpoint(String method, String pathTemplate, String handlerMethod, Dispatch dispatch, boolean async,
            MethodHandle invoker, ArgumentResolver[] arguments, ResponseWriter responses, ErrorMapping errors) {
        this.method = method;
        this.pathTemplate = pathTemplate;
        this.handlerMethod = handlerMethod;
        this.dispatch = dispatch;
        this.async = async;
        this.invoker = invoker;
        this.arguments = arguments;
        this.responses = responses;
        this.writeResult = responses::write;
        this.errors = errors;
    }

    /** The HTTP method, e.g. {@code GET}. */
    public String method() {
        return method;
    }

    /** The full path template, the controller's prefix included, e.g. {@code /users/{id}}. */
    public String pathTemplate() {
        return pathTemplate;
    }

    /** The Java method serving it, as {@code com.example.Users#find(long)}. */
    public String handlerMethod() {
        return handlerMethod;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    /** Whether the method returns a {@link CompletionStage}, so that {@link #handleAsync} serves it. */
    public boolean isAsync() {
        return async;
    }

    /**
     * Serves a request to a synchronous endpoint.
     *
     * @throws Throwable whatever went wrong (a {@link BadRequestException} for a request that does not fit
     *     the method's parameters, or what the method threw); {@link #errorResponse} answers it
     */
    public HttpResponse handle(HttpRequest request) throws Throwable {
        if (async) {
            throw new IllegalStateException(this + " is asynchronous: serve it with handleAsync");
        }
        return responses.write((Object) invoker.invokeExact(arguments(request)));
    }

    /**
     * Serves a request to an asynchronous endpoint. Never throws: every failure, including one before the
     * method ran, completes the stage exceptionally (with the cause wrapped in a
     * {@link CompletionException} when it surfaces through a dependent stage); {@link #errorResponse} answers it.
     */
    public CompletionStage<HttpResponse> handleAsync(HttpRequest request) {
        if (!async) {
            return CompletableFuture.failedFuture(new IllegalStateException(this + " is synchronous: serve it with handle"));
        }
        CompletionStage<?> result;
        try {
            result = (CompletionStage<?>) (Object) invoker.invokeExact(arguments(request));
        } catch (Throwable failure) {
            return CompletableFuture.failedFuture(failure);
        }
        if (result == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("The endpoint returned a null CompletionStage"));
        }
        return result.thenApply(writeResult);
    }

    private Object[] arguments(HttpRequest request) {
        int count = arguments.length;
        if (count == 0) {
            return NO_ARGUMENTS;
        }
        Object[] values = new Object[count];
        for (int i = 0; i < count; i++) {
            values[i] = arguments[i].resolve(request);
        }
        return values;
    }

    /**
     * The response for a failure of {@link #handle} or {@link #handleAsync}: {@code 400} for a request that
     * did not fit, the {@link io.sluice.boot.web.annotation.ErrorStatus mapped} status for a mapped exception,
     * otherwise {@code 500} (logged at ERROR, once, here). Always with a problem body; never throws.
     */
    public HttpResponse errorResponse(HttpRequest request, Throwable failure) {
        Throwable error = unwrap(failure);
        try {
            if (error instanceof BadRequestException) {
                log.debug("{} refused a request: {}", this, error.getMessage());
                return ProblemDetails.response(400, error.getMessage(), request.rawPath());
            }
            ErrorMapping.Status mapped = errors.find(error);
            if (mapped != null) {
                log.debug("{} answered {} for {}", this, mapped.status(), error.toString());
                return ProblemDetails.response(mapped.status(), mapped.detailFor(error), request.rawPath());
            }
            log.error("{} failed", this, error);
            return ProblemDetails.response(500, null, request.rawPath());
        } catch (RuntimeException e) {
            log.error("{} failed, and so did answering its failure", this, e);
            return INTERNAL_ERROR;
        }
    }

    /** The failure itself, not the wrapper that a dependent {@link CompletionStage} put around it. */
    public static Throwable unwrap(Throwable failure) {
        Throwable error = failure;
        while (error instanceof CompletionException && error.getCause() != null) {
            error = error.getCause();
        }
        return error;
    }

    /** The engine handler serving a synchronous endpoint, answering failures with {@link #errorResponse}. */
    HttpHandler handler() {
        return request -> {
            try {
                return handle(request);
            } catch (Throwable failure) {
                return errorResponse(request, failure);
            }
        };
    }

    /** The engine handler serving an asynchronous endpoint, answering failures with {@link #errorResponse}. */
    AsyncHttpHandler asyncHandler() {
        return request -> handleAsync(request).exceptionally(failure -> errorResponse(request, failure));
    }

    /** The engine route serving this endpoint with {@code instrumentation}'s handlers, or the plain ones. */
    Route route(EndpointInstrumentation instrumentation) {
        Route route;
        if (async) {
            route = Route.async(method, pathTemplate,
                    instrumentation == null ? asyncHandler() : instrumentation.asyncHandler(this));
        } else {
            route = Route.of(method, pathTemplate, instrumentation == null ? handler() : instrumentation.handler(this));
        }
        return route.dispatch(dispatch);
    }

    @Override
    public String toString() {
        return method + " " + pathTemplate + " (" + handlerMethod + ")";
    }
}
