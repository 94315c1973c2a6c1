package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpDateProperties {

    /** IMF-fixdate (RFC 9110 §5.6.7): always a two-digit day, English names, GMT. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /** The last second of 9999-12-31. */
    private static final long MAX_EPOCH_SECOND = 253402300799L;

    @Test
    void formatAgreesWithJavaTime() {
        forAll(300, random -> {
            long epochSecond = Gen.longIn(random, 0, MAX_EPOCH_SECOND);
            String formatted = HttpDate.format(epochSecond);
            assertThat(formatted).as("epoch second %d", epochSecond)
                    .hasSize(29).isEqualTo(IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond)));
        });
    }

    @Test
    void updateFollowsTheClockSecondBySecond() {
        forAll(200, random -> {
            long millis = Gen.longIn(random, 0, MAX_EPOCH_SECOND * 1000 + 999);
            HttpDate date = new HttpDate();
            date.update(millis);
            assertThat(new String(date.line(), StandardCharsets.US_ASCII)).as("millis %d", millis)
                    .isEqualTo("Date: " + HttpDate.format(millis / 1000) + "\r\n");
        });
    }
}
