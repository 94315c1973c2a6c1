package io.sluice.http;

import io.sluice.api.HttpResponse;
import io.sluice.api.HttpStatus;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Writes response heads as bytes. Everything that does not change per response is encoded ahead of
 * time: status lines, the {@code Server} line, field names, and the response's own header fields
 * (encoded when the {@link HttpResponse} was built). Per response it copies a few arrays and writes
 * the decimal digits of the content length.
 */
public final class ResponseEncoder {

    private static final byte[][] STATUS_LINES = new byte[600][];
    private static final byte[] CRLF = {'\r', '\n'};
    private static final byte[] CONTENT_LENGTH = ascii("Content-Length: ");
    private static final byte[] CHUNKED = ascii("Transfer-Encoding: chunked\r\n");
    private static final byte[] CONNECTION_CLOSE = ascii("Connection: close\r\n");
    private static final byte[] CONNECTION_KEEP_ALIVE = ascii("Connection: keep-alive\r\n");
    private static final byte[] CONTINUE = ascii("HTTP/1.1 100 Continue\r\n\r\n");
    private static final byte[] LAST_CHUNK = ascii("0\r\n\r\n");
    /** Status line, Server, Date, Content-Length and Connection, with room to spare. */
    private static final int FIXED_HEAD_ALLOWANCE = 160;

    static {
        for (int status = 100; status < STATUS_LINES.length; status++) {
            STATUS_LINES[status] = ascii("HTTP/1.1 " + status + " " + HttpStatus.reasonPhrase(status) + "\r\n");
        }
    }

    /** What a response head says about framing and the connection, beyond the response itself. */
    public enum Framing { CONTENT_LENGTH, CHUNKED, NONE }

    private final byte[] serverLine;

    /** @param serverHeader value of the {@code Server} field, or {@code null}/empty to send none */
    public ResponseEncoder(String serverHeader) {
        this.serverLine = serverHeader == null || serverHeader.isEmpty() ? new byte[0]
                : ascii("Server: " + serverHeader + "\r\n");
    }

    /** An upper bound of the bytes {@link #encodeHead} writes for {@code response}. */
    public int headSizeBound(HttpResponse response) {
        int statusLine = response.hasCustomReason() ? 16 + response.reason().length() : 64;
        return FIXED_HEAD_ALLOWANCE + statusLine + serverLine.length + response.encodedHeaderFields().length;
    }

    /**
     * Writes the status line and header section.
     *
     * @param contentLength the value for {@code Content-Length} when {@code framing} is CONTENT_LENGTH
     * @param connection    0: nothing, 1: {@code Connection: close}, 2: {@code Connection: keep-alive}
     */
    public void encodeHead(ByteBuffer out, HttpResponse response, byte[] dateLine, Framing framing,
            long contentLength, int connection) {
        // Copies into the heap buffer's array directly: a handful of arraycopies, one position update.
        byte[] array = out.array();
        int p = out.arrayOffset() + out.position();
        int status = response.status();
        if (!response.hasCustomReason() && status < STATUS_LINES.length) {
            p = put(array, p, STATUS_LINES[status]);
        } else {
            p = put(array, p, ascii("HTTP/1.1 " + status + " " + response.reason() + "\r\n"));
        }
        if (!response.hasServerHeader()) {
            p = put(array, p, serverLine);
        }
        p = put(array, p, dateLine);
        byte[] fieldsWithLength = response.encodedFieldsWithContentLength();
        if (framing == Framing.CONTENT_LENGTH && fieldsWithLength != null && contentLength == response.body().length) {
            p = put(array, p, fieldsWithLength);
        } else {
            p = put(array, p, response.encodedHeaderFields());
            if (framing == Framing.CONTENT_LENGTH) {
                p = put(array, p, CONTENT_LENGTH);
                p = putDecimal(array, p, contentLength);
                p = put(array, p, CRLF);
            } else if (framing == Framing.CHUNKED) {
                p = put(array, p, CHUNKED);
            }
        }
        if (connection == 1) {
            p = put(array, p, CONNECTION_CLOSE);
        } else if (connection == 2) {
            p = put(array, p, CONNECTION_KEEP_ALIVE);
        }
        p = put(array, p, CRLF);
        out.position(p - out.arrayOffset());
    }

    private static int put(byte[] array, int p, byte[] bytes) {
        System.arraycopy(bytes, 0, array, p, bytes.length);
        return p + bytes.length;
    }

    private static int putDecimal(byte[] array, int p, long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        for (int i = p + digits - 1; i >= p; i--) {
            array[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return p + digits;
    }

    /** The interim {@code 100 Continue} response (shared: never modify). */
    public static byte[] continueResponse() {
        return CONTINUE;
    }

    /** The last chunk with an empty trailer section (shared: never modify). */
    public static byte[] lastChunk() {
        return LAST_CHUNK;
    }

    /** Writes a chunk-size line: hex digits and CRLF. */
    public static void putChunkHeader(ByteBuffer out, int size) {
        int shift = 28;
        while (shift > 0 && (size >>> shift) == 0) {
            shift -= 4;
        }
        for (; shift >= 0; shift -= 4) {
            out.put((byte) Character.forDigit((size >>> shift) & 0xF, 16));
        }
        out.put(CRLF);
    }

    /** Writes a non-negative long in decimal at a heap buffer's position, without allocating. */
    static void putDecimal(ByteBuffer out, long value) {
        int end = putDecimal(out.array(), out.arrayOffset() + out.position(), value);
        out.position(end - out.arrayOffset());
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
