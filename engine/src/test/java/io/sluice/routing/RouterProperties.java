package io.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.http.TestText;
import io.sluice.http.UriCodec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

class RouterProperties {

    /** Few and overlapping, so that random templates share trie nodes and compete for paths. */
    private static final List<String> LITERALS = List.of("a", "b", "ab", "café", "日本");

    @Property
    void aPathBuiltFromATemplateRoutesBackToItWithTheSameValues(@ForAll("singleCases") SingleCase example) {
        Template template = example.template();
        Router<String> router = new Router<>();
        router.add("GET", template.pattern(), template.pattern());
        router.freeze();
        List<String> segments = template.fill(example.values(), example.remainder());

        RouteMatch<String> match = router.route("GET", encodedPath(segments));

        assertThat(match.kind()).isEqualTo(RouteMatch.Kind.FOUND);
        assertThat(match.handler()).isEqualTo(template.pattern());
        assertThat(match.variables()).containsExactlyEntriesOf(template.variables(segments));
    }

    /**
     * The router agrees with a brute-force reference: of all registrations that match the path and
     * serve the method, the one whose segment kinds (literal, variable, wildcard) sort first wins.
     * Path segments are mostly the templates' own literals, so near misses and backtracking are common.
     */
    @Property
    void agreesWithABruteForceReference(@ForAll("modelCases") ModelCase example) {
        Router<String> router = new Router<>();
        for (Registration registration : example.registrations()) {
            String pattern = registration.template().pattern();
            registration.methods().forEach(method -> router.add(method, pattern, pattern));
        }
        router.freeze();
        List<String> segments = example.segments();
        String method = example.method();

        RouteMatch<String> match = router.route(method, encodedPath(segments));

        List<Registration> matching = example.registrations().stream()
                .filter(registration -> registration.template().matches(segments))
                .collect(Collectors.toList());
        Registration winner = matching.stream()
                .filter(registration -> registration.methodServing(method) != null)
                .min((left, right) -> comparePriorities(left.template().priority(), right.template().priority()))
                .orElse(null);
        if (winner != null) {
            assertThat(match.handler()).isEqualTo(winner.template().pattern());
            assertThat(match.matchedMethod()).isEqualTo(winner.methodServing(method));
            assertThat(match.variables()).containsExactlyEntriesOf(winner.template().variables(segments));
        } else if (!matching.isEmpty()) {
            Set<String> allowed = new TreeSet<>(Set.of("OPTIONS"));
            matching.forEach(registration -> allowed.addAll(registration.methods()));
            if (allowed.contains("GET")) {
                allowed.add("HEAD");
            }
            assertThat(match.kind()).isEqualTo(RouteMatch.Kind.METHOD_NOT_ALLOWED);
            assertThat(match.allow()).isEqualTo(String.join(", ", allowed));
        } else {
            assertThat(match.kind()).isEqualTo(RouteMatch.Kind.NOT_FOUND);
        }
    }

    @Property
    void routingNeverThrowsAndRejectsExactlyTheMalformedPaths(@ForAll("rawPaths") String rawPath) {
        Router<String> router = new Router<>();
        for (String template : List.of("/", "/a", "/a/{x}", "/{x}/b", "/a/b/*", "/café/{x}")) {
            router.add("GET", template, template);
        }
        router.freeze();

        RouteMatch<String> match = router.route("GET", rawPath);

        boolean malformed = !rawPath.startsWith("/") || UriCodec.decodePath(rawPath) == null;
        assertThat(match.kind() == RouteMatch.Kind.BAD_REQUEST).isEqualTo(malformed);
    }

    private static String encodedPath(List<String> segments) {
        return "/" + segments.stream().map(UriCodec::encodePathSegment).collect(Collectors.joining("/"));
    }

    private static int comparePriorities(List<Integer> left, List<Integer> right) {
        for (int i = 0; i < Math.min(left.size(), right.size()); i++) {
            int order = Integer.compare(left.get(i), right.get(i));
            if (order != 0) {
                return order;
            }
        }
        return Integer.compare(left.size(), right.size());
    }

    /**
     * A random template, and the reference model of how it matches. {@code literals} holds one entry
     * per segment before the wildcard: the literal text, or null for a variable named {@code v<index>}.
     */
    record Template(List<String> literals, boolean wildcard) {

        String pattern() {
            List<String> segments = new ArrayList<>();
            for (int i = 0; i < literals.size(); i++) {
                segments.add(literals.get(i) != null ? literals.get(i) : "{v" + i + "}");
            }
            if (wildcard) {
                segments.add("*");
            }
            return "/" + String.join("/", segments);
        }

