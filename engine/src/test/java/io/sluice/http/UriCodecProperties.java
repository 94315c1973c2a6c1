package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UriCodecProperties {

    private static final int TRIES = 1000;

    /** Lead and continuation bytes, so that valid and subtly broken UTF-8 both occur. */
    private static final byte[] STRUCTURAL_BYTES = {
        (byte) 0x41, (byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC2, (byte) 0xDF,
        (byte) 0xE0, (byte) 0xED, (byte) 0xEF, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF,
        (byte) 0x90, (byte) 0x9F, (byte) 0xA0};

    @Test
    void decodingNeverThrows() {
        forAll(TRIES, random -> {
            String anything = Gen.anyChars(random, 255);
            UriCodec.decodePath(anything);
            UriCodec.decodeQueryComponent(anything);
        });
    }

    @Test
    void decodingNeverThrowsOnEscapeHeavyText() {
        forAll(TRIES, random -> {
            String text = Gen.fromAlphabet(random, "%0123456789abcdefABCDEFgG/+ é", 0, 24);
            UriCodec.decodePath(text);
            UriCodec.decodeQueryComponent(text);
        });
    }

    @Test
    void encodedSegmentsDecodeToTheOriginal() {
        forAll(TRIES, random -> {
            String text = Gen.codePoints(random, 0, 16);
            String encoded = UriCodec.encodePathSegment(text);

            assertThat(encoded).matches("([A-Za-z0-9._~-]|%[0-9A-F]{2})*");
            assertThat(UriCodec.decodePath(encoded)).as("decodePath(%s)", encoded).isEqualTo(text);
            assertThat(UriCodec.decodeQueryComponent(encoded)).as("decodeQueryComponent(%s)", encoded).isEqualTo(text);
        });
    }

    /** The JDK's UTF-8 decoder, set to report errors, is the reference for which bytes are valid. */
    @Test
    void acceptsExactlyTheByteSequencesTheJdkDecoderAccepts() {
        forAll(TRIES, random -> {
            byte[] bytes = utf8ishBytes(random);
            StringBuilder escaped = new StringBuilder();
            for (byte b : bytes) {
                escaped.append(String.format("%%%02X", b & 0xFF));
            }

            assertThat(UriCodec.decodePath(escaped.toString())).as("decodePath(%s)", escaped)
                    .isEqualTo(strictUtf8(bytes));
        });
    }

    /** Up to 8 bytes, each a structural UTF-8 byte or any byte, even odds. */
    private static byte[] utf8ishBytes(Random random) {
        byte[] bytes = new byte[Gen.size(random, 0, 8)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextBoolean()
                    ? STRUCTURAL_BYTES[random.nextInt(STRUCTURAL_BYTES.length)]
                    : (byte) random.nextInt();
        }
        return bytes;
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
}
