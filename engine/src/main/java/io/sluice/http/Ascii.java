package io.sluice.http;

/** Byte-level ASCII helpers for the codec: no strings, no allocation. */
final class Ascii {

    private Ascii() {
    }

    static int toLower(int b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    /** Whether {@code bytes[from, from + lower.length())} equals {@code lower} ignoring ASCII case. */
    static boolean equalsIgnoreCase(byte[] bytes, int from, String name) {
        for (int i = 0; i < name.length(); i++) {
            if (toLower(bytes[from + i]) != toLower(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** Like {@link #equalsIgnoreCase} but for a lower-case {@code lower} and with the length checked. */
    static boolean is(byte[] bytes, int from, int to, String lower) {
        if (to - from != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (toLower(bytes[from + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    static boolean isWhitespace(int b) {
        return b == ' ' || b == '\t';
    }

    static boolean isDigit(int b) {
        return b >= '0' && b <= '9';
    }

    /** Value of a hex digit, or -1. */
    static int hexValue(int b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int lower = b | 0x20;
        if (lower >= 'a' && lower <= 'f') {
            return lower - 'a' + 10;
        }
        return -1;
    }
}
