package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class UriCodecProperties {

    @Property
    void decodingNeverThrows(@ForAll String anything) {
        UriCodec.decodePath(anything);
        UriCodec.decodeQueryComponent(anything);
    }

    @Property
    void decodingNeverThrowsOnEscapeHeavyText(@ForAll("escapeHeavy") String text) {
        UriCodec.decodePath(text);
        UriCodec.decodeQueryComponent(text);
    }

    @Property
    void encodedSegmentsDecodeToTheOriginal(@ForAll("unicodeText") String text) {
        String encoded = UriCodec.encodePathSegment(text);

        assertThat(encoded).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*");
        assertThat(UriCodec.decodePath(encoded)).isEqualTo(text);
        assertThat(UriCodec.decodeQueryComponent(encoded)).isEqualTo(text);
    }

    /** The JDK's UTF-8 decoder, set to report errors, is the reference for which bytes are valid. */
    @Property
    void acceptsExactlyTheByteSequencesTheJdkDecoderAccepts(@ForAll("utf8ishBytes") List<Byte> bytes) {
        byte[] array = new byte[bytes.size()];
        StringBuilder escaped = new StringBuilder();
        for (int i = 0; i < array.length; i++) {
            array[i] = bytes.get(i);
            escaped.append(String.format("%%%02X", array[i] & 0xFF));
        }

        assertThat(UriCodec.decodePath(escaped.toString())).isEqualTo(strictUtf8(array));
    }

    private static String strictUtf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException malformed) {
            return null;
        }
    }

    @Provide
    Arbitrary<String> escapeHeavy() {
        return Arbitraries.strings().withChars("%0123456789abcdefABCDEFgG/+ é").ofMaxLength(24);
    }

    @Provide
    Arbitrary<String> unicodeText() {
        return TestText.codePoints(0, 16);
    }

    /** Bytes weighted towards lead and continuation bytes, so that valid and subtly broken UTF-8 both occur. */
    @Provide
    Arbitrary<List<Byte>> utf8ishBytes() {
        Arbitrary<Byte> structural = Arbitraries.of(
                (byte) 0x41, (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
                (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF,
                (byte) 0x90, (byte) 0x9F, (byte) 0xA0);
        return Arbitraries.oneOf(structural, Arbitraries.bytes()).list().ofMaxSize(8);
    }
}
