package io.sluice.http;

import java.nio.charset.StandardCharsets;

/** Method tokens. Known methods resolve to shared constants, so parsing them allocates nothing. */
public final class HttpMethods {

    public static final String GET = "GET";
    public static final String HEAD = "HEAD";
    public static final String POST = "POST";
    public static final String PUT = "PUT";
    public static final String DELETE = "DELETE";
    public static final String PATCH = "PATCH";
    public static final String OPTIONS = "OPTIONS";
    public static final String TRACE = "TRACE";
    public static final String CONNECT = "CONNECT";

    private static final String[] KNOWN = {GET, HEAD, POST, PUT, DELETE, PATCH, OPTIONS, TRACE, CONNECT};

    private HttpMethods() {
    }

    /** The method named by {@code bytes[from, to)}: a shared constant when known, else a new string. */
    static String of(byte[] bytes, int from, int to) {
        int length = to - from;
        for (String known : KNOWN) {
            if (known.length() == length && matches(known, bytes, from)) {
                return known;
            }
        }
        return new String(bytes, from, length, StandardCharsets.ISO_8859_1);
    }

    private static boolean matches(String known, byte[] bytes, int from) {
        for (int i = 0; i < known.length(); i++) {
            if (bytes[from + i] != known.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
