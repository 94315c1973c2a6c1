package io.sluice.testing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Generators of random test inputs for {@link PropertyCheck}.
 *
 * <p>Plain uniform choices rarely hit the inputs where bugs live, so most generators here lean
 * towards edge cases on purpose:
 * <ul>
 *   <li>lengths and sizes ({@link #size}) are the minimum (often empty) or the maximum far more
 *       often than a uniform draw would make them;</li>
 *   <li>numbers from {@link #intIn} and {@link #longIn} are often a bound or next to one, and otherwise
 *       spread over all magnitudes rather than being almost always as large as the range allows.</li>
 * </ul>
 * {@link #between} and {@link #longBetween} stay uniform for when that is what a test wants.
 */
public final class Gen {

    /** RFC 9110 tchar: the characters of a token, such as a method or a field name. */
    public static final String TCHARS =
            "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private Gen() {
    }

    // ---------------------------------------------------------------- numbers

    /** An int in [min, max], uniformly. */
    public static int between(Random random, int min, int max) {
        return (int) longBetween(random, min, max);
    }

    /** A long in [min, max], uniformly. */
    public static long longBetween(Random random, long min, long max) {
        if (max - min + 1 > 0) {
            return min + Math.floorMod(random.nextLong(), max - min + 1);
        }
        long value; // the range is wider than Long.MAX_VALUE
        do {
            value = random.nextLong();
        } while (value < min || value > max);
        return value;
    }

    /**
     * An int in [min, max] that is often an edge case: about 1 in 8 draws is min, max, one next to
     * them, or 0 (if in range); of the rest, half are uniform and half pick a magnitude first, so that
     * small offsets from min (1, 2 or 3 digits) are as common as large ones.
     */
    public static int intIn(Random random, int min, int max) {
        return (int) longIn(random, min, max);
    }

    /** A long in [min, max], leaning towards edge cases and spread over magnitudes, like {@link #intIn}. */
    public static long longIn(Random random, long min, long max) {
        if (random.nextInt(8) == 0) {
            long[] edges = {min, max, min + 1, max - 1, 0};
            long edge = edges[random.nextInt(edges.length)];
            if (edge >= min && edge <= max) {
                return edge;
            }
            return min;
        }
        if (random.nextBoolean()) {
            return longBetween(random, min, max);
        }
        long span = max - min; // read as unsigned: the range may be wider than Long.MAX_VALUE
        int bits = 64 - Long.numberOfLeadingZeros(span);
        int magnitude = random.nextInt(bits + 1);
        long offset = magnitude == 0 ? 0 : random.nextLong() >>> (64 - magnitude);
        if (Long.compareUnsigned(offset, span) > 0) {
            offset = Long.remainderUnsigned(offset, span + 1);
        }
        return min + offset;
    }

    /**
     * A size in [min, max]: about 1 in 8 draws is min and 1 in 16 is max; the rest are uniform.
     * Use it for the length of anything generated, so that empty and full ones are common.
     */
    public static int size(Random random, int min, int max) {
        int choice = random.nextInt(16);
        if (choice < 2) {
            return min;
        }
        if (choice == 2) {
            return max;
        }
        return between(random, min, max);
    }

    /** True with the given probability. */
    public static boolean chance(Random random, double probability) {
        return random.nextDouble() < probability;
    }

    // ---------------------------------------------------------------- choices and collections

    /** One element of {@code options}. */
    @SafeVarargs
    public static <T> T oneOf(Random random, T... options) {
        return options[random.nextInt(options.length)];
    }

    /** One element of {@code options}. */
    public static <T> T oneOf(Random random, List<T> options) {
        return options.get(random.nextInt(options.size()));
    }

    /** {@code null} with the given probability, else a value from {@code generator}. */
    public static <T> T orNull(Random random, double probability, Supplier<T> generator) {
        return chance(random, probability) ? null : generator.get();
    }

    /** A list of {@link #size} min to max elements made by {@code element}. */
    public static <T> List<T> list(Random random, int min, int max, Function<Random, T> element) {
        int size = size(random, min, max);
        List<T> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            list.add(element.apply(random));
        }
        return list;
    }

    /**
     * A set of up to {@code maxSize} distinct ints in [min, max] from {@link #intIn}, so bounds are
     * common members; its size is drawn with {@link #size}.
     */
    public static Set<Integer> intSet(Random random, int maxSize, int min, int max) {
        int target = Math.min(size(random, 0, maxSize), max - min + 1);
        Set<Integer> set = new LinkedHashSet<>();
        for (int attempts = 0; set.size() < target && attempts < 10 * target + 10; attempts++) {
            set.add(intIn(random, min, max));
        }
        return set;
    }

    // ---------------------------------------------------------------- bytes

    /** Up to {@code maxLength} uniformly random bytes. */
    public static byte[] bytes(Random random, int maxLength) {
        byte[] bytes = new byte[size(random, 0, maxLength)];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Up to {@code maxLength} bytes, each one of {@code alphabet}. */
    public static byte[] bytesFrom(Random random, byte[] alphabet, int maxLength) {
        byte[] bytes = new byte[size(random, 0, maxLength)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return bytes;
    }

    /** {@code text}'s characters as bytes (each char must be below 0x100). */
    public static byte[] latin1(String text) {
        byte[] bytes = new byte[text.length()];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) text.charAt(i);
        }
        return bytes;
    }

    // ---------------------------------------------------------------- text

    /** All chars from {@code first} to {@code last}, as an alphabet for {@link #fromAlphabet}. */
    public static String charRange(char first, char last) {
        StringBuilder s = new StringBuilder();
        for (char c = first; c <= last; c++) {
            s.append(c);
        }
        return s.toString();
    }

    /** {@link #size} min to max characters, each one of {@code alphabet}. */
    public static String fromAlphabet(Random random, String alphabet, int minLength, int maxLength) {
        int length = size(random, minLength, maxLength);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            s.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return s.toString();
    }

    /** A token (RFC 9110 tchar+) of 1 to {@code maxLength} characters. */
    public static String token(Random random, int maxLength) {
        return fromAlphabet(random, TCHARS, 1, maxLength);
    }

    /** Letters and digits only. */
    public static String alphanumeric(Random random, int minLength, int maxLength) {
        return fromAlphabet(random, ALPHANUMERIC, minLength, maxLength);
    }

    /** Printable ASCII and spaces, trimmed: a valid header field value. */
    public static String fieldValue(Random random, int maxLength) {
        return fromAlphabet(random, charRange(' ', '~'), 0, maxLength).trim();
    }

    /**
     * Any chars at all, up to {@code maxLength}: mostly printable ASCII, but also controls, Latin-1,
     * any BMP char, surrogate pairs and unpaired surrogates. For "never throws" properties.
     */
    public static String anyChars(Random random, int maxLength) {
        int length = size(random, 0, maxLength);
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            switch (random.nextInt(8)) {
                case 0 -> s.append((char) between(random, 0, 0x1F));
                case 1 -> s.append((char) between(random, 0x7F, 0xFF));
                case 2 -> s.append((char) between(random, 0x100, 0xFFFF));
                case 3 -> s.appendCodePoint(between(random, 0x10000, Character.MAX_CODE_POINT));
                default -> s.append((char) between(random, 0x20, 0x7E));
            }
        }
        return s.toString();
    }

    /**
     * Valid Unicode text of {@code minCodePoints} to {@code maxCodePoints} code points, never with an
     * unpaired surrogate: three in four are printable ASCII (where the interesting delimiters live),
     * the rest any code point, supplementary ones included.
     */
    public static String codePoints(Random random, int minCodePoints, int maxCodePoints) {
        int length = size(random, minCodePoints, maxCodePoints);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < length; i++) {
            if (random.nextInt(4) != 0) {
                s.append((char) between(random, 0x20, 0x7E));
            } else {
                int codePoint;
                do {
                    codePoint = between(random, 0, Character.MAX_CODE_POINT);
                } while (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE);
                s.appendCodePoint(codePoint);
            }
        }
        return s.toString();
    }

    /** Any Unicode text, including supplementary characters, of up to {@code maxCodePoints}. */
    public static String unicode(Random random, int maxCodePoints) {
        StringBuilder s = new StringBuilder();
        int length = size(random, 0, maxCodePoints);
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

    // ---------------------------------------------------------------- splitting

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
}
