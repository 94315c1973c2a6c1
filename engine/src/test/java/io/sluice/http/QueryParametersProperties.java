package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.Tuple.Tuple2;

class QueryParametersProperties {

    @Property
    void parsingNeverThrows(@ForAll String anything) {
        QueryParameters.parse(anything);
    }

    @Property
    void parsingNeverThrowsOnDelimiterHeavyText(@ForAll("delimiterHeavy") String rawQuery) {
        QueryParameters parameters = QueryParameters.parse(rawQuery);

        assertThat(parameters.names()).allSatisfy(name -> assertThat(parameters.all(name)).isNotEmpty());
    }

    /** The JDK's form encoder is the reference for what a browser sends. */
    @Property
    void formEncodedPairsParseBackToTheSameParameters(@ForAll("pairs") List<Tuple2<String, String>> pairs) {
        String rawQuery = pairs.stream()
                .map(pair -> formEncode(pair.get1()) + "=" + formEncode(pair.get2()))
                .collect(Collectors.joining("&"));
        Map<String, List<String>> expected = new LinkedHashMap<>();
        pairs.forEach(pair -> expected.computeIfAbsent(pair.get1(), name -> new ArrayList<>()).add(pair.get2()));

        assertThat(QueryParameters.parse(rawQuery).asMap()).containsExactlyEntriesOf(expected);
    }

    private static String formEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    @Provide
    Arbitrary<String> delimiterHeavy() {
        return Arbitraries.strings().withChars("&=+%0123456789ABCDEFaz é").ofMaxLength(30);
    }

    @Provide
    Arbitrary<List<Tuple2<String, String>>> pairs() {
        // A small name alphabet makes repeated names, and so multi-valued parameters, common.
        Arbitrary<String> names = Arbitraries.oneOf(Arbitraries.of("a", "b", "c d", "é"), TestText.codePoints(0, 6));
        Arbitrary<String> values = TestText.codePoints(0, 8);
        return Combinators.combine(names, values).as(Tuple::of).list().ofMaxSize(6);
    }
}
