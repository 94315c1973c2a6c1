package io.sluice.routing;

import static io.sluice.routing.RouteMatch.Kind.BAD_REQUEST;
import static io.sluice.routing.RouteMatch.Kind.FOUND;
import static io.sluice.routing.RouteMatch.Kind.METHOD_NOT_ALLOWED;
import static io.sluice.routing.RouteMatch.Kind.NOT_FOUND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RouterTest {

    /** A frozen router whose handler for each {@code "METHOD /template"} is that string itself. */
    private static Router<String> router(String... routes) {
        Router<String> router = new Router<>();
        for (String route : routes) {
            String[] methodAndTemplate = route.split(" ", 2);
            router.add(methodAndTemplate[0], methodAndTemplate[1], route);
        }
        router.freeze();
        return router;
    }

    @Nested
    class Literals {

        @Test
        void findsALiteralTemplate() {
            RouteMatch<String> match = router("GET /health", "GET /users").route("GET", "/users");

            assertThat(match.kind()).isEqualTo(FOUND);
            assertThat(match.isFound()).isTrue();
            assertThat(match.handler()).isEqualTo("GET /users");
            assertThat(match.matchedMethod()).isEqualTo("GET");
            assertThat(match.template()).isEqualTo(PathTemplate.parse("/users"));
            assertThat(match.variables()).isEmpty();
        }

        @Test
        void answersAPlainLiteralPathWithOneSharedResult() {
            Router<String> router = router("GET /a/b");

            assertThat(router.route("GET", "/a/b")).isSameAs(router.route("GET", "/a/b"));
        }

        @Test
        void rootMatchesOnlyTheRootPath() {
            Router<String> router = router("GET /");

            assertThat(router.route("GET", "/").handler()).isEqualTo("GET /");
            assertThat(router.route("GET", "//").kind()).isEqualTo(NOT_FOUND);
            assertThat(router.route("GET", "/x").kind()).isEqualTo(NOT_FOUND);
        }

        @Test
        void trailingSlashIsSignificant() {
            Router<String> router = router("GET /users", "GET /teams/{team}");

            assertThat(router.route("GET", "/users/").kind()).isEqualTo(NOT_FOUND);
            assertThat(router.route("GET", "/teams/red/").kind()).isEqualTo(NOT_FOUND);
            assertThat(router("GET /users/{id}").route("GET", "/users/").kind()).isEqualTo(NOT_FOUND);
        }

        @Test
        void comparesLiteralsWithTheDecodedSegment() {
            Router<String> router = router("GET /café/menu");

            assertThat(router.route("GET", "/caf%C3%A9/menu").handler()).isEqualTo("GET /café/menu");
            assertThat(router.route("GET", "/caf%c3%a9/menu").handler()).isEqualTo("GET /café/menu");
            assertThat(router.route("GET", "/caf%C3%A9/%6Denu").handler()).isEqualTo("GET /café/menu");
        }

        @Test
        void findsEveryOneOfManySiblingLiteralsThroughTheTrie() {
            Router<String> router = new Router<>();
            for (int i = 0; i < 50; i++) {
                router.add("GET", "/k" + i + "/v", "k" + i);
            }
            router.freeze();

            for (int i = 0; i < 50; i++) {
                // An escape anywhere sends the path through the trie rather than the literal lookup.
                assertThat(router.route("GET", "/k" + i + "/%76").handler()).isEqualTo("k" + i);
            }
            assertThat(router.route("GET", "/k50/%76").kind()).isEqualTo(NOT_FOUND);
            assertThat(router.route("GET", "/k/%76").kind()).isEqualTo(NOT_FOUND);
        }

        @Test
        void keepsPlusAsAnOrdinaryPathCharacter() {
            assertThat(router("GET /a+b").route("GET", "/a+b").kind()).isEqualTo(FOUND);
            assertThat(router("GET /a b").route("GET", "/a+b").kind()).isEqualTo(NOT_FOUND);
        }
    }

    @Nested
    class Variables {

        @Test
        void bindsDecodedSegmentsToVariables() {
            Router<String> router = router("GET /orgs/{org}/repos/{repo}");

            RouteMatch<String> match = router.route("GET", "/orgs/acme/repos/sl%C3%BCice");

            assertThat(match.handler()).isEqualTo("GET /orgs/{org}/repos/{repo}");
            assertThat(match.variables()).containsExactly(entry("org", "acme"), entry("repo", "slüice"));
        }

        @Test
        void anEncodedSlashStaysInsideItsSegment() {
            Router<String> router = router("GET /files/{name}", "GET /files/{name}/raw");

            RouteMatch<String> match = router.route("GET", "/files/a%2Fraw");

            assertThat(match.handler()).isEqualTo("GET /files/{name}");
            assertThat(match.variables().get("name")).isEqualTo("a/raw");
        }

        @Test
        void bindsUnicodeFromEscapesOrFromRawCharacters() {
            Router<String> router = router("GET /users/{name}");

            assertThat(router.route("GET", "/users/J%C3%BCrgen").variables().get("name")).isEqualTo("Jürgen");
            assertThat(router.route("GET", "/users/%F0%9F%98%80").variables().get("name")).isEqualTo("😀");
            assertThat(router.route("GET", "/users/日本").variables().get("name")).isEqualTo("日本");
        }

        @Test
        void doesNotMatchAnEmptySegment() {
            Router<String> router = router("GET /a/{x}/b");

            assertThat(router.route("GET", "/a//b").kind()).isEqualTo(NOT_FOUND);
        }

        @Test
        void eachMethodBindsItsOwnVariableNames() {
            Router<String> router = router("GET /items/{itemId}", "DELETE /items/{id}");

            assertThat(router.route("GET", "/items/7").variables()).containsExactly(entry("itemId", "7"));
            assertThat(router.route("DELETE", "/items/7").variables()).containsExactly(entry("id", "7"));
        }

        @Test
        void variablesAreAnUnmodifiableMapInTemplateOrder() {
            PathVariables variables = router("GET /{b}/{a}").route("GET", "/1/2").variables();

            assertThat(variables).isEqualTo(Map.of("a", "2", "b", "1"));
            assertThat(variables.keySet()).containsExactly("b", "a");
            assertThat(variables.containsKey("a")).isTrue();
            assertThat(variables.get("c")).isNull();
            assertThat(variables.size()).isEqualTo(2);
            assertThatThrownBy(() -> variables.put("c", "3")).isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(variables::clear).isInstanceOf(UnsupportedOperationException.class);
        }
    }

    @Nested
    class Priority {

        @Test
        void literalBeatsVariable() {
            Router<String> router = router("GET /users/{id}", "GET /users/me");

            assertThat(router.route("GET", "/users/me").handler()).isEqualTo("GET /users/me");
            assertThat(router.route("GET", "/users/you").handler()).isEqualTo("GET /users/{id}");
        }

        @Test
        void variableBeatsWildcard() {
            Router<String> router = router("GET /files/*", "GET /files/{id}");

            assertThat(router.route("GET", "/files/1").handler()).isEqualTo("GET /files/{id}");
            assertThat(router.route("GET", "/files/1/2").handler()).isEqualTo("GET /files/*");
        }

        @Test
        void priorityIsDecidedFromTheLeft() {
            Router<String> router = router("GET /{a}/b", "GET /a/{b}");

            assertThat(router.route("GET", "/a/b").handler()).isEqualTo("GET /a/{b}");
        }

        @Test
        void backtracksWhenTheLiteralBranchLeadsNowhere() {
            Router<String> router = router("GET /a/b/d", "GET /a/{x}/c");

            RouteMatch<String> match = router.route("GET", "/a/b/c");

            assertThat(match.handler()).isEqualTo("GET /a/{x}/c");
            assertThat(match.variables()).containsExactly(entry("x", "b"));
        }

        @Test
        void backtracksAcrossSeveralLevels() {
            Router<String> router = router("GET /a/b/c/d", "GET /a/{x}/c/e", "GET /{y}/b/c/f", "GET /*");

            assertThat(router.route("GET", "/a/b/c/e").variables()).containsExactly(entry("x", "b"));
            assertThat(router.route("GET", "/a/b/c/f").variables()).containsExactly(entry("y", "a"));
            assertThat(router.route("GET", "/a/b/c/g").variables()).containsExactly(entry("*", "a/b/c/g"));
        }

        @Test
        void backtracksIntoAWildcardHigherUp() {
            Router<String> router = router("GET /docs/*", "GET /docs/{v}/index");

            assertThat(router.route("GET", "/docs/v1/other").variables()).containsExactly(entry("*", "v1/other"));
        }
    }

    @Nested
    class Wildcards {

        private final Router<String> router = router("GET /static/*");

        @Test
        void matchesZeroSegments() {
            assertThat(router.route("GET", "/static").variables()).containsExactly(entry("*", ""));
            assertThat(router.route("GET", "/static/").variables()).containsExactly(entry("*", ""));
        }

        @Test
        void matchesOneSegment() {
            assertThat(router.route("GET", "/static/app.js").variables()).containsExactly(entry("*", "app.js"));
        }

        @Test
        void matchesManySegmentsDecodingEach() {
            assertThat(router.route("GET", "/static/css/site%20v2/main.css").variables())
                    .containsExactly(entry("*", "css/site v2/main.css"));
        }

        @Test
        void doesNotMatchASiblingPrefix() {
            assertThat(router.route("GET", "/statics/app.js").kind()).isEqualTo(NOT_FOUND);
        }

        @Test
        void anExactTemplateBeatsTheWildcardOnTheSamePath() {
            Router<String> both = router("GET /static/*", "GET /static");

            assertThat(both.route("GET", "/static").handler()).isEqualTo("GET /static");
            assertThat(both.route("GET", "/static/").handler()).isEqualTo("GET /static/*");
        }

        @Test
        void rootWildcardMatchesEveryPath() {
            Router<String> fallback = router("GET /*");

            assertThat(fallback.route("GET", "/").variables()).containsExactly(entry("*", ""));
            assertThat(fallback.route("GET", "/a/b").variables()).containsExactly(entry("*", "a/b"));
        }
    }

    @Nested
    class Methods {

        @Test
        void headIsServedByTheGetRoute() {
            RouteMatch<String> match = router("GET /page").route("HEAD", "/page");

            assertThat(match.handler()).isEqualTo("GET /page");
            assertThat(match.matchedMethod()).isEqualTo("GET");
        }

        @Test
        void headIsServedByTheGetRouteOfAVariableTemplate() {
            RouteMatch<String> match = router("GET /users/{id}").route("HEAD", "/users/9");

            assertThat(match.matchedMethod()).isEqualTo("GET");
            assertThat(match.variables()).containsExactly(entry("id", "9"));
        }

        @Test
        void anExplicitHeadRouteWins() {
            RouteMatch<String> match = router("GET /page", "HEAD /page").route("HEAD", "/page");

            assertThat(match.handler()).isEqualTo("HEAD /page");
            assertThat(match.matchedMethod()).isEqualTo("HEAD");
        }

        @Test
        void aMoreSpecificTemplateForOtherMethodsDoesNotHideThisMethod() {
            Router<String> router = router("GET /users/me", "POST /users/{id}");

            RouteMatch<String> match = router.route("POST", "/users/me");

            assertThat(match.handler()).isEqualTo("POST /users/{id}");
            assertThat(match.variables()).containsExactly(entry("id", "me"));
        }

        @Test
        void methodNotAllowedListsTheMethodsOfThePath() {
            RouteMatch<String> match = router("POST /items", "GET /items", "GET /other").route("DELETE", "/items");

            assertThat(match.kind()).isEqualTo(METHOD_NOT_ALLOWED);
            assertThat(match.allow()).isEqualTo("GET, HEAD, OPTIONS, POST");
            assertThat(match.variables()).isEmpty();
        }

        @Test
        void allowListsHeadOnlyWhereGetIsServed() {
            assertThat(router("PUT /x").route("GET", "/x").allow()).isEqualTo("OPTIONS, PUT");
            assertThat(router("PUT /x").route("HEAD", "/x").allow()).isEqualTo("OPTIONS, PUT");
        }

        @Test
        void allowGathersMethodsFromEveryMatchingTemplate() {
            Router<String> router = router("GET /users/{id}", "DELETE /users/me", "PATCH /users/*", "POST /users");

            assertThat(router.route("PUT", "/users/me").allow()).isEqualTo("DELETE, GET, HEAD, OPTIONS, PATCH");
            assertThat(router.route("PUT", "/users/you").allow()).isEqualTo("GET, HEAD, OPTIONS, PATCH");
        }

        @Test
        void optionsWithoutItsOwnRouteReportsTheAllowedMethods() {
            RouteMatch<String> match = router("GET /x").route("OPTIONS", "/x");

            assertThat(match.kind()).isEqualTo(METHOD_NOT_ALLOWED);
            assertThat(match.allow()).isEqualTo("GET, HEAD, OPTIONS");
        }

        @Test
        void anExplicitOptionsRouteIsFound() {
            assertThat(router("OPTIONS /x", "GET /x").route("OPTIONS", "/x").handler()).isEqualTo("OPTIONS /x");
        }

        @Test
        void acceptsAnyUpperCaseToken() {
            assertThat(router("PURGE /cache/*").route("PURGE", "/cache/a").handler()).isEqualTo("PURGE /cache/*");
        }

        @Test
        void methodsAreCaseSensitive() {
            assertThat(router("GET /x").route("get", "/x").kind()).isEqualTo(METHOD_NOT_ALLOWED);
        }

        @Test
        void unknownPathIsNotFoundWhateverTheMethod() {
            Router<String> router = router("GET /x");

            assertThat(router.route("GET", "/y").kind()).isEqualTo(NOT_FOUND);
            assertThat(router.route("POST", "/y").kind()).isEqualTo(NOT_FOUND);
            assertThat(router().route("GET", "/").kind()).isEqualTo(NOT_FOUND);
        }
    }

    @Nested
    class MalformedPaths {

        private final Router<String> router = router("GET /users/{id}", "GET /*");

        @ParameterizedTest
        @ValueSource(strings = {"/users/%ZZ", "/users/%4", "/users/%", "/users/%C3", "/users/%C0%AF",
            "/users/%ED%A0%80", "/users/%F4%90%80%80", "/%FF/users/1"})
        void isABadRequest(String rawPath) {
            assertThat(router.route("GET", rawPath).kind()).isEqualTo(BAD_REQUEST);
        }

        @Test
        void isABadRequestEvenWhereNoRouteWouldLook() {
            assertThat(router("GET /a").route("GET", "/b/%ZZ/c").kind()).isEqualTo(BAD_REQUEST);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "*", "users", "http://example.com/users"})
        void aPathNotStartingWithSlashIsABadRequest(String rawPath) {
            assertThat(router.route("GET", rawPath).kind()).isEqualTo(BAD_REQUEST);
        }

        @Test
        void resultsWithoutARouteRefuseRouteAccessors() {
            RouteMatch<String> notFound = router("GET /a").route("GET", "/b");

            assertThatThrownBy(notFound::handler).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("NOT_FOUND");
            assertThatThrownBy(notFound::matchedMethod).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(notFound::allow).isInstanceOf(IllegalStateException.class);
            assertThat(notFound.isFound()).isFalse();
        }
    }

    @Nested
    class Registration {

        @Test
        void rejectsTheSameMethodAndTemplateTwice() {
            Router<String> router = new Router<>();
            router.add("GET", "/a", "first");

            assertThatThrownBy(() -> router.add("GET", "/a", "second"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Duplicate route GET /a");
        }

        @Test
        void rejectsATemplateDifferingOnlyInVariableNames() {
            Router<String> router = new Router<>();
            router.add("GET", "/a/{x}/b", "first");

            assertThatThrownBy(() -> router.add("GET", "/a/{y}/b", "second"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("GET /a/{y}/b")
                    .hasMessageContaining("GET /a/{x}/b is already registered");
        }

        @Test
        void acceptsTheSameTemplateForAnotherMethodAndOverlappingTemplates() {
            Router<String> router = new Router<>();
            router.add("GET", "/a/{x}", "get");
            router.add("POST", "/a/{x}", "post");
            router.add("GET", "/a/*", "wildcard");
            router.add("GET", "/a/b", "literal");
            router.freeze();

            assertThat(router.route("POST", "/a/1").handler()).isEqualTo("post");
        }

        @Test
        void rejectsAnInvalidTemplate() {
            assertThatThrownBy(() -> new Router<String>().add("GET", "/a/*/b", "h"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid path template '/a/*/b'");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "get", "Get", "GE T", "GET\r\n", "(GET)"})
        void rejectsAMethodThatIsNotAnUpperCaseToken(String method) {
            assertThatThrownBy(() -> new Router<String>().add(method, "/", "h"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("method");
        }

        @Test
        void rejectsANullHandler() {
            assertThatThrownBy(() -> new Router<String>().add("GET", "/", null))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("null");
        }

        @Test
        void refusesToRouteBeforeFreezing() {
            Router<String> router = new Router<>();
            router.add("GET", "/", "h");

            assertThat(router.isFrozen()).isFalse();
            assertThatThrownBy(() -> router.route("GET", "/")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("freeze()");
        }

        @Test
        void refusesNewRoutesAfterFreezing() {
            Router<String> router = router();

            assertThat(router.isFrozen()).isTrue();
            assertThatThrownBy(() -> router.add("GET", "/", "h")).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void freezingTwiceKeepsTheRoutes() {
            Router<String> router = router("GET /a");
            router.freeze();

            assertThat(router.route("GET", "/a").kind()).isEqualTo(FOUND);
        }
    }

    @Test
    void routesConcurrentlyFromSeveralThreads() throws Exception {
        Router<String> router = router("GET /users/{id}", "GET /users/me", "GET /static/*");
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Callable<Boolean>> tasks = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                tasks.add(() -> {
                    for (int i = 0; i < 2_000; i++) {
                        String id = Integer.toString(i);
                        boolean correct = id.equals(router.route("GET", "/users/" + id).variables().get("id"))
                                && router.route("GET", "/users/me").handler().equals("GET /users/me")
                                && router.route("GET", "/static/" + id).variables().get("*").equals(id);
                        if (!correct) {
                            return false;
                        }
                    }
                    return true;
                });
            }
            for (Future<Boolean> result : threads.invokeAll(tasks)) {
                assertThat(result.get()).isTrue();
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
