/**
 * Request routing: {@link io.sluice.routing.PathTemplate path templates}, and a
 * {@link io.sluice.routing.Router} that maps a method and raw path to a handler with its
 * {@link io.sluice.routing.PathVariables path variables}, or to a 400, 404 or 405 answer.
 */
package io.sluice.routing;
