package io.sluice.routing;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a request's method and raw path to a handler, binding path variables on the way.
 *
 * <p><b>Matching.</b> The raw path is split on {@code '/'} before percent-decoding, so an encoded
 * slash ({@code %2F}) stays inside its segment. Templates are compared segment by segment from the
 * left: a literal beats a variable, which beats a wildcard; when the preferred branch leads nowhere
 * the router backtracks, so {@code /a/{x}/c} still matches {@code /a/b/c} when {@code /a/b/d} exists.
 * The method takes part in the search: a more specific template registered only for other methods
 * does not hide a less specific one registered for this method. A HEAD request is served by the GET
 * route of a template that has no HEAD route of its own. Trailing slashes are significant:
 * {@code /users/} does not match {@code /users}. See {@link PathTemplate} for the template syntax.
 *
 * <p><b>Cost.</b> A path without {@code '%'} matching a template without variables is found with a
 * single hash lookup and returns a prebuilt result. Otherwise the search walks offsets into the path
 * and allocates only the result, its variables and their values (plus the decoded segments when the
 * path is percent-encoded). Unmatched and malformed paths return shared results.
 *
 * <p><b>Lifecycle and threads.</b> Routes are added from one thread, then {@link #freeze()} compiles
 * them into an immutable table published through a volatile field. From then on {@link #route} may be
 * called from any number of threads at once, and {@link #add} is refused.
 *
 * @param <H> what a route resolves to; the engine's own route objects, a handler interface, or any
 *     other type
 */
public final class Router<H> {

    private final List<RouteEntry<H>> routes = new ArrayList<>();
    /** Keyed by method plus {@link PathTemplate#shape()}, to reject a route that could never be reached. */
    private final Map<String, PathTemplate> registered = new HashMap<>();
    private volatile RouteTable<H> table;

    /**
     * Registers {@code handler} for requests with {@code method} whose path matches {@code template}.
     *
     * @param method an HTTP method token in upper case, e.g. {@code GET} or a custom {@code PURGE};
     *     methods are case-sensitive, so lower case is refused as the likely mistake it is
     * @throws IllegalArgumentException if the method or template is invalid, or the same method is
     *     already registered for an equivalent template (one differing only in variable names)
     * @throws IllegalStateException if the router is frozen
     */
    public void add(String method, String template, H handler) {
        if (table != null) {
            throw new IllegalStateException("Router is frozen; add routes before calling freeze()");
        }
        requireMethodToken(method);
        if (handler == null) {
            throw new IllegalArgumentException("Handler for " + method + " " + template + " is null");
        }
        PathTemplate parsed = PathTemplate.parse(template);
        PathTemplate previous = registered.putIfAbsent(method + " " + parsed.shape(), parsed);
        if (previous != null) {
            throw new IllegalArgumentException("Duplicate route " + method + " " + template + ": " + method + " "
                    + previous + " is already registered and matches the same paths");
        }
        routes.add(new RouteEntry<>(method, parsed, handler));
    }

    private static void requireMethodToken(String method) {
        if (method == null || method.isEmpty()) {
            throw new IllegalArgumentException("HTTP method must not be empty");
        }
        for (int i = 0; i < method.length(); i++) {
            char c = method.charAt(i);
            if (c >= 'a' && c <= 'z') {
                throw new IllegalArgumentException("HTTP method '" + method + "' has lower-case letters;"
                        + " methods are case-sensitive and requests use upper case");
            }
            if (!isTokenChar(c)) {
                throw new IllegalArgumentException("HTTP method '" + method + "' is not a token (RFC 9110 §5.6.2)");
            }
        }
    }

    private static boolean isTokenChar(char c) {
        return c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
    }

    /**
     * Compiles the routes added so far into the immutable table that {@link #route} searches. Calling
     * it again has no effect.
     */
    public void freeze() {
        if (table == null) {
            table = new RouteTable<>(List.copyOf(routes));
        }
    }

    public boolean isFrozen() {
        return table != null;
    }

    /**
     * Finds the route for a request. Never throws for any path a client can send.
     *
     * @param method the request method, case-sensitive
     * @param rawPath the path as received: still percent-encoded, without the query
     * @return {@link RouteMatch.Kind#BAD_REQUEST} when the path does not start with {@code '/'} (the
     *     engine answers {@code OPTIONS *} itself) or has a malformed escape or invalid UTF-8
     * @throws IllegalStateException if {@link #freeze()} has not been called
     */
    public RouteMatch<H> route(String method, String rawPath) {
        RouteTable<H> frozen = table;
        if (frozen == null) {
            throw new IllegalStateException("Router is not frozen; call freeze() after adding routes");
        }
        return frozen.match(method, rawPath);
    }
}
