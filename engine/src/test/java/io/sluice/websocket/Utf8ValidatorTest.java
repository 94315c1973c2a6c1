package io.sluice.websocket;

import static io.sluice.websocket.MessageAssemblerTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {

    @ParameterizedTest
    @ValueSource(ints = {0x0, 0x41, 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF, 0x10000, 0x10FFFF})
    void acceptsBoundaryCodePoints(int codePoint) {
        byte[] bytes = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isTrue();
    }

    /** The bytes and the index of the first byte that must be rejected. */
    @ParameterizedTest
    @CsvSource({
        "C0 80, 0", "C1 BF, 0", "E0 80 80, 1", "E0 9F BF, 1", "F0 80 80 80, 1", "F0 8F BF BF, 1",
        "ED A0 80, 1", "ED BF BF, 1", "F4 90 80 80, 1", "F5 80 80 80, 0", "F8 88 80 80 80, 0", "FF, 0", "FE, 0",
        "80, 0", "41 BF, 1", "C2 41, 1", "E1 80 41, 2", "F1 80 80 41, 3", "41 C2 C2, 2", "E2 82 AC 82, 3",
    })
    void rejectsAtTheFirstInvalidByteWhereverSplit(String hex, int index) {
        byte[] bytes = hex(hex);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8Validator validator = new Utf8Validator();
            int first = validator.validate(bytes, 0, cut);
            int result = first < cut ? first : validator.validate(bytes, cut, bytes.length);
            assertThat(result).as("cut at %d", cut).isEqualTo(index);
            assertThat(validator.isFailed()).isTrue();
            assertThat(validator.isComplete()).isFalse();
            assertThat(validator.validate(new byte[] {'a'}, 0, 1)).as("stays failed").isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"C2", "E1 80", "E0 A0", "F0 90 80", "F4 8F BF", "41 F1"})
    void truncatedSequencesAreNotComplete(String hex) {
        byte[] bytes = hex(hex);
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(bytes.length);
        assertThat(validator.isFailed()).isFalse();
        assertThat(validator.isComplete()).isFalse();
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isFalse();
        validator.reset();
        assertThat(validator.isComplete()).isTrue();
    }

    @Test
    void longAsciiRunsAndMixedText() {
        byte[] bytes = ("x".repeat(1000) + "é" + "y".repeat(17) + "𝄞").getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isTrue();
        bytes[1003] = (byte) 0xFF;
        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(1003);
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomInputSplitAnywhere() {
        PropertyCheck.forAll(3000, random -> {
            byte[] bytes = utf8ish(random);
            boolean expected = jdkAccepts(bytes);
            Utf8Validator validator = new Utf8Validator();
            int from = 0;
            int rejectedAt = -1;
            int[] points = Gen.splitPoints(random, bytes.length);
            for (int i = 0; i <= points.length && rejectedAt < 0; i++) {
                int to = i < points.length ? points[i] : bytes.length;
                int end = validator.validate(bytes, from, to);
                if (end < to) {
                    rejectedAt = end;
                }
                from = to;
            }
            assertThat(rejectedAt < 0 && validator.isComplete()).as("%s", hexOf(bytes)).isEqualTo(expected);
            if (rejectedAt >= 0) {
                // Everything before the rejected byte is a valid prefix: it can be completed.
                Utf8Validator prefix = new Utf8Validator();
                assertThat(prefix.validate(bytes, 0, rejectedAt)).isEqualTo(rejectedAt);
                assertThat(prefix.validate(bytes, rejectedAt, rejectedAt + 1)).isEqualTo(rejectedAt);
            }
        });
    }

    /** Mostly valid UTF-8 with the kinds of damage that matter: boundary bytes, truncation, stray bytes. */
    private static byte[] utf8ish(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = random.nextInt(8);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(5)) {
                case 0 -> out.writeBytes(Gen.unicode(random, 6).getBytes(StandardCharsets.UTF_8));
                case 1 -> out.write(Gen.oneOf(random, 0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
                        0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90));
                case 2 -> {
                    byte[] piece = Gen.unicode(random, 2).getBytes(StandardCharsets.UTF_8);
                    out.write(piece, 0, random.nextInt(piece.length + 1));
                }
                case 3 -> out.write(random.nextInt(256));
                default -> out.writeBytes("ascii text".getBytes(StandardCharsets.US_ASCII));
            }
        }
        return out.toByteArray();
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static String hexOf(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02X ", b));
        }
        return s.toString();
    }
}
