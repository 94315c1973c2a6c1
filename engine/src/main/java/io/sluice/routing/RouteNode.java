package io.sluice.routing;

import io.sluice.routing.PathTemplate.Literal;
import io.sluice.routing.PathTemplate.Variable;
import io.sluice.routing.PathTemplate.Wildcard;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A node of the immutable routing trie: the position after some number of path segments. Children
 * are tried in priority order by {@link RouteTable}: literal, then variable, then the wildcard.
 *
 * <p>Literal children are kept in sorted arrays and found by binary search over a region of the
 * request path, so looking up a segment needs no substring.
 */
final class RouteNode<H> {

    private static final RouteNode<?>[] NO_CHILDREN = new RouteNode<?>[0];

    private final String[] literalKeys;
    private final RouteNode<H>[] literalChildren;
    private final RouteNode<H> variableChild;
    /** Routes whose template ends at this node. */
    private final MethodRoutes<H> exactRoutes;
    /** Routes whose template has its wildcard right after this node. */
    private final MethodRoutes<H> wildcardRoutes;

    private RouteNode(String[] literalKeys, RouteNode<H>[] literalChildren, RouteNode<H> variableChild,
            MethodRoutes<H> exactRoutes, MethodRoutes<H> wildcardRoutes) {
        this.literalKeys = literalKeys;
        this.literalChildren = literalChildren;
        this.variableChild = variableChild;
        this.exactRoutes = exactRoutes;
        this.wildcardRoutes = wildcardRoutes;
    }

    /** Builds the subtree for {@code routes}, all of which share their first {@code depth} segments. */
    @SuppressWarnings("unchecked")
    static <H> RouteNode<H> build(List<RouteEntry<H>> routes, int depth) {
        List<RouteEntry<H>> exact = new ArrayList<>();
        List<RouteEntry<H>> wildcard = new ArrayList<>();
        List<RouteEntry<H>> variable = new ArrayList<>();
        Map<String, List<RouteEntry<H>>> byLiteral = new TreeMap<>();
        for (RouteEntry<H> route : routes) {
            PathTemplate template = route.template();
            if (template.segmentCount() == depth) {
                exact.add(route);
                continue;
            }
            PathTemplate.Segment segment = template.segment(depth);
            if (segment instanceof Literal literal) {
                byLiteral.computeIfAbsent(literal.text(), text -> new ArrayList<>()).add(route);
            } else if (segment instanceof Variable) {
                variable.add(route);
            } else if (segment instanceof Wildcard) {
                wildcard.add(route);
            }
        }
        String[] keys = byLiteral.keySet().toArray(new String[0]);
        RouteNode<H>[] children = (RouteNode<H>[]) (keys.length == 0 ? NO_CHILDREN : new RouteNode<?>[keys.length]);
        for (int i = 0; i < keys.length; i++) {
            children[i] = build(byLiteral.get(keys[i]), depth + 1);
        }
        return new RouteNode<>(keys, children, variable.isEmpty() ? null : build(variable, depth + 1),
                MethodRoutes.of(exact), MethodRoutes.of(wildcard));
    }

    /** The child for the literal equal to {@code text[from, to)}, or null. */
    RouteNode<H> literalChild(String text, int from, int to) {
        int low = 0;
        int high = literalKeys.length - 1;
        while (low <= high) {
            int middle = (low + high) >>> 1;
            int order = compare(literalKeys[middle], text, from, to);
            if (order < 0) {
                low = middle + 1;
            } else if (order > 0) {
                high = middle - 1;
            } else {
                return literalChildren[middle];
            }
        }
        return null;
    }

    /** {@link String#compareTo} of {@code key} against a region, so it agrees with the sort order. */
    private static int compare(String key, String text, int from, int to) {
        int regionLength = to - from;
        int common = Math.min(key.length(), regionLength);
        for (int i = 0; i < common; i++) {
            int difference = key.charAt(i) - text.charAt(from + i);
            if (difference != 0) {
                return difference;
            }
        }
        return key.length() - regionLength;
    }

    /** The child matching any non-empty segment, or null. */
    RouteNode<H> variableChild() {
        return variableChild;
    }

    MethodRoutes<H> exactRoutes() {
        return exactRoutes;
    }

    MethodRoutes<H> wildcardRoutes() {
        return wildcardRoutes;
    }
}
