package io.sluice.boot.web.resources;

/**
 * The single byte range a {@code Range} header asks of a representation (RFC 9110 §14), resolved against
 * its length.
 *
 * <p>Only one range is served. A header this does not parse, a unit other than {@code bytes}, or a list of
 * several ranges gives {@link #WHOLE}: the server may always answer with the whole representation instead
 * (§14.2), and that spares it multipart bodies and the amplification of overlapping ranges.
 */
final class ByteRange {

    /** Answer with the whole representation (200), ignoring the header. */
    static final ByteRange WHOLE = new ByteRange(-1, -1);

    /** No requested byte exists (416). */
    static final ByteRange UNSATISFIABLE = new ByteRange(-2, -2);

    private static final String UNIT = "bytes=";
    /** More digits than this cannot be a position in a file (and would overflow a long). */
    private static final int MAX_DIGITS = 18;

    private final long first;
    private final long last;

    private ByteRange(long first, long last) {
        this.first = first;
        this.last = last;
    }

    /** The range {@code header} asks of {@code length} bytes: a range, {@link #WHOLE} or {@link #UNSATISFIABLE}. */
    static ByteRange of(String header, long length) {
        if (header.length() <= UNIT.length() || !header.regionMatches(true, 0, UNIT, 0, UNIT.length())) {
            return WHOLE;
        }
        int start = UNIT.length();
        int end = header.length();
        while (start < end && isWhitespace(header.charAt(start))) {
            start++;
        }
        while (end > start && isWhitespace(header.charAt(end - 1))) {
            end--;
        }
        if (header.indexOf(',', start) >= 0) {
            return WHOLE;
        }
        int dash = header.indexOf('-', start);
        if (dash < 0 || dash >= end) {
            return WHOLE;
        }
        if (dash == start) {
            long suffix = digits(header, dash + 1, end);
            if (suffix < 0) {
                return WHOLE;
            }
            // A suffix longer than the representation asks for all of it (§14.1.2).
            return suffix == 0 || length == 0 ? UNSATISFIABLE : new ByteRange(Math.max(0, length - suffix), length - 1);
        }
        long first = digits(header, start, dash);
        if (first < 0) {
            return WHOLE;
        }
        long last = length - 1;
        if (dash + 1 < end) {
            last = digits(header, dash + 1, end);
            if (last < 0 || last < first) {
                return WHOLE; // not a valid range-spec: the header is ignored (§14.1.1)
            }
            last = Math.min(last, length - 1);
        }
        return first >= length ? UNSATISFIABLE : new ByteRange(first, last);
    }

    /**
     * The value of the digits in {@code [start, end)}; {@link Long#MAX_VALUE} for more than a long holds
     * (beyond any file, which still makes a well-formed header); -1 when empty or not all digits.
     */
    private static long digits(String text, int start, int end) {
        if (start >= end) {
            return -1;
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (i - start < MAX_DIGITS) {
                value = value * 10 + (c - '0');
            } else {
                value = Long.MAX_VALUE;
            }
        }
        return value;
    }

    private static boolean isWhitespace(char c) {
        return c == ' ' || c == '\t';
    }

    boolean isWhole() {
        return this == WHOLE;
    }

    boolean isUnsatisfiable() {
        return this == UNSATISFIABLE;
    }

    /** Offset of the first byte. */
    long first() {
        return first;
    }

    /** Offset of the last byte, inclusive. */
    long last() {
        return last;
    }

    long length() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return isWhole() ? "whole" : isUnsatisfiable() ? "unsatisfiable" : first + "-" + last;
    }
}
