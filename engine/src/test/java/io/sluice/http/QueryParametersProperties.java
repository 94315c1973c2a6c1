package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QueryParametersProperties {

    private static final int TRIES = 1000;

    @Test
    void parsingNeverThrows() {
        forAll(TRIES, random -> QueryParameters.parse(Gen.anyChars(random, 255)));
    }

    @Test
    void parsingNeverThrowsOnDelimiterHeavyText() {
        forAll(TRIES, random -> {
            String rawQuery = Gen.fromAlphabet(random, "&=+%0123456789ABCDEFaz é", 0, 30);
            QueryParameters parameters = QueryParameters.parse(rawQuery);

            assertThat(parameters.names()).as("names of %s", rawQuery)
                    .allSatisfy(name -> assertThat(parameters.all(name)).isNotEmpty());
        });
    }

    /** The JDK's form encoder is the reference for what a browser sends. */
    @Test
    void formEncodedPairsParseBackToTheSameParameters() {
        forAll(TRIES, random -> {
            List<Pair> pairs = Gen.list(random, 0, 6, QueryParametersProperties::pair);
            String rawQuery = pairs.stream()
                    .map(pair -> formEncode(pair.name()) + "=" + formEncode(pair.value()))
                    .collect(Collectors.joining("&"));
            Map<String, List<String>> expected = new LinkedHashMap<>();
            pairs.forEach(pair -> expected.computeIfAbsent(pair.name(), name -> new ArrayList<>()).add(pair.value()));

            assertThat(QueryParameters.parse(rawQuery).asMap()).as("parse(%s)", rawQuery)
                    .containsExactlyEntriesOf(expected);
        });
    }

    record Pair(String name, String value) {
    }

    /** A small name alphabet half of the time makes repeated names, and so multi-valued parameters, common. */
    private static Pair pair(Random random) {
        String name = random.nextBoolean() ? Gen.oneOf(random, "a", "b", "c d", "é") : Gen.codePoints(random, 0, 6);
        return new Pair(name, Gen.codePoints(random, 0, 8));
    }

    private static String formEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