        /** Equal for templates the router considers duplicates. */
        String shape() {
            return literals.stream().map(text -> text == null ? "{}" : text).collect(Collectors.joining("/"))
                    + (wildcard ? "/*" : "");
        }

        int variableCount() {
            return (int) literals.stream().filter(text -> text == null).count();
        }

        /** The decoded segments of a path this template matches, with the given variable values. */
        List<String> fill(List<String> values, List<String> remainder) {
            List<String> segments = new ArrayList<>();
            int next = 0;
            for (String text : literals) {
                segments.add(text != null ? text : values.get(next++));
            }
            if (wildcard) {
                segments.addAll(remainder);
            }
            return segments;
        }

        boolean matches(List<String> segments) {
            if (wildcard ? segments.size() < literals.size() : segments.size() != literals.size()) {
                return false;
            }
            for (int i = 0; i < literals.size(); i++) {
                String text = literals.get(i);
                if (text == null ? segments.get(i).isEmpty() : !text.equals(segments.get(i))) {
                    return false;
                }
            }
            return true;
        }

        /** Per segment: 0 for a literal, 1 for a variable, 2 for the wildcard. Lower sorts first, so wins. */
        List<Integer> priority() {
            List<Integer> ranks = new ArrayList<>();
            literals.forEach(text -> ranks.add(text == null ? 1 : 0));
            if (wildcard) {
                ranks.add(2);
            }
            return ranks;
        }

        /** What the router should bind for matching {@code segments}. */
        Map<String, String> variables(List<String> segments) {
            Map<String, String> variables = new LinkedHashMap<>();
            for (int i = 0; i < literals.size(); i++) {
                if (literals.get(i) == null) {
                    variables.put("v" + i, segments.get(i));
                }
            }
            if (wildcard) {
                List<String> remainder = segments.subList(literals.size(), segments.size());
                variables.put(PathTemplate.WILDCARD_VARIABLE, String.join("/", remainder));
            }
            return variables;
        }
    }

    /** A template registered for one or more methods. */
    record Registration(Template template, Set<String> methods) {

        /** The registered method that serves {@code requested}, or null; HEAD falls back to GET. */
        String methodServing(String requested) {
            if (methods.contains(requested)) {
                return requested;
            }
            return requested.equals("HEAD") && methods.contains("GET") ? "GET" : null;
        }
    }

    record SingleCase(Template template, List<String> values, List<String> remainder) {
    }

    record ModelCase(List<Registration> registrations, String method, List<String> segments) {
    }

    @Provide
    Arbitrary<SingleCase> singleCases() {
        return templates().flatMap(template -> Combinators.combine(
                        variableValues().list().ofSize(template.variableCount()),
                        TestText.codePoints(0, 6).list().ofMaxSize(template.wildcard() ? 3 : 0))
                .as((values, remainder) -> new SingleCase(template, values, remainder)));
    }

    @Provide
    Arbitrary<ModelCase> modelCases() {
        Arbitrary<Set<String>> methodSets = Arbitraries.of("GET", "POST", "DELETE").set().ofMinSize(1);
        Arbitrary<List<Registration>> registrations = templates().list().ofMinSize(1).ofMaxSize(8)
                .uniqueElements(Template::shape)
                .flatMap(templates -> methodSets.list().ofSize(templates.size()).map(methods -> {
                    List<Registration> zipped = new ArrayList<>();
                    for (int i = 0; i < templates.size(); i++) {
                        zipped.add(new Registration(templates.get(i), methods.get(i)));
                    }
                    return zipped;
                }));
        Arbitrary<String> segment = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.of(LITERALS)),
                Tuple.of(1, TestText.codePoints(0, 4)));
        // "/" is the path of no segments, so a path of one empty segment cannot be written: leave it out.
        Arbitrary<List<String>> segments = segment.list().ofMaxSize(6)
                .filter(list -> !(list.size() == 1 && list.get(0).isEmpty()));
        return Combinators.combine(registrations, Arbitraries.of("GET", "HEAD", "POST", "DELETE", "PUT"), segments)
                .as(ModelCase::new);
    }

    @Provide
    Arbitrary<String> rawPaths() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("/%abC3A9F0+ é").ofMaxLength(16),
                Arbitraries.strings().ofMaxLength(16).map(text -> "/" + text));
    }

    private static Arbitrary<Template> templates() {
        Arbitrary<String> literalOrVariable = Arbitraries.oneOf(Arbitraries.of(LITERALS), Arbitraries.just(null));
        return Combinators.combine(literalOrVariable.list().ofMaxSize(4), Arbitraries.of(true, false))
                .as(Template::new);
    }

    /** Variables match only non-empty segments; anything else goes, '/' and '%' included. */
    private static Arbitrary<String> variableValues() {
        return TestText.codePoints(1, 8);
    }
}
