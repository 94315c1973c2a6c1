package io.sluice.boot.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.api.AsyncHttpHandler;
import io.sluice.api.HttpHandler;
import io.sluice.api.HttpResponse;
import io.sluice.boot.web.Endpoint;
import io.sluice.boot.web.EndpointInstrumentation;

/**
 * Records an observation (by default the {@code http.server.requests} timer) for every request an annotated
 * endpoint serves. It starts before the arguments are read, so binding failures are measured too, and stops
 * when the response is handed to the server for writing: at once for a synchronous endpoint, when the
 * {@code CompletionStage} completes for an asynchronous one. A response body streamed by a
 * {@link io.sluice.api.BodyWriter} is written after that.
 *
 * <p>The observation is current (in scope) while a synchronous endpoint runs, so a tracer's span covers it
 * and logs carry its ids.
 */
public class ObservingEndpointInstrumentation implements EndpointInstrumentation {

    private final ObservationRegistry registry;
    private final SluiceServerRequestObservationConvention convention;
    private final SluiceServerRequestObservationConvention defaultConvention;

    /**
     * @param convention the application's convention, or {@code null} to use {@code defaultConvention}
     */
    public ObservingEndpointInstrumentation(ObservationRegistry registry,
            SluiceServerRequestObservationConvention convention,
            SluiceServerRequestObservationConvention defaultConvention) {
        this.registry = registry;
        this.convention = convention;
        this.defaultConvention = defaultConvention;
    }

    @Override
    public HttpHandler handler(Endpoint endpoint) {
        String pathPattern = endpoint.pathTemplate();
        return request -> {
            SluiceServerRequestObservationContext context = new SluiceServerRequestObservationContext(request,
                    pathPattern);
            Observation observation = start(context);
            HttpResponse response;
            try (Observation.Scope scope = observation.openScope()) {
                response = endpoint.handle(request);
            } catch (Throwable failure) {
                observation.error(Endpoint.unwrap(failure));
                response = endpoint.errorResponse(request, failure);
            }
            context.setResponse(response);
            observation.stop();
            return response;
        };
    }

    @Override
    public AsyncHttpHandler asyncHandler(Endpoint endpoint) {
        String pathPattern = endpoint.pathTemplate();
        return request -> {
            SluiceServerRequestObservationContext context = new SluiceServerRequestObservationContext(request,
                    pathPattern);
            Observation observation = start(context);
            try (Observation.Scope scope = observation.openScope()) {
                return endpoint.handleAsync(request).handle((response, failure) -> {
                    if (failure != null) {
                        observation.error(Endpoint.unwrap(failure));
                        response = endpoint.errorResponse(request, failure);
                    }
                    context.setResponse(response);
                    observation.stop();
                    return response;
                });
            }
        };
    }

    private Observation start(SluiceServerRequestObservationContext context) {
        return Observation.createNotStarted(convention, defaultConvention, () -> context, registry).start();
    }
}
