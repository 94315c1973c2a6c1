package io.sluice.testing;

import java.util.Arrays;
import java.util.Random;

/** Generators of random test inputs for {@link PropertyCheck}. */
public final class Gen {

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private Gen() {
    }

    /** An int in [min, max]. */
    public static int between(Random random, int min, int max) {
        return min + random.nextInt(max - min + 1);
    }

    public static byte[] bytes(Random random, int maxLength) {
        byte[] bytes = new byte[random.nextInt(maxLength + 1)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** A token (RFC 9110 tchar+) of 1 to {@code maxLength} characters. */
    public static String token(Random random, int maxLength) {
        return fromAlphabet(random, TCHARS, 1, maxLength);
    }

    /** Letters and digits only. */
    public static String alphanumeric(Random random, int minLength, int maxLength) {
        return fromAlphabet(random, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", minLength, maxLength);
    }

    /** Printable ASCII and spaces, trimmed: a valid header field value. */
    public static String fieldValue(Random random, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxLength + 1);
        for (int i = 0; i < length; i++) {
            s.append((char) between(random, 0x20, 0x7E));
        }
        return s.toString().trim();
    }

    /** Any Unicode text, including supplementary characters, of up to {@code maxCodePoints}. */
    public static String unicode(Random random, int maxCodePoints) {
        StringBuilder s = new StringBuilder();
        int length = random.nextInt(maxCodePoints + 1);
        for (int i = 0; i < length; i++) {
            int codePoint;
            do {
                codePoint = switch (random.nextInt(4)) {
                    case 0 -> between(random, 0x20, 0x7E);
                    case 1 -> between(random, 0xA0, 0x7FF);
                    case 2 -> between(random, 0x800, 0xFFFF);
                    default -> between(random, 0x10000, 0x10FFFF);
                };
            } while (codePoint >= 0xD800 && codePoint <= 0xDFFF);
            s.appendCodePoint(codePoint);
        }
        return s.toString();
    }

    public static String fromAlphabet(Random random, String alphabet, int minLength, int maxLength) {
        StringBuilder s = new StringBuilder();
        int length = between(random, minLength, maxLength);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** Sorted, distinct cut points in (0, length): where to split {@code length} bytes into pieces. */
    public static int[] splitPoints(Random random, int length) {
        if (length < 2) {
            return new int[0];
        }
        int cuts = random.nextInt(Math.min(length - 1, 16) + 1);
        int[] points = random.ints(cuts, 1, length).distinct().sorted().toArray();
        return Arrays.copyOf(points, points.length);
    }

    /** {@code bytes} cut at {@code points}. */
    public static byte[][] split(byte[] bytes, int[] points) {
        byte[][] pieces = new byte[points.length + 1][];
        int from = 0;
        for (int i = 0; i <= points.length; i++) {
            int to = i < points.length ? points[i] : bytes.length;
            pieces[i] = Arrays.copyOfRange(bytes, from, to);
            from = to;
        }
        return pieces;
    }

    /** One element of {@code options}. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }
}
