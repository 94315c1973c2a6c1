package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;

class HttpDateProperties {

    /** IMF-fixdate (RFC 9110 §5.6.7): always a two-digit day, English names, GMT. */
    private static final DateTimeFormatter IMF_FIXDATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Property(tries = 300)
    void formatAgreesWithJavaTime(@ForAll @LongRange(min = 0, max = 253402300799L) long epochSecond) {
        String formatted = HttpDate.format(epochSecond);
        assertThat(formatted).hasSize(29).isEqualTo(IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond)));
    }

    @Property(tries = 200)
    void updateFollowsTheClockSecondBySecond(@ForAll @LongRange(min = 0, max = 253402300799999L) long millis) {
        HttpDate date = new HttpDate();
        date.update(millis);
        assertThat(new String(date.line(), java.nio.charset.StandardCharsets.US_ASCII))
                .isEqualTo("Date: " + HttpDate.format(millis / 1000) + "\r\n");
    }
}
