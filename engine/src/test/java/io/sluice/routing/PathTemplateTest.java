package io.sluice.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class PathTemplateTest {

    @Test
    void rootHasNoVariables() {
        PathTemplate root = PathTemplate.parse("/");

        assertThat(root.variableNames()).isEmpty();
        assertThat(root.isLiteral()).isTrue();
        assertThat(root.hasWildcard()).isFalse();
    }

    @Test
    void listsVariablesInPathOrder() {
        PathTemplate template = PathTemplate.parse("/orgs/{org}/repos/{repo_1}/raw");

        assertThat(template.variableNames()).containsExactly("org", "repo_1");
        assertThat(template.isLiteral()).isFalse();
        assertThat(template.hasWildcard()).isFalse();
    }

    @Test
    void wildcardBindsUnderItsOwnName() {
        PathTemplate template = PathTemplate.parse("/sites/{site}/*");

        assertThat(template.variableNames()).containsExactly("site", PathTemplate.WILDCARD_VARIABLE);
        assertThat(template.hasWildcard()).isTrue();
        assertThat(template.isLiteral()).isFalse();
    }

    @Test
    void acceptsNonAsciiLiteralsWrittenDecoded() {
        PathTemplate template = PathTemplate.parse("/café/日本/a+b;v=1");

        assertThat(template.isLiteral()).isTrue();
        assertThat(template.pattern()).isEqualTo("/café/日本/a+b;v=1");
    }

    @Test
    void equalityFollowsThePatternText() {
        assertThat(PathTemplate.parse("/a/{x}")).isEqualTo(PathTemplate.parse("/a/{x}"))
                .hasSameHashCodeAs(PathTemplate.parse("/a/{x}"))
                .isNotEqualTo(PathTemplate.parse("/a/{y}"))
                .hasToString("/a/{x}");
    }

    @ParameterizedTest
    @NullAndEmptySource
    void rejectsAMissingPattern(String pattern) {
        assertThatThrownBy(() -> PathTemplate.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must start with '/'");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            users                | must start with '/'
            /users/              | segment 2 is empty
            //users              | segment 1 is empty
            /a//b                | segment 2 is empty
            /*/a                 | '*' must be the last segment, but is segment 1
            /a/*/*               | '*' must be the last segment, but is segment 2
            /{1st}               | segment 1 ('{1st}') has an invalid variable name
            /{}                  | segment 1 ('{}') has an invalid variable name
            /{user-id}           | ('{user-id}') has an invalid variable name
            /{ id }              | ('{ id }') has an invalid variable name
            /{id}/x/{id}         | variable 'id' appears more than once
            /a{id}               | ('a{id}') has a brace
            /{id}.json           | ('{id}.json') has a brace
            /a}                  | has a brace
            /files/*.txt         | ('*.txt') has a '*'
            /caf%C3%A9           | write literals decoded
            /search?q=1          | a template matches the path only
            /page#top            | a template matches the path only
            """)
    void rejectsInvalidPatternsNamingTheProblem(String pattern, String expectedMessage) {
        assertThatThrownBy(() -> PathTemplate.parse(pattern))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid path template '" + pattern + "': ")
                .hasMessageContaining(expectedMessage);
    }
}
