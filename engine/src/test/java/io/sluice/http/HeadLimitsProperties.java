package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * With limits close to the size of the head, whether it is accepted (and with which error it is
 * refused) must not depend on how its bytes were split across reads.
 */
class HeadLimitsProperties {

    record Head(String leading, String requestLine, List<String> fieldLines) {
        byte[] bytes() {
            StringBuilder s = new StringBuilder(leading).append(requestLine).append("\r\n");
            fieldLines.forEach(f -> s.append(f).append("\r\n"));
            return s.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }

        int sectionSize() {
            return fieldLines.stream().mapToInt(f -> f.length() + 2).sum();
        }

        @Override
        public String toString() {
            return new String(bytes(), StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    @Property(tries = 600)
    void outcomeAtTheLimitsDoesNotDependOnTheSplit(@ForAll("heads") Head head,
            @ForAll @IntRange(min = -2, max = 2) int lineSlack, @ForAll @IntRange(min = -2, max = 2) int sectionSlack,
            @ForAll @IntRange(min = -1, max = 1) int countSlack,
            @ForAll @Size(max = 12) Set<@IntRange(min = 1, max = 2000) Integer> cuts) {
        byte[] b = head.bytes();
        int maxLine = Math.max(1, head.requestLine.length() + lineSlack);
        int maxSection = Math.max(1, head.sectionSize() + sectionSlack);
        int maxCount = Math.max(1, head.fieldLines.size() + countSlack);

        RequestHeadParser whole = new RequestHeadParser(maxLine, maxSection, maxCount);
        int expected = whole.scan(b, 0, b.length);

        RequestHeadParser split = new RequestHeadParser(maxLine, maxSection, maxCount);
        TreeSet<Integer> points = new TreeSet<>();
        cuts.forEach(c -> points.add(1 + c % (b.length - 1)));
        // Always try the two splits that matter most: before the final LF and before the final CRLF.
        points.add(b.length - 1);
        points.add(b.length - 2);
        List<Integer> bounds = new ArrayList<>(points);
        bounds.add(b.length);
        int actual = RequestHeadParser.INCOMPLETE;
        for (int to : bounds) {
            actual = split.scan(b, 0, to);
            if (actual != RequestHeadParser.INCOMPLETE) {
                break;
            }
        }
        assertThat(actual).isEqualTo(expected);
        assertThat(split.error()).isEqualTo(whole.error());
        if (expected > 0) {
            assertThat(head.requestLine.length()).isLessThanOrEqualTo(maxLine);
            assertThat(head.sectionSize()).isLessThanOrEqualTo(maxSection);
            assertThat(head.fieldLines.size()).isLessThanOrEqualTo(maxCount);
        } else {
            assertThat(whole.error()).isIn(RequestError.URI_TOO_LONG, RequestError.HEADERS_TOO_LARGE,
                    RequestError.MALFORMED_REQUEST_LINE);
        }
    }

    @Provide
    Arbitrary<Head> heads() {
        Arbitrary<String> leading = Arbitraries.of("", "", "\r\n", "\r\n\r\n\r\n", "\r\n".repeat(12));
        Arbitrary<String> requestLine = Arbitraries.strings().withChars("abc/%?=").ofMaxLength(40)
                .map(t -> "GET /" + t + " HTTP/1.1");
        Arbitrary<List<String>> fields = Arbitraries.strings().withChars("xyz ").ofMaxLength(30)
                .map(v -> "X-F: " + v.trim()).list().ofMaxSize(6).map(fs -> {
                    List<String> all = new ArrayList<>(fs);
                    all.add(0, "Host: h");
                    return all;
                });
        return Combinators.combine(leading, requestLine, fields).as(Head::new);
    }
}
