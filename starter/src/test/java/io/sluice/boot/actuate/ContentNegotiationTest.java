package io.sluice.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

class ContentNegotiationTest {

    private static final List<MimeType> PROMETHEUS = List.of(
            MimeTypeUtils.parseMimeType("text/plain;version=0.0.4;charset=utf-8"),
            MimeTypeUtils.parseMimeType("application/openmetrics-text;version=1.0.0;charset=utf-8"));
    private static final int TEXT = 0;
    private static final int OPEN_METRICS = 1;

    @Test
    void withoutAcceptTheDefaultIsSent() {
        assertThat(ContentNegotiation.choose(null, PROMETHEUS)).isEqualTo(TEXT);
        assertThat(ContentNegotiation.choose("", PROMETHEUS)).isEqualTo(TEXT);
        assertThat(ContentNegotiation.choose("*/*", PROMETHEUS)).isEqualTo(TEXT);
    }

    @Test
    void prometheusOwnAcceptHeaderGetsOpenMetrics() {
        String prometheus = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
                + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";
        assertThat(ContentNegotiation.choose(prometheus, PROMETHEUS)).isEqualTo(OPEN_METRICS);
    }

    @Test
    void higherQualityWinsAndTiesGoToTheDefault() {
        assertThat(ContentNegotiation.choose("application/openmetrics-text; q=0.4, text/plain; q=0.9", PROMETHEUS))
                .isEqualTo(TEXT);
        assertThat(ContentNegotiation.choose("application/openmetrics-text, text/plain", PROMETHEUS)).isEqualTo(TEXT);
        assertThat(ContentNegotiation.choose("application/*", PROMETHEUS)).isEqualTo(OPEN_METRICS);
    }

    @Test
    void theMostSpecificRangeDecidesAType() {
        // text/plain is refused outright although */* would accept it.
        assertThat(ContentNegotiation.choose("text/plain;q=0, */*", PROMETHEUS)).isEqualTo(OPEN_METRICS);
        assertThat(ContentNegotiation.choose("text/plain;version=0.0.4;q=0, text/plain, application/openmetrics-text;q=0.5",
                PROMETHEUS)).isEqualTo(OPEN_METRICS);
    }

    @Test
    void parametersMustMatchWhatWeProduce() {
        assertThat(ContentNegotiation.choose("application/openmetrics-text;version=0.0.1", PROMETHEUS))
                .isEqualTo(ContentNegotiation.NOT_ACCEPTABLE);
        assertThat(ContentNegotiation.choose("text/plain;version=\"0.0.4\"", PROMETHEUS)).isEqualTo(TEXT);
    }

    @Test
    void nothingAcceptableOrAnUnreadableHeaderIsNotAcceptable() {
        assertThat(ContentNegotiation.choose("application/json", PROMETHEUS)).isEqualTo(ContentNegotiation.NOT_ACCEPTABLE);
        assertThat(ContentNegotiation.choose("text/plain;q=0", PROMETHEUS)).isEqualTo(ContentNegotiation.NOT_ACCEPTABLE);
        assertThat(ContentNegotiation.choose("not a media type", PROMETHEUS))
                .isEqualTo(ContentNegotiation.NOT_ACCEPTABLE);
        assertThat(ContentNegotiation.choose("text/plain;q=abc", PROMETHEUS)).isEqualTo(ContentNegotiation.NOT_ACCEPTABLE);
    }
}
