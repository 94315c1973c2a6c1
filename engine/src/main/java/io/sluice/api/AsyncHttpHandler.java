package io.sluice.api;

import java.util.concurrent.CompletionStage;

/**
 * Answers one request later: the returned stage may complete on any thread, and the owning event
 * loop writes the response then. A stage that completes exceptionally becomes a
 * {@code 500 Internal Server Error}.
 */
@FunctionalInterface
public interface AsyncHttpHandler {

    CompletionStage<HttpResponse> handle(HttpRequest request);
}
