package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class QueryParametersTest {

    @ParameterizedTest
    @NullAndEmptySource
    void noQueryGivesTheSharedEmptyInstance(String rawQuery) {
        QueryParameters parameters = QueryParameters.parse(rawQuery);

        assertThat(parameters.isEmpty()).isTrue();
        assertThat(parameters.names()).isEmpty();
        assertThat(parameters).isSameAs(QueryParameters.parse(null));
    }

    @Test
    void readsNamesAndValues() {
        QueryParameters parameters = QueryParameters.parse("q=sluice&page=2");

        assertThat(parameters.first("q")).isEqualTo("sluice");
        assertThat(parameters.first("page")).isEqualTo("2");
        assertThat(parameters.isEmpty()).isFalse();
    }

    @Test
    void keepsRepeatedValuesInOrderOfAppearance() {
        QueryParameters parameters = QueryParameters.parse("tag=b&x=1&tag=a&tag=c");

        assertThat(parameters.first("tag")).isEqualTo("b");
        assertThat(parameters.all("tag")).containsExactly("b", "a", "c");
        assertThat(parameters.names()).containsExactly("tag", "x");
    }

    @Test
    void absentNameHasNoValues() {
        QueryParameters parameters = QueryParameters.parse("a=1");

        assertThat(parameters.first("b")).isNull();
        assertThat(parameters.all("b")).isEmpty();
    }

    @Test
    void namesAreCaseSensitive() {
        QueryParameters parameters = QueryParameters.parse("id=1&ID=2");

        assertThat(parameters.first("id")).isEqualTo("1");
        assertThat(parameters.first("ID")).isEqualTo("2");
    }

    @Test
    void nameWithoutEqualsSignHasEmptyValue() {
        QueryParameters parameters = QueryParameters.parse("debug&verbose=");

        assertThat(parameters.asMap()).containsExactly(entry("debug", List.of("")), entry("verbose", List.of("")));
    }

    @Test
    void splitsOnTheFirstEqualsSignOnly() {
        assertThat(QueryParameters.parse("expr=a=b").first("expr")).isEqualTo("a=b");
    }

    @Test
    void keepsAPairWithAnEmptyName() {
        assertThat(QueryParameters.parse("=orphan").first("")).isEqualTo("orphan");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a=1&&b=2", "&a=1&b=2&", "&&&a=1&&&b=2&&&"})
    void skipsEmptyPairs(String rawQuery) {
        QueryParameters parameters = QueryParameters.parse(rawQuery);

        assertThat(parameters.asMap()).containsExactly(entry("a", List.of("1")), entry("b", List.of("2")));
    }

    @Test
    void queryOfSeparatorsOnlyIsEmpty() {
        assertThat(QueryParameters.parse("&&").isEmpty()).isTrue();
    }

    @Test
    void decodesNamesAndValuesAsFormData() {
        QueryParameters parameters = QueryParameters.parse("full+name=Ada+Lovelace&sum=1%2B1&caf%C3%A9=%E2%82%AC");

        assertThat(parameters.first("full name")).isEqualTo("Ada Lovelace");
        assertThat(parameters.first("sum")).isEqualTo("1+1");
        assertThat(parameters.first("café")).isEqualTo("€");
    }

    @Test
    void escapedDelimitersDoNotSplit() {
        QueryParameters parameters = QueryParameters.parse("a=x%26b%3Dy");

        assertThat(parameters.asMap()).containsExactly(entry("a", List.of("x&b=y")));
    }

    @Test
    void keepsTheRawTextOfAComponentThatDoesNotDecode() {
        QueryParameters parameters = QueryParameters.parse("a=%ZZ&b%=1&c=%C3&d=ok+fine");

        assertThat(parameters.first("a")).isEqualTo("%ZZ");
        assertThat(parameters.first("b%")).isEqualTo("1");
        assertThat(parameters.first("c")).isEqualTo("%C3");
        assertThat(parameters.first("d")).isEqualTo("ok fine");
    }

    @Test
    void isUnmodifiable() {
        QueryParameters parameters = QueryParameters.parse("a=1");

        assertThatThrownBy(() -> parameters.asMap().put("b", List.of("2")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> parameters.all("a").add("2")).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> parameters.names().remove("a")).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void equalQueriesGiveEqualParameters() {
        assertThat(QueryParameters.parse("a=1&b=%32")).isEqualTo(QueryParameters.parse("a=1&&b=2"))
                .hasSameHashCodeAs(QueryParameters.parse("a=1&b=2"));
    }
}
