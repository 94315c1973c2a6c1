package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HttpDateTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "784111777|Sun, 06 Nov 1994 08:49:37 GMT",
        "0|Thu, 01 Jan 1970 00:00:00 GMT",
        "-1|Wed, 31 Dec 1969 23:59:59 GMT",
        "951782400|Tue, 29 Feb 2000 00:00:00 GMT",
        "1709596800|Tue, 05 Mar 2024 00:00:00 GMT",
        "1735689599|Tue, 31 Dec 2024 23:59:59 GMT",
        "253402300799|Fri, 31 Dec 9999 23:59:59 GMT"
    })
    void formatsImfFixdate(long epochSecond, String expected) {
        assertThat(HttpDate.format(epochSecond)).isEqualTo(expected);
    }

    @Test
    void lineIsTheDateFieldWithCrLf() {
        HttpDate date = new HttpDate();
        date.update(784111777_123L);
        assertThat(new String(date.line(), StandardCharsets.US_ASCII))
                .isEqualTo("Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n");
        assertThat(date.line()).hasSize(37);
    }

    @Test
    void reEncodesOnlyWhenTheSecondChanges() {
        HttpDate date = new HttpDate();
        date.update(1_000_000_000_000L);
        byte[] first = date.line();
        date.update(1_000_000_000_999L);
        assertThat(date.line()).isSameAs(first);
        date.update(1_000_000_001_000L);
        assertThat(date.line()).isNotSameAs(first);
        assertThat(new String(date.line(), StandardCharsets.US_ASCII)).contains("01:46:41 GMT");
        date.update(1_000_000_000_500L); // the clock went back a second
        assertThat(new String(date.line(), StandardCharsets.US_ASCII)).contains("01:46:40 GMT");
    }

    @Test
    void negativeMillisRoundDownToTheEarlierSecond() {
        HttpDate date = new HttpDate();
        date.update(-1);
        assertThat(new String(date.line(), StandardCharsets.US_ASCII))
                .isEqualTo("Date: Wed, 31 Dec 1969 23:59:59 GMT\r\n");
    }
}
