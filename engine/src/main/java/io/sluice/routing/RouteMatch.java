package io.sluice.routing;

/**
 * The outcome of {@link Router#route}: which {@link Kind} of answer the request gets and, depending on
 * the kind, the route's handler and variables or the {@code Allow} header value. Immutable.
 *
 * <p>Accessors that make no sense for the kind at hand throw {@link IllegalStateException} rather
 * than return null, so a missing {@code switch} case fails loudly instead of as a later
 * NullPointerException.
 *
 * @param <H> the handler type the router was built with
 */
public final class RouteMatch<H> {

    /** What the router found for a method and path. */
    public enum Kind {
        /** A route serves the request: see {@link #handler()} and {@link #variables()}. */
        FOUND,
        /** No template matches the path: answer 404. */
        NOT_FOUND,
        /**
         * Templates match the path but none for this method: answer 405 with {@link #allow()}. For an
         * {@code OPTIONS} request (with no OPTIONS route of its own) the engine should instead answer
         * 204 with the same {@code Allow} value, which is why that value always lists OPTIONS.
         */
        METHOD_NOT_ALLOWED,
        /** The path is not a valid percent-encoded UTF-8 origin-form path: answer 400. */
        BAD_REQUEST
    }

    private static final RouteMatch<?> NOT_FOUND = new RouteMatch<>(Kind.NOT_FOUND, null, PathVariables.empty(), null);
    private static final RouteMatch<?> BAD_REQUEST =
            new RouteMatch<>(Kind.BAD_REQUEST, null, PathVariables.empty(), null);

    private final Kind kind;
    private final RouteEntry<H> route;
    private final PathVariables variables;
    private final String allow;

    private RouteMatch(Kind kind, RouteEntry<H> route, PathVariables variables, String allow) {
        this.kind = kind;
        this.route = route;
        this.variables = variables;
        this.allow = allow;
    }

    static <H> RouteMatch<H> found(RouteEntry<H> route, PathVariables variables) {
        return new RouteMatch<>(Kind.FOUND, route, variables, null);
    }

    static <H> RouteMatch<H> methodNotAllowed(String allow) {
        return new RouteMatch<>(Kind.METHOD_NOT_ALLOWED, null, PathVariables.empty(), allow);
    }

    @SuppressWarnings("unchecked")
    static <H> RouteMatch<H> notFound() {
        return (RouteMatch<H>) NOT_FOUND;
    }

    @SuppressWarnings("unchecked")
    static <H> RouteMatch<H> badRequest() {
        return (RouteMatch<H>) BAD_REQUEST;
    }

    public Kind kind() {
        return kind;
    }

    public boolean isFound() {
        return kind == Kind.FOUND;
    }

    /** The handler of the matched route. Only for {@link Kind#FOUND}. */
    public H handler() {
        return found().handler();
    }

    /**
     * The method the matched route was registered for. It differs from the request's method only for
     * a HEAD request served by a GET route, in which case the engine must send the GET response's
     * headers without its body. Only for {@link Kind#FOUND}.
     */
    public String matchedMethod() {
        return found().method();
    }

    /** The template of the matched route. Only for {@link Kind#FOUND}. */
    public PathTemplate template() {
        return found().template();
    }

    /** The path variables the template bound; empty for any kind but {@link Kind#FOUND}. */
    public PathVariables variables() {
        return variables;
    }

    /**
     * The {@code Allow} header value: the path's methods sorted and comma-separated, e.g.
     * {@code "GET, HEAD, OPTIONS, POST"}. Only for {@link Kind#METHOD_NOT_ALLOWED}.
     */
    public String allow() {
        if (kind != Kind.METHOD_NOT_ALLOWED) {
            throw new IllegalStateException("allow() is only defined for METHOD_NOT_ALLOWED, not " + kind);
        }
        return allow;
    }

    private RouteEntry<H> found() {
        if (route == null) {
            throw new IllegalStateException("No route was matched: " + kind);
        }
        return route;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case FOUND -> "FOUND " + route + " " + variables;
            case METHOD_NOT_ALLOWED -> "METHOD_NOT_ALLOWED (Allow: " + allow + ")";
            default -> kind.name();
        };
    }
}
