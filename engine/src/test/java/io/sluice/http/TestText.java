package io.sluice.http;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** Generators for text that is valid Unicode, mostly ASCII (where the interesting delimiters live). */
public final class TestText {

    private TestText() {
    }

    /** Strings of {@code min} to {@code max} code points, never containing an unpaired surrogate. */
    public static Arbitrary<String> codePoints(int min, int max) {
        Arbitrary<Integer> ascii = Arbitraries.integers().between(0x20, 0x7E);
        Arbitrary<Integer> any = Arbitraries.integers().between(0, Character.MAX_CODE_POINT)
                .filter(c -> c < Character.MIN_SURROGATE || c > Character.MAX_SURROGATE);
        return Arbitraries.frequencyOf(
                        Tuple.of(3, ascii),
                        Tuple.of(1, any))
                .list().ofMinSize(min).ofMaxSize(max)
                .map(TestText::fromCodePoints);
    }

    private static String fromCodePoints(List<Integer> codePoints) {
        StringBuilder text = new StringBuilder();
        codePoints.forEach(text::appendCodePoint);
        return text.toString();
    }
}
