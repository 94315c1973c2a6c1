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
        int status = response.status();
        if (!response.hasCustomReason() && status < STATUS_LINES.length) {
            out.put(STATUS_LINES[status]);
        } else {
            out.put(ascii("HTTP/1.1 " + status + " ")).put(response.reason().getBytes(StandardCharsets.ISO_8859_1))
                    .put(CRLF);
        }
        if (!response.hasServerHeader()) {
            out.put(serverLine);
        }
        out.put(dateLine);
        out.put(response.encodedHeaderFields());
        if (framing == Framing.CONTENT_LENGTH) {
            out.put(CONTENT_LENGTH);
            putDecimal(out, contentLength);
            out.put(CRLF);
        } else if (framing == Framing.CHUNKED) {
            out.put(CHUNKED);
        }
        if (connection == 1) {
            out.put(CONNECTION_CLOSE);
        } else if (connection == 2) {
            out.put(CONNECTION_KEEP_ALIVE);
        }
        out.put(CRLF);
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

    /** Writes a non-negative long in decimal without allocating. */
    static void putDecimal(ByteBuffer out, long value) {
        if (value < 10) {
            out.put((byte) ('0' + value));
            return;
        }
        int digits = 0;
        for (long v = value; v > 0; v /= 10) {
            digits++;
        }
        int end = out.position() + digits;
        for (int i = end - 1; i >= end - digits; i--) {
            out.put(i, (byte) ('0' + value % 10));
            value /= 10;
        }
        out.position(end);
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }
}
