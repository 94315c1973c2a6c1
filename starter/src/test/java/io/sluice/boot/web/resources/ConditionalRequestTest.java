package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConditionalRequestTest {

    private static final String ETAG = "\"abc123\"";
    private static final String LAST_MODIFIED = "Tue, 15 Nov 1994 08:12:31 GMT";
    private static final long LAST_MODIFIED_SECOND = 784887151L;

    @ParameterizedTest
    @ValueSource(strings = {"\"abc123\"", "W/\"abc123\"", "*", " * ", "\"x\", \"abc123\"", "\"x\",W/\"abc123\"",
        "\"a,b\", \"abc123\"", "  \"abc123\"  "})
    void ifNoneMatchHitsTheTagByWeakComparison(String header) {
        assertThat(ConditionalRequest.noneMatchHits(header, ETAG)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\"abc12\"", "\"abc1234\"", "abc123", "\"ABC123\"", "", "W/", "\"abc123", "x, \"abc123\"",
        "w/\"abc123\""})
    void ifNoneMatchMissesAnythingElse(String header) {
        assertThat(ConditionalRequest.noneMatchHits(header, ETAG)).isFalse();
    }

    @Test
    void ifModifiedSinceHoldsForTheSameDateOrALaterOne() {
        assertThat(ConditionalRequest.notModifiedSince(LAST_MODIFIED, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isTrue();
        assertThat(ConditionalRequest.notModifiedSince("Tue, 15 Nov 1994 08:12:32 GMT", LAST_MODIFIED,
                LAST_MODIFIED_SECOND)).isTrue();
        assertThat(ConditionalRequest.notModifiedSince("Tue, 15 Nov 1994 08:12:30 GMT", LAST_MODIFIED,
                LAST_MODIFIED_SECOND)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "", "Tuesday, 15-Nov-94 08:12:31 GMT", "1994-11-15T08:12:31Z"})
    void anUnreadableIfModifiedSinceIsIgnored(String header) {
        assertThat(ConditionalRequest.notModifiedSince(header, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isFalse();
    }

    @Test
    void ifRangeNeedsTheSameStrongTagOrTheExactDate() {
        assertThat(ConditionalRequest.rangeStillValid(ETAG, ETAG, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isTrue();
        assertThat(ConditionalRequest.rangeStillValid("W/" + ETAG, ETAG, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isFalse();
        assertThat(ConditionalRequest.rangeStillValid("\"other\"", ETAG, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isFalse();
        assertThat(ConditionalRequest.rangeStillValid(LAST_MODIFIED, ETAG, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isTrue();
        assertThat(ConditionalRequest.rangeStillValid("Tue, 15 Nov 1994 08:12:32 GMT", ETAG, LAST_MODIFIED,
                LAST_MODIFIED_SECOND)).isFalse();
        assertThat(ConditionalRequest.rangeStillValid(LAST_MODIFIED, ETAG, null, 0)).isFalse();
        assertThat(ConditionalRequest.rangeStillValid("garbage", ETAG, LAST_MODIFIED, LAST_MODIFIED_SECOND)).isFalse();
    }
}
