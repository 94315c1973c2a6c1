package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

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

    @Test
    void outcomeAtTheLimitsDoesNotDependOnTheSplit() {
        forAll(600, random -> {
            Head head = head(random);
            int lineSlack = Gen.intIn(random, -2, 2);
            int sectionSlack = Gen.intIn(random, -2, 2);
            int countSlack = Gen.intIn(random, -1, 1);
            Set<Integer> cuts = Gen.intSet(random, 12, 1, 2000);
            assertOutcomeDoesNotDependOnTheSplit(head, lineSlack, sectionSlack, countSlack, cuts);
        });
    }

    private static void assertOutcomeDoesNotDependOnTheSplit(Head head, int lineSlack, int sectionSlack,
            int countSlack, Set<Integer> cuts) {
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
        assertThat(actual).as("scan of %s split at %s", head, bounds).isEqualTo(expected);
        assertThat(split.error()).as("error for %s split at %s", head, bounds).isEqualTo(whole.error());
        if (expected > 0) {
            assertThat(head.requestLine.length()).isLessThanOrEqualTo(maxLine);
            assertThat(head.sectionSize()).isLessThanOrEqualTo(maxSection);
            assertThat(head.fieldLines.size()).isLessThanOrEqualTo(maxCount);
        } else {
            assertThat(whole.error()).isIn(RequestError.URI_TOO_LONG, RequestError.HEADERS_TOO_LARGE,
                    RequestError.MALFORMED_REQUEST_LINE);
        }
    }

    private static Head head(Random random) {
        String leading = Gen.oneOf(random, "", "", "\r\n", "\r\n\r\n\r\n", "\r\n".repeat(12));
        String requestLine = "GET /" + Gen.fromAlphabet(random, "abc/%?=", 0, 40) + " HTTP/1.1";
        List<String> fields = new ArrayList<>();
        fields.add("Host: h");
        fields.addAll(Gen.list(random, 0, 6, r -> "X-F: " + Gen.fromAlphabet(r, "xyz ", 0, 30).trim()));
        return new Head(leading, requestLine, fields);
    }
}
