package io.sluice.http;

/**
 * Percent-decoding and -encoding of URI components (RFC 3986 §2.1) with UTF-8 as the character
 * encoding.
 *
 * <p>Decoding is strict and total: it returns {@code null} for input it cannot decode and never
 * throws, because its input comes straight off the wire and a malformed escape is an ordinary
 * client error (answered with 400), not an exceptional state of the server. Characters other than
 * escapes are copied as they are; the request parser is responsible for rejecting characters that
 * are not allowed in a request-target.
 */
public final class UriCodec {

    private static final char[] HEX_DIGITS = "0123456789ABCDEF".toCharArray();

    private UriCodec() {
    }

    /**
     * Percent-decodes a path or path segment. {@code '+'} is an ordinary character in a path and is
     * kept.
     *
     * @return the decoded text; {@code raw} itself when it holds no {@code '%'}; or {@code null} when
     *     a {@code '%'} is not followed by two hex digits or the escaped bytes are not well-formed UTF-8
     */
    public static String decodePath(String raw) {
        int firstEscape = raw.indexOf('%');
        return firstEscape < 0 ? raw : decode(raw, firstEscape, false);
    }

    /**
     * Percent-decodes a query name or value following {@code application/x-www-form-urlencoded},
     * where {@code '+'} stands for a space.
     *
     * @return the decoded text; {@code raw} itself when it holds neither {@code '%'} nor {@code '+'};
     *     or {@code null} when malformed, as for {@link #decodePath(String)}
     */
    public static String decodeQueryComponent(String raw) {
        int firstSpecial = firstEscapeOrPlus(raw);
        return firstSpecial < 0 ? raw : decode(raw, firstSpecial, true);
    }

    /**
     * Percent-encodes {@code text} so it can stand as one path segment: every character except the
     * RFC 3986 unreserved ones ({@code A-Z a-z 0-9 - . _ ~}) is written as escaped UTF-8 bytes. That
     * includes {@code '/'}, so the result never splits into several segments, and {@code '+'}, so
     * the result is also safe as a query component.
     *
     * @return {@code text} itself when nothing needs escaping
     * @throws IllegalArgumentException if {@code text} holds an unpaired surrogate, which has no UTF-8
     *     encoding
     */
    public static String encodePathSegment(String text) {
        int first = 0;
        while (first < text.length() && isUnreserved(text.charAt(first))) {
            first++;
        }
        if (first == text.length()) {
            return text;
        }
        StringBuilder encoded = new StringBuilder(text.length() + 16).append(text, 0, first);
        for (int i = first; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            if (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE) {
                throw new IllegalArgumentException("Unpaired surrogate at index " + i + " cannot be encoded");
            }
            if (isUnreserved(codePoint)) {
                encoded.append((char) codePoint);
            } else {
                appendUtf8Escaped(encoded, codePoint);
            }
            i += Character.charCount(codePoint);
        }
        return encoded.toString();
    }

    private static int firstEscapeOrPlus(String raw) {
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' || c == '+') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Decodes from {@code start} on, having established that everything before it is plain. Escaped
     * bytes are assembled into code points on the fly, so no intermediate byte array is needed; the
     * output is never longer than the input (three input characters yield at most one output char).
     */
    private static String decode(String raw, int start, boolean plusIsSpace) {
        int length = raw.length();
        char[] out = new char[length];
        raw.getChars(0, start, out, 0);
        int written = start;
        int i = start;
        while (i < length) {
            char c = raw.charAt(i);
            if (c != '%') {
                out[written++] = plusIsSpace && c == '+' ? ' ' : c;
                i++;
                continue;
            }
            int lead = escapedByte(raw, i);
            if (lead < 0) {
                return null;
            }
            i += 3;
            if (lead < 0x80) {
                out[written++] = (char) lead;
                continue;
            }
            int continuationBytes;
            int codePoint;
            int smallestAllowed;
            if ((lead & 0xE0) == 0xC0) {
                continuationBytes = 1;
                codePoint = lead & 0x1F;
                smallestAllowed = 0x80;
            } else if ((lead & 0xF0) == 0xE0) {
                continuationBytes = 2;
                codePoint = lead & 0x0F;
                smallestAllowed = 0x800;
            } else if ((lead & 0xF8) == 0xF0) {
                continuationBytes = 3;
                codePoint = lead & 0x07;
                smallestAllowed = 0x10000;
            } else {
                return null; // a stray continuation byte, or a lead byte no valid UTF-8 uses
            }
            for (int k = 0; k < continuationBytes; k++) {
                // A multi-byte sequence must be escaped throughout; a plain character inside it truncates it.
                int next = i < length && raw.charAt(i) == '%' ? escapedByte(raw, i) : -1;
                if (next < 0 || (next & 0xC0) != 0x80) {
                    return null;
                }
                codePoint = codePoint << 6 | next & 0x3F;
                i += 3;
            }
            // Overlong forms would let "%C0%AF" smuggle a '/' past a check on the encoded text.
            if (codePoint < smallestAllowed || codePoint > Character.MAX_CODE_POINT
                    || (codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)) {
                return null;
            }
            written += Character.toChars(codePoint, out, written);
        }
        return new String(out, 0, written);
    }

    /** The byte escaped as {@code %XX} at {@code percent}, or -1 when the escape is malformed. */
    private static int escapedByte(String raw, int percent) {
        if (percent + 2 >= raw.length()) {
            return -1;
        }
        int high = hexValue(raw.charAt(percent + 1));
        int low = hexValue(raw.charAt(percent + 2));
        return high < 0 || low < 0 ? -1 : high << 4 | low;
    }

    /** ASCII hex digits only: {@link Character#digit} would also accept e.g. full-width digits. */
    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    private static boolean isUnreserved(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                || c == '-' || c == '.' || c == '_' || c == '~';
    }

    private static void appendUtf8Escaped(StringBuilder out, int codePoint) {
        if (codePoint < 0x80) {
            appendEscaped(out, codePoint);
        } else if (codePoint < 0x800) {
            appendEscaped(out, 0xC0 | codePoint >> 6);
            appendEscaped(out, 0x80 | codePoint & 0x3F);
        } else if (codePoint < 0x10000) {
            appendEscaped(out, 0xE0 | codePoint >> 12);
            appendEscaped(out, 0x80 | codePoint >> 6 & 0x3F);
            appendEscaped(out, 0x80 | codePoint & 0x3F);
        } else {
            appendEscaped(out, 0xF0 | codePoint >> 18);
            appendEscaped(out, 0x80 | codePoint >> 12 & 0x3F);
            appendEscaped(out, 0x80 | codePoint >> 6 & 0x3F);
            appendEscaped(out, 0x80 | codePoint & 0x3F);
        }
    }

    private static void appendEscaped(StringBuilder out, int octet) {
        out.append('%').append(HEX_DIGITS[octet >> 4]).append(HEX_DIGITS[octet & 0xF]);
    }
}
