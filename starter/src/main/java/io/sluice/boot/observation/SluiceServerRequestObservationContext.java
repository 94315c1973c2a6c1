package io.sluice.boot.observation;

import io.micrometer.observation.transport.RequestReplyReceiverContext;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;

/**
 * The observation context of one request served by an annotated endpoint: the request (the carrier, whose
 * headers a tracer reads propagated context from), the endpoint's path template and, once known, the
 * response and the error behind it.
 */
public class SluiceServerRequestObservationContext extends RequestReplyReceiverContext<HttpRequest, HttpResponse> {

    private final String pathPattern;
    private boolean connectionAborted;

    /**
     * @param pathPattern the matched route's template, the controller's prefix included; {@code null} when
     *     no route matched
     */
    public SluiceServerRequestObservationContext(HttpRequest request, String pathPattern) {
        super(HttpRequest::header);
        setCarrier(request);
        this.pathPattern = pathPattern;
    }

    /** The matched route's template, e.g. {@code /users/{id}}; {@code null} when no route matched. */
    public String getPathPattern() {
        return pathPattern;
    }

    /** Whether the client went away before it got the response, so that the status it saw is unknown. */
    public boolean isConnectionAborted() {
        return connectionAborted;
    }

    public void setConnectionAborted(boolean connectionAborted) {
        this.connectionAborted = connectionAborted;
    }
}
