package io.sluice.routing;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The routes registered for one path shape, by method. Immutable. */
final class MethodRoutes<H> {

    private static final String GET = "GET";
    private static final String HEAD = "HEAD";

    private static final MethodRoutes<?> NONE = new MethodRoutes<>(Map.of());

    private final Map<String, RouteEntry<H>> byMethod;

    private MethodRoutes(Map<String, RouteEntry<H>> byMethod) {
        this.byMethod = byMethod;
    }

    @SuppressWarnings("unchecked")
    static <H> MethodRoutes<H> none() {
        return (MethodRoutes<H>) NONE;
    }

    /** Groups routes that share a shape; the router has already rejected two with the same method. */
    static <H> MethodRoutes<H> of(List<RouteEntry<H>> routes) {
        if (routes.isEmpty()) {
            return none();
        }
        Map<String, RouteEntry<H>> byMethod = new HashMap<>();
        for (RouteEntry<H> route : routes) {
            byMethod.put(route.method(), route);
        }
        return new MethodRoutes<>(byMethod);
    }

    /**
     * The route serving {@code method}, or null. A HEAD request falls back to the GET route: a HEAD
     * response is the GET response without its body (RFC 9110 §9.3.2).
     */
    RouteEntry<H> forMethod(String method) {
        RouteEntry<H> route = byMethod.get(method);
        if (route == null && HEAD.equals(method)) {
            route = byMethod.get(GET);
        }
        return route;
    }

    boolean isEmpty() {
        return byMethod.isEmpty();
    }

    Set<String> methods() {
        return byMethod.keySet();
    }
}
