package io.sluice.routing;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.http.UriCodec;
import io.sluice.testing.Gen;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class RouterProperties {

    /** Few and overlapping, so that random templates share trie nodes and compete for paths. */
    private static final List<String> LITERALS = List.of("a", "b", "ab", "café", "日本");
    private static final List<String> METHODS = List.of("GET", "POST", "DELETE");
    private static final int TRIES = 1000;

    @Test
    void aPathBuiltFromATemplateRoutesBackToItWithTheSameValues() {
        forAll(TRIES, RouterProperties::singleCase, RouterProperties::routesBackToTheTemplate);
    }

    private static void routesBackToTheTemplate(SingleCase example) {
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
    @Test
    void agreesWithABruteForceReference() {
        forAll(TRIES, RouterProperties::modelCase, RouterProperties::agreesWithTheReference);
    }

    private static void agreesWithTheReference(ModelCase example) {
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

    @Test
    void routingNeverThrowsAndRejectsExactlyTheMalformedPaths() {
        forAll(TRIES, RouterProperties::rawPath, RouterProperties::rejectsExactlyTheMalformed);
    }

    private static void rejectsExactlyTheMalformed(String rawPath) {
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

    private static SingleCase singleCase(Random random) {
        Template template = template(random);
        List<String> values = new ArrayList<>();
        for (int i = 0; i < template.variableCount(); i++) {
            values.add(variableValue(random));
        }
        List<String> remainder = Gen.list(random, 0, template.wildcard() ? 3 : 0, r -> Gen.codePoints(r, 0, 6));
        return new SingleCase(template, values, remainder);
    }

    private static ModelCase modelCase(Random random) {
        int count = Gen.size(random, 1, 8);
        Map<String, Registration> byShape = new LinkedHashMap<>(); // distinct shapes: the router refuses duplicates
        for (int attempts = 0; byShape.size() < count && attempts < 100; attempts++) {
            Template template = template(random);
            byShape.putIfAbsent(template.shape(), new Registration(template, methodSet(random)));
        }
        String method = Gen.oneOf(random, "GET", "HEAD", "POST", "DELETE", "PUT");
        // "/" is the path of no segments, so a path of one empty segment cannot be written: leave it out.
        List<String> segments;
        do {
            // Mostly the templates' own literals, so near misses and backtracking are common.
            segments = Gen.list(random, 0, 6,
                    r -> r.nextInt(7) < 6 ? Gen.oneOf(r, LITERALS) : Gen.codePoints(r, 0, 4));
        } while (segments.size() == 1 && segments.get(0).isEmpty());
        return new ModelCase(new ArrayList<>(byShape.values()), method, segments);
    }

    /** One to all of {@link #METHODS}. */
    private static Set<String> methodSet(Random random) {
        List<String> shuffled = new ArrayList<>(METHODS);
        Collections.shuffle(shuffled, random);
        return new LinkedHashSet<>(shuffled.subList(0, Gen.size(random, 1, METHODS.size())));
    }

    private static String rawPath(Random random) {
        return random.nextBoolean()
                ? Gen.fromAlphabet(random, "/%abC3A9F0+ é", 0, 16)
                : "/" + Gen.anyChars(random, 16);
    }

    /** Up to 4 segments before an optional wildcard, each a literal or (half of the time) a variable. */
    private static Template template(Random random) {
        List<String> literals = Gen.list(random, 0, 4, r -> r.nextBoolean() ? Gen.oneOf(r, LITERALS) : null);
        return new Template(literals, random.nextBoolean());
    }

    /** Variables match only non-empty segments; anything else goes, '/' and '%' included. */
    private static String variableValue(Random random) {
        return Gen.codePoints(random, 1, 8);
    }
}
