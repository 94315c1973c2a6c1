package io.sluice.boot.web;

import io.sluice.api.HttpRequest;

/**
 * Produces one argument of an endpoint method from the request. Chosen per parameter when the application
 * starts, so a request pays only for reading and converting its own values.
 */
@FunctionalInterface
interface ArgumentResolver {

    /**
     * @throws BadRequestException when the request lacks the value or it cannot be converted
     */
    Object resolve(HttpRequest request);
}
