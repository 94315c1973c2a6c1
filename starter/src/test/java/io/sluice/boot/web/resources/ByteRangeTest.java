package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ByteRangeTest {

    private static final long LENGTH = 26;

    @ParameterizedTest(name = "{0} -> {1}-{2}")
    @CsvSource(delimiter = '|', value = {
        "bytes=0-4            | 0  | 4",
        "bytes=5-             | 5  | 25",
        "bytes=-3             | 23 | 25",
        "bytes=-100           | 0  | 25",
        "bytes=20-1000        | 20 | 25",
        "bytes=25-25          | 25 | 25",
        "BYTES=1-2            | 1  | 2",
        "bytes= 1-2           | 1  | 2",
        "bytes=0-99999999999999999999999 | 0 | 25",
    })
    void aSingleRange(String header, long first, long last) {
        ByteRange range = ByteRange.of(header, LENGTH);

        assertThat(range.isWhole()).isFalse();
        assertThat(range.isUnsatisfiable()).isFalse();
        assertThat(range.first()).isEqualTo(first);
        assertThat(range.last()).isEqualTo(last);
        assertThat(range.length()).isEqualTo(last - first + 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"bytes=26-", "bytes=26-30", "bytes=-0", "bytes=99999999999999999999-"})
    void rangesBeyondTheEndAreUnsatisfiable(String header) {
        assertThat(ByteRange.of(header, LENGTH).isUnsatisfiable()).isTrue();
    }

    @Test
    void nothingOfAnEmptyFileCanBeAskedFor() {
        assertThat(ByteRange.of("bytes=0-", 0).isUnsatisfiable()).isTrue();
        assertThat(ByteRange.of("bytes=-5", 0).isUnsatisfiable()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        // several ranges: answered whole, which the server may always do
        "bytes=0-1,3-4", "bytes=0-1, 30-40", "bytes=-1,0-",
        // not a byte range, or not a valid one: the header is ignored
        "bytes=", "bytes=-", "bytes=abc", "bytes=5-3", "bytes=1-2x", "bytes=x-2", "items=0-4", "0-4", "bytes 0-4",
        "bytes=--1", "bytes=+1-2", "bytes=1--2"
    })
    void everythingElseIsAnsweredWhole(String header) {
        assertThat(ByteRange.of(header, LENGTH).isWhole()).isTrue();
    }
}
