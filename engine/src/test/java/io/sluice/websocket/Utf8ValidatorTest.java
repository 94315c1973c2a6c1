package io.sluice.websocket;

import static io.sluice.websocket.MessageAssemblerTest.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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

    /**
     * Longer text, so the word-at-a-time path runs: characters of every length and every kind of damage
     * at every offset within a word, next to ASCII runs of every length. The result must be what a
     * byte-at-a-time reading of Unicode Table 3-7 gives (the same verdict as the JDK's strict decoder,
     * and the same first rejected byte), however the bytes are cut into pieces.
     */
    @Test
    void longerTextMatchesTheTableWhereverSplit() {
        PropertyCheck.forAll(1000, random -> {
            byte[] bytes = wordSizedText(random);
            Verdict expected = Verdict.byTable(bytes);
            assertThat(expected.isValid()).as("reference vs JDK for %s", hexOf(bytes)).isEqualTo(jdkAccepts(bytes));
            for (int cut = 0; cut <= bytes.length; cut++) {
                Verdict actual = validateInPieces(bytes, cut);
                if (!actual.equals(expected)) {
                    assertThat(actual).as("cut at %d: %s", cut, hexOf(bytes)).isEqualTo(expected);
                }
            }
            int[] points = Gen.splitPoints(random, bytes.length);
            assertThat(validateInPieces(bytes, points)).as("cut at %s", Arrays.toString(points)).isEqualTo(expected);
        });
    }

    /**
     * Every lead byte with every second byte, and third and fourth bytes at the edges of the
     * continuation range or not continuation bytes at all, at every offset of an ASCII line (so at
     * every lane of a word and across word boundaries): same verdict and rejected byte as the table.
     */
    @Test
    void everyTwoByteStartAtEveryOffsetMatchesTheTable() {
        int[] laterBytes = {0x80, 0xBF, 0x41, 0xC2};
        byte[] line = new byte[32];
        for (int offset = 0; offset <= 9; offset++) {
            for (int first = 0x80; first <= 0xFF; first++) {
                for (int second = 0; second <= 0xFF; second++) {
                    for (int third : laterBytes) {
                        for (int fourth : laterBytes) {
                            Arrays.fill(line, (byte) 'a');
                            line[offset] = (byte) first;
                            line[offset + 1] = (byte) second;
                            line[offset + 2] = (byte) third;
                            line[offset + 3] = (byte) fourth;
                            Verdict expected = Verdict.byTable(line);
                            Verdict actual = validateInPieces(line);
                            if (!actual.equals(expected)) {
                                assertThat(actual).as("%s", hexOf(line)).isEqualTo(expected);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void theTableAgreesWithTheJdkOnEveryFourByteStart() {
        int[] laterBytes = {0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0x41, 0xC2};
        CharsetDecoder jdk = strictDecoder();
        CharBuffer decoded = CharBuffer.allocate(8);
        byte[] bytes = new byte[4];
        for (int first = 0x80; first <= 0xFF; first++) {
            for (int second = 0; second <= 0xFF; second++) {
                for (int third : laterBytes) {
                    for (int fourth : laterBytes) {
                        bytes[0] = (byte) first;
                        bytes[1] = (byte) second;
                        bytes[2] = (byte) third;
                        bytes[3] = (byte) fourth;
                        jdk.reset();
                        decoded.clear();
                        boolean jdkAccepts = !jdk.decode(ByteBuffer.wrap(bytes), decoded, true).isError()
                                && !jdk.flush(decoded).isError();
                        if (Verdict.byTable(bytes).isValid() != jdkAccepts) {
                            assertThat(Verdict.byTable(bytes).isValid()).as("%s", hexOf(bytes)).isEqualTo(jdkAccepts);
                        }
                    }
                }
            }
        }
    }

    @Test
    void aSequenceCutByEveryPieceBoundaryCarriesOver() {
        byte[] bytes = "aé€😀bé€😀cé€😀d".repeat(3).getBytes(StandardCharsets.UTF_8);
        Verdict expected = Verdict.byTable(bytes);
        assertThat(expected.isValid()).isTrue();
        int[] everyByte = new int[bytes.length - 1];
        Arrays.setAll(everyByte, i -> i + 1);
        assertThat(validateInPieces(bytes, everyByte)).isEqualTo(expected);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertThat(validateInPieces(bytes, cut)).as("cut at %d", cut).isEqualTo(expected);
        }
    }

    /** The outcome of validating: the first rejected byte (-1: none), and whether the text may end there. */
    record Verdict(int rejectedAt, boolean complete) {

        boolean isValid() {
            return rejectedAt < 0 && complete;
        }

        /**
         * The reference: Unicode Table 3-7 (RFC 3629 §4) read byte by byte, each lead byte with the
         * ranges its following bytes must be in.
         */
        static Verdict byTable(byte[] bytes) {
            int i = 0;
            while (i < bytes.length) {
                int[][] ranges = followingRanges(bytes[i] & 0xFF);
                if (ranges == null) {
                    return new Verdict(i, false);
                }
                for (int k = 0; k < ranges.length; k++) {
                    int at = i + 1 + k;
                    if (at == bytes.length) {
                        return new Verdict(-1, false);
                    }
                    int b = bytes[at] & 0xFF;
                    if (b < ranges[k][0] || b > ranges[k][1]) {
                        return new Verdict(at, false);
                    }
                }
                i += 1 + ranges.length;
            }
            return new Verdict(-1, true);
        }

        private static final int[] TAIL = {0x80, 0xBF};
        private static final int[][] ASCII = {};
        private static final int[][] TWO = {TAIL};
        private static final int[][] THREE_AFTER_E0 = {{0xA0, 0xBF}, TAIL};
        private static final int[][] THREE = {TAIL, TAIL};
        private static final int[][] THREE_AFTER_ED = {{0x80, 0x9F}, TAIL};
        private static final int[][] FOUR_AFTER_F0 = {{0x90, 0xBF}, TAIL, TAIL};
        private static final int[][] FOUR = {TAIL, TAIL, TAIL};
        private static final int[][] FOUR_AFTER_F4 = {{0x80, 0x8F}, TAIL, TAIL};

        /** The ranges of the bytes that must follow {@code lead}, or null if it cannot start a character. */
        private static int[][] followingRanges(int lead) {
            if (lead <= 0x7F) {
                return ASCII;
            } else if (lead >= 0xC2 && lead <= 0xDF) {
                return TWO;
            } else if (lead == 0xE0) {
                return THREE_AFTER_E0;
            } else if (lead >= 0xE1 && lead <= 0xEC || lead == 0xEE || lead == 0xEF) {
                return THREE;
            } else if (lead == 0xED) {
                return THREE_AFTER_ED;
            } else if (lead == 0xF0) {
                return FOUR_AFTER_F0;
            } else if (lead >= 0xF1 && lead <= 0xF3) {
                return FOUR;
            } else if (lead == 0xF4) {
                return FOUR_AFTER_F4;
            }
            return null;
        }
    }

    /** Validates {@code bytes} cut at {@code points} into pieces, as a message arriving in reads. */
    private static Verdict validateInPieces(byte[] bytes, int... points) {
        Utf8Validator validator = new Utf8Validator();
        int from = 0;
        for (int i = 0; i <= points.length; i++) {
            int to = i < points.length ? points[i] : bytes.length;
            int end = validator.validate(bytes, from, to);
            if (end != to) {
                assertThat(validator.isFailed()).isTrue();
                return new Verdict(end, false);
            }
            from = to;
        }
        assertThat(validator.isFailed()).isFalse();
        return new Verdict(-1, validator.isComplete());
    }

    /**
     * Up to a few hundred bytes: ASCII runs of any length between characters of every length, with now
     * and then a damaged or truncated character, a boundary byte or a random one.
     */
    private static byte[] wordSizedText(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = Gen.size(random, 0, 60);
        boolean damaged = random.nextBoolean();
        for (int i = 0; i < pieces; i++) {
            int choice = random.nextInt(damaged ? 10 : 8);
            if (choice < 3) {
                out.writeBytes("abcdefghijklmnopq".substring(random.nextInt(17)).getBytes(StandardCharsets.US_ASCII));
            } else if (choice < 8) {
                out.writeBytes(Gen.unicode(random, 3).getBytes(StandardCharsets.UTF_8));
            } else if (choice == 8) {
                byte[] piece = Gen.unicode(random, 1).getBytes(StandardCharsets.UTF_8);
                out.write(piece, 0, random.nextInt(piece.length + 1));
            } else {
                out.write(random.nextBoolean() ? random.nextInt(256) : Gen.oneOf(random, 0x80, 0xBF, 0xC0, 0xC1,
                        0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFF, 0x9F, 0xA0, 0x8F, 0x90));
            }
        }
        return out.toByteArray();
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

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            strictDecoder().decode(ByteBuffer.wrap(bytes));
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
