package io.sluice.routing;

/** One registration: a method and template bound to a handler. */
final class RouteEntry<H> {

    private final String method;
    private final PathTemplate template;
    private final H handler;
    /** The result for a literal template, built once because it never varies; null otherwise. */
    private final RouteMatch<H> literalMatch;

    RouteEntry(String method, PathTemplate template, H handler) {
        this.method = method;
        this.template = template;
        this.handler = handler;
        this.literalMatch = template.isLiteral() ? RouteMatch.found(this, PathVariables.empty()) : null;
    }

    String method() {
        return method;
    }

    PathTemplate template() {
        return template;
    }

    H handler() {
        return handler;
    }

    /** The shared result of matching a literal template. */
    RouteMatch<H> literalMatch() {
        return literalMatch;
    }

    @Override
    public String toString() {
        return method + " " + template;
    }
}
