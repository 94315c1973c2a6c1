package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UriCodecTest {

    @Nested
    class DecodePath {

        @Test
        void returnsTheSameInstanceWhenThereIsNothingToDecode() {
            String plain = "/users/42/a+b";

            assertThat(UriCodec.decodePath(plain)).isSameAs(plain);
        }

        @Test
        void decodesEscapesOfEitherCase() {
            assertThat(UriCodec.decodePath("/a%20b%2fc%2Fd")).isEqualTo("/a b/c/d");
        }

        @Test
        void keepsPlusAsPlus() {
            assertThat(UriCodec.decodePath("a+b%2B")).isEqualTo("a+b+");
        }

        @Test
        void decodesMultiByteUtf8() {
            assertThat(UriCodec.decodePath("caf%C3%A9")).isEqualTo("café");
            assertThat(UriCodec.decodePath("%E2%82%AC")).isEqualTo("€");
            assertThat(UriCodec.decodePath("%F0%9F%98%80")).isEqualTo("😀");
            assertThat(UriCodec.decodePath("%F4%8F%BF%BF")).isEqualTo(new String(Character.toChars(0x10FFFF)));
        }

        @Test
        void copiesCharactersThatAreNotEscapes() {
            assertThat(UriCodec.decodePath("Jürgen%20S")).isEqualTo("Jürgen S");
        }

        @Test
        void decodesAnEscapedPercentOnlyOnce() {
            assertThat(UriCodec.decodePath("100%2525")).isEqualTo("100%25");
        }

        @ParameterizedTest
        @ValueSource(strings = {"%", "%2", "a%", "a%4", "%G0", "%0G", "%%41", "%-1", "% 20", "%\uFF10\uFF10"})
        void rejectsMalformedEscapes(String raw) {
            assertThat(UriCodec.decodePath(raw)).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "%80", // continuation byte without a lead byte
            "%BF",
            "%C3", // truncated two-byte sequence
            "%E2%82", // truncated three-byte sequence
            "%F0%9F%98", // truncated four-byte sequence
            "%C3A9", // sequence interrupted by a plain character
            "%C3%20", // lead byte followed by a non-continuation byte
            "%C0%AF", // overlong '/'
            "%C1%BF", // overlong
            "%E0%80%AF", // overlong '/'
            "%F0%80%80%AF", // overlong '/'
            "%ED%A0%80", // UTF-16 high surrogate
            "%ED%BF%BF", // UTF-16 low surrogate
            "%F4%90%80%80", // above U+10FFFF
            "%F5%80%80%80", // lead byte never used
            "%F8%88%80%80%80", // five-byte form
            "%FE", "%FF"
        })
        void rejectsBytesThatAreNotWellFormedUtf8(String raw) {
            assertThat(UriCodec.decodePath(raw)).isNull();
        }
    }

    @Nested
    class DecodeQueryComponent {

        @Test
        void readsPlusAsSpaceAndEscapedPlusAsPlus() {
            assertThat(UriCodec.decodeQueryComponent("a+b%2Bc")).isEqualTo("a b+c");
        }

        @Test
        void returnsTheSameInstanceWhenThereIsNothingToDecode() {
            String plain = "name=value";

            assertThat(UriCodec.decodeQueryComponent(plain)).isSameAs(plain);
        }

        @Test
        void rejectsMalformedInputLikeDecodePath() {
            assertThat(UriCodec.decodeQueryComponent("a+%ZZ")).isNull();
            assertThat(UriCodec.decodeQueryComponent("%C0%80")).isNull();
        }
    }

    @Nested
    class EncodePathSegment {

        @Test
        void returnsTheSameInstanceWhenEverythingIsUnreserved() {
            String unreserved = "AZaz09-._~";

            assertThat(UriCodec.encodePathSegment(unreserved)).isSameAs(unreserved);
        }

        @Test
        void escapesSlashSoTheResultStaysOneSegment() {
            assertThat(UriCodec.encodePathSegment("a/b c")).isEqualTo("a%2Fb%20c");
        }

        @Test
        void escapesCharactersWithMeaningInPathsOrQueries() {
            assertThat(UriCodec.encodePathSegment("%+?#&=")).isEqualTo("%25%2B%3F%23%26%3D");
        }

        @Test
        void writesNonAsciiAsUppercaseUtf8Escapes() {
            assertThat(UriCodec.encodePathSegment("café")).isEqualTo("caf%C3%A9");
            assertThat(UriCodec.encodePathSegment("€😀")).isEqualTo("%E2%82%AC%F0%9F%98%80");
        }

        @Test
        void refusesAnUnpairedSurrogate() {
            assertThatThrownBy(() -> UriCodec.encodePathSegment("a\uD800b"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("index 1");
        }
    }
}
