package io.sluice.http;

import io.sluice.api.Headers;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A parsed request line and header section. It keeps the head's bytes and the offsets of each part,
 * and turns them into strings only when asked: a handler that reads two headers creates two strings.
 *
 * <p>Framing facts the connection needs on every request (body length, chunked, keep-alive,
 * 100-continue, upgrade) are decided while parsing and stored as plain fields.
 */
public final class RequestHead implements Headers {

    /** Body length when the request has none or is chunked. */
    public static final long NO_CONTENT_LENGTH = -1;

    private final byte[] bytes;
    private final String method;
    private final int targetStart;
    private final int targetEnd;
    private final int pathStart;
    private final int pathEnd;
    private final boolean http11;
    /** Four offsets per field: name start, name end, value start, value end. */
    private final int[] fields;
    private final int fieldCount;
    private final long contentLength;
    private final boolean chunked;
    private final boolean keepAlive;
    private final boolean expectContinue;
    private final boolean upgrade;

    private String target;
    private String rawPath;

    RequestHead(byte[] bytes, String method, int targetStart, int targetEnd, int pathStart, int pathEnd,
            boolean http11, int[] fields, int fieldCount, long contentLength, boolean chunked, boolean keepAlive,
            boolean expectContinue, boolean upgrade) {
        this.bytes = bytes;
        this.method = method;
        this.targetStart = targetStart;
        this.targetEnd = targetEnd;
        this.pathStart = pathStart;
        this.pathEnd = pathEnd;
        this.http11 = http11;
        this.fields = fields;
        this.fieldCount = fieldCount;
        this.contentLength = contentLength;
        this.chunked = chunked;
        this.keepAlive = keepAlive;
        this.expectContinue = expectContinue;
        this.upgrade = upgrade;
    }

    /** Whether {@code bytes[from, to)} is exactly this head's target. */
    boolean sameTarget(byte[] other, int from, int to) {
        return Arrays.equals(bytes, targetStart, targetEnd, other, from, to);
    }

    /** Takes the target strings of an earlier head with the same target bytes (computing them if needed). */
    void adoptTargetStrings(RequestHead earlier) {
        this.target = earlier.target();
        this.rawPath = earlier.rawPath();
    }

    public String method() {
        return method;
    }

    public String target() {
        if (target == null) {
            target = ascii(targetStart, targetEnd);
        }
        return target;
    }

    /**
     * The path part of the target, still percent-encoded ({@code *} for an asterisk-form OPTIONS,
     * {@code /} for an absolute-form target with an empty path).
     */
    public String rawPath() {
        if (rawPath == null) {
            rawPath = pathStart == pathEnd ? "/"
                    : pathStart == targetStart && pathEnd == targetEnd ? target() : ascii(pathStart, pathEnd);
        }
        return rawPath;
    }

    /** The query without {@code '?'}, or {@code null}. */
    public String rawQuery() {
        return pathEnd < targetEnd ? ascii(pathEnd + 1, targetEnd) : null;
    }

    public boolean isHttp11() {
        return http11;
    }

    public String version() {
        return http11 ? "HTTP/1.1" : "HTTP/1.0";
    }

    /** Declared body length, or {@link #NO_CONTENT_LENGTH}. */
    public long contentLength() {
        return contentLength;
    }

    public boolean isChunked() {
        return chunked;
    }

    /** Whether the request has a body to read. */
    public boolean hasBody() {
        return chunked || contentLength > 0;
    }

    /** Whether the connection may stay open after this exchange, by version and Connection header. */
    public boolean keepAlive() {
        return keepAlive;
    }

    public boolean expectContinue() {
        return expectContinue;
    }

    /** Whether {@code Connection} holds the {@code upgrade} token and an {@code Upgrade} field is present. */
    public boolean isUpgradeRequest() {
        return upgrade;
    }

    @Override
    public int size() {
        return fieldCount;
    }

    @Override
    public String name(int index) {
        checkIndex(index);
        return ascii(fields[index * 4], fields[index * 4 + 1]);
    }

    @Override
    public String value(int index) {
        checkIndex(index);
        return latin1(fields[index * 4 + 2], fields[index * 4 + 3]);
    }

    @Override
    public String first(String name) {
        int index = indexOf(name, 0);
        return index < 0 ? null : latin1(fields[index * 4 + 2], fields[index * 4 + 3]);
    }

    @Override
    public List<String> all(String name) {
        int index = indexOf(name, 0);
        if (index < 0) {
            return Collections.emptyList();
        }
        List<String> values = new ArrayList<>(2);
        while (index >= 0) {
            values.add(latin1(fields[index * 4 + 2], fields[index * 4 + 3]));
            index = indexOf(name, index + 1);
        }
        return values;
    }

    @Override
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /** Index of the first field named {@code name} at or after {@code from}, comparing bytes without allocating. */
    private int indexOf(String name, int from) {
        int length = name.length();
        for (int i = from; i < fieldCount; i++) {
            int start = fields[i * 4];
            if (fields[i * 4 + 1] - start == length && Ascii.equalsIgnoreCase(bytes, start, name)) {
                return i;
            }
        }
        return -1;
    }

    private void checkIndex(int index) {
        if (index < 0 || index >= fieldCount) {
            throw new IndexOutOfBoundsException(index);
        }
    }

    private String ascii(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.US_ASCII);
    }

    /** Field values are ISO-8859-1 on the wire (RFC 9110 §5.5: obs-text is opaque octets). */
    private String latin1(int from, int to) {
        return new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
    }

    @Override
    public String toString() {
        return method + " " + target() + " " + version();
    }
}
