package io.sluice.routing;

import io.sluice.http.UriCodec;
import io.sluice.routing.PathTemplate.Segment;
import io.sluice.routing.PathTemplate.Variable;
import io.sluice.routing.PathTemplate.Wildcard;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The compiled, immutable form of a {@link Router}'s routes; every field is final and nothing is
 * modified after construction, so one instance serves any number of threads.
 *
 * <p>A request path is walked segment by segment without being split: a segment is the region
 * between two {@code '/'}, identified by its start offset. Only a path containing {@code '%'} is
 * decoded up front, into an array of segments, because then comparing raw text would be wrong and
 * decoding once beats decoding again on every backtrack. Offsets are used for both cases: decoding a
 * segment never changes where the raw segments begin, since an escaped slash stays inside its segment.
 */
final class RouteTable<H> {

    private final Map<String, MethodRoutes<H>> literalPaths;
    private final RouteNode<H> root;

    RouteTable(List<RouteEntry<H>> routes) {
        Map<String, List<RouteEntry<H>>> literalRoutes = new HashMap<>();
        for (RouteEntry<H> route : routes) {
            if (route.template().isLiteral()) {
                literalRoutes.computeIfAbsent(route.template().pattern(), pattern -> new ArrayList<>()).add(route);
            }
        }
        this.literalPaths = new HashMap<>();
        literalRoutes.forEach((pattern, samePath) -> literalPaths.put(pattern, MethodRoutes.of(samePath)));
        this.root = RouteNode.build(routes, 0);
    }

    RouteMatch<H> match(String method, String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return RouteMatch.badRequest();
        }
        boolean encoded = rawPath.indexOf('%') >= 0;
        if (!encoded) {
            // Without escapes the raw path is its own decoded form, so it can be the key of a literal template.
            MethodRoutes<H> literal = literalPaths.get(rawPath);
            RouteEntry<H> route = literal == null ? null : literal.forMethod(method);
            if (route != null) {
                return route.literalMatch();
            }
        }
        String[] decoded = encoded ? decodeSegments(rawPath) : null;
        if (encoded && decoded == null) {
            return RouteMatch.badRequest();
        }
        int firstStart = firstSegmentStart(rawPath);
        RouteEntry<H> route = find(root, method, rawPath, decoded, 0, firstStart);
        if (route != null) {
            return route.template().isLiteral() ? route.literalMatch() : bind(route, rawPath, decoded, firstStart);
        }
        Set<String> methods = new TreeSet<>();
        collectMethods(root, rawPath, decoded, 0, firstStart, methods);
        return methods.isEmpty() ? RouteMatch.notFound() : RouteMatch.methodNotAllowed(allowHeader(methods));
    }

    /**
     * Depth-first search in priority order (literal, variable, wildcard at each segment), returning
     * the first route that serves {@code method}. Backtracking is what lets {@code /a/{x}/c} match
     * {@code /a/b/c} although {@code /a/b/d} exists, and lets {@code POST /users/me} reach
     * {@code POST /users/{id}} when {@code /users/me} is registered for GET only.
     */
    private static <H> RouteEntry<H> find(RouteNode<H> node, String method, String path, String[] decoded,
            int index, int start) {
        if (start > path.length()) {
            RouteEntry<H> route = node.exactRoutes().forMethod(method);
            return route != null ? route : node.wildcardRoutes().forMethod(method);
        }
        int end = segmentEnd(path, start);
        RouteNode<H> literal = literalChild(node, path, decoded, index, start, end);
        if (literal != null) {
            RouteEntry<H> route = find(literal, method, path, decoded, index + 1, end + 1);
            if (route != null) {
                return route;
            }
        }
        if (node.variableChild() != null && end > start) {
            RouteEntry<H> route = find(node.variableChild(), method, path, decoded, index + 1, end + 1);
            if (route != null) {
                return route;
            }
        }
        return node.wildcardRoutes().forMethod(method);
    }

    /** Visits the same branches as {@link #find} but all of them, gathering every method the path allows. */
    private static <H> void collectMethods(RouteNode<H> node, String path, String[] decoded, int index, int start,
            Set<String> methods) {
        methods.addAll(node.wildcardRoutes().methods());
        if (start > path.length()) {
            methods.addAll(node.exactRoutes().methods());
            return;
        }
        int end = segmentEnd(path, start);
        RouteNode<H> literal = literalChild(node, path, decoded, index, start, end);
        if (literal != null) {
            collectMethods(literal, path, decoded, index + 1, end + 1, methods);
        }
        if (node.variableChild() != null && end > start) {
            collectMethods(node.variableChild(), path, decoded, index + 1, end + 1, methods);
        }
    }

    private static <H> RouteNode<H> literalChild(RouteNode<H> node, String path, String[] decoded, int index,
            int start, int end) {
        return decoded == null
                ? node.literalChild(path, start, end)
                : node.literalChild(decoded[index], 0, decoded[index].length());
    }

    /** Reads the matched template's variables off the path; the search has established that it matches. */
    private static <H> RouteMatch<H> bind(RouteEntry<H> route, String path, String[] decoded, int firstStart) {
        PathTemplate template = route.template();
        String[] values = new String[template.variableNamesArray().length];
        int bound = 0;
        int start = firstStart;
        for (int index = 0; index < template.segmentCount(); index++) {
            Segment segment = template.segment(index);
            if (segment instanceof Wildcard) {
                values[bound] = remainder(path, decoded, index, start);
                break;
            }
            int end = segmentEnd(path, start);
            if (segment instanceof Variable) {
                values[bound++] = decoded == null ? path.substring(start, end) : decoded[index];
            }
            start = end + 1;
        }
        return RouteMatch.found(route, new PathVariables(template.variableNamesArray(), values));
    }

    private static String remainder(String path, String[] decoded, int index, int start) {
        if (decoded != null) {
            return String.join("/", Arrays.asList(decoded).subList(index, decoded.length));
        }
        return start > path.length() ? "" : path.substring(start);
    }

    /**
     * Decodes every segment, or returns null if any is malformed. All are checked, not just those a
     * route looks at, so that whether a request is bad never depends on which routes exist.
     */
    private static String[] decodeSegments(String path) {
        int count = 0;
        for (int i = 0; i < path.length(); i++) {
            if (path.charAt(i) == '/') {
                count++;
            }
        }
        String[] segments = new String[count];
        int start = firstSegmentStart(path);
        for (int index = 0; index < count; index++) {
            int end = segmentEnd(path, start);
            segments[index] = UriCodec.decodePath(path.substring(start, end));
            if (segments[index] == null) {
                return null;
            }
            start = end + 1;
        }
        return segments;
    }

    /**
     * Where the first segment starts: just after the leading {@code '/'}. The root path {@code "/"} has
     * no segments at all, which is expressed by starting past its end; any other path ending in
     * {@code '/'} does have an empty last segment, which keeps trailing slashes significant.
     */
    private static int firstSegmentStart(String path) {
        return path.length() == 1 ? 2 : 1;
    }

    private static int segmentEnd(String path, int start) {
        int slash = path.indexOf('/', start);
        return slash < 0 ? path.length() : slash;
    }

    /**
     * The {@code Allow} value for a path: its methods in alphabetical order, with HEAD wherever GET is
     * (see {@link MethodRoutes#forMethod}) and OPTIONS, which the engine answers for any routed path.
     */
    private static String allowHeader(Set<String> methods) {
        if (methods.contains("GET")) {
            methods.add("HEAD");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }
}
