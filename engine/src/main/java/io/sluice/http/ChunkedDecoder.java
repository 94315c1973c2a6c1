package io.sluice.http;

import io.sluice.api.HttpStatus;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes the chunked transfer coding (RFC 9112 §7.1) one byte range at a time, keeping its place
 * across calls, so a body arrives in pieces of any size and is handed on without being buffered here.
 *
 * <p>Strict where laxity enables request smuggling: chunk sizes are hex digits only (no sign, no
 * whitespace inside), lines end in CRLF, data is followed by CRLF, and every size is checked against
 * the body limit before the data is read. Chunk extensions are checked for control bytes and
 * otherwise ignored; trailer fields are validated like header fields and kept (Content-Length,
 * Transfer-Encoding, Host and the like must not be in trailers and are dropped).
 */
public final class ChunkedDecoder {

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER, TRAILER_LF, DONE, FAILED }

    private static final int MAX_SIZE_DIGITS = 15;

    private final long maxBodySize;
    private final int maxLineLength;
    private final int maxTrailerSize;

    private State state = State.SIZE;
    private long chunkRemaining;
    private int sizeDigits;
    private int lineLength;
    private boolean extensionStarted;
    private long bodySize;
    private RequestError error;
    private byte[] trailerBytes;
    private int trailerLength;

    /**
     * @param maxBodySize    largest decoded body accepted (413 beyond), checked from each chunk size
     * @param maxLineLength  longest chunk-size line including extensions
     * @param maxTrailerSize largest trailer section accepted
     */
    public ChunkedDecoder(long maxBodySize, int maxLineLength, int maxTrailerSize) {
        this.maxBodySize = maxBodySize;
        this.maxLineLength = maxLineLength;
        this.maxTrailerSize = maxTrailerSize;
    }

    /**
     * Decodes from {@code bytes[from, to)}, passing data to {@code sink}.
     *
     * @return the index after the last byte consumed: {@code to}, unless the body ended earlier (the
     *     rest belongs to the next request) or decoding failed (check {@link #isFailed()})
     */
    public int decode(byte[] bytes, int from, int to, BodySink sink) {
        int p = from;
        while (p < to) {
            switch (state) {
                case SIZE -> {
                    int digit = Ascii.hexValue(bytes[p]);
                    if (digit >= 0) {
                        if (++sizeDigits > MAX_SIZE_DIGITS) {
                            return fail(RequestError.BODY_TOO_LARGE, p);
                        }
                        chunkRemaining = chunkRemaining * 16 + digit;
                        lineLength++;
                        p++;
                    } else if (sizeDigits == 0) {
                        return fail(RequestError.INVALID_CHUNK, p);
                    } else {
                        if (chunkRemaining > maxBodySize - bodySize) {
                            return fail(RequestError.BODY_TOO_LARGE, p);
                        }
                        state = State.EXTENSION;
                        extensionStarted = false;
                    }
                }
                case EXTENSION -> {
                    int b = bytes[p] & 0xFF;
                    if (b == ';') {
                        extensionStarted = true;
                    }
                    if (b == '\r') {
                        state = State.SIZE_LF;
                    } else if ((b < 0x20 && b != '\t') || b == 0x7F) {
                        return fail(RequestError.INVALID_CHUNK, p);
                    } else if (!extensionStarted && b != ';' && b != ' ' && b != '\t') {
                        // Only BWS and ';' may follow the size: "0x10" is not a last chunk, "1 2" not size 1.
                        return fail(RequestError.INVALID_CHUNK, p);
                    } else if (++lineLength > maxLineLength) {
                        return fail(RequestError.INVALID_CHUNK, p);
                    }
                    p++;
                }
                case SIZE_LF -> {
                    if (bytes[p++] != '\n') {
                        return fail(RequestError.INVALID_CHUNK, p - 1);
                    }
                    if (chunkRemaining == 0) {
                        state = State.TRAILER;
                        lineLength = 0;
                    } else {
                        bodySize += chunkRemaining;
                        state = State.DATA;
                    }
                }
                case DATA -> {
                    int n = (int) Math.min(chunkRemaining, to - p);
                    sink.onBodyBytes(bytes, p, n);
                    p += n;
                    chunkRemaining -= n;
                    if (chunkRemaining == 0) {
                        state = State.DATA_CR;
                    }
                }
                case DATA_CR -> {
                    if (bytes[p++] != '\r') {
                        return fail(RequestError.INVALID_CHUNK, p - 1);
                    }
                    state = State.DATA_LF;
                }
                case DATA_LF -> {
                    if (bytes[p++] != '\n') {
                        return fail(RequestError.INVALID_CHUNK, p - 1);
                    }
                    state = State.SIZE;
                    sizeDigits = 0;
                    lineLength = 0;
                }
                case TRAILER -> {
                    byte b = bytes[p++];
                    if (b == '\r') {
                        state = State.TRAILER_LF;
                    } else {
                        if (b == '\n' || !appendTrailer(b)) {
                            return fail(b == '\n' ? RequestError.INVALID_CHUNK : RequestError.HEADERS_TOO_LARGE, p - 1);
                        }
                        lineLength++;
                    }
                }
                case TRAILER_LF -> {
                    if (bytes[p++] != '\n') {
                        return fail(RequestError.INVALID_CHUNK, p - 1);
                    }
                    if (lineLength == 0) {
                        state = State.DONE;
                        return p;
                    }
                    if (!appendTrailer((byte) '\n')) {
                        return fail(RequestError.HEADERS_TOO_LARGE, p - 1);
                    }
                    lineLength = 0;
                    state = State.TRAILER;
                }
                case DONE, FAILED -> {
                    return p;
                }
            }
        }
        return p;
    }

    public boolean isComplete() {
        return state == State.DONE;
    }

    public boolean isFailed() {
        return state == State.FAILED;
    }

    public RequestError error() {
        return error;
    }

    /** Decoded body bytes so far. */
    public long bodySize() {
        return bodySize;
    }

    /**
     * The trailer fields, parsed once the body is complete. Fields that would change framing or
     * routing if merged into the head are dropped (RFC 9110 §6.5.1).
     *
     * @return the fields, or {@code null} when a trailer line is malformed
     */
    public FieldList trailers() {
        if (trailerLength == 0) {
            return FieldList.EMPTY;
        }
        List<String> pairs = new ArrayList<>();
        int p = 0;
        while (p < trailerLength) {
            int lineEnd = p;
            while (trailerBytes[lineEnd] != '\n') {
                lineEnd++;
            }
            int nameEnd = p;
            while (nameEnd < lineEnd && HttpStatus.isTokenChar(trailerBytes[nameEnd])) {
                nameEnd++;
            }
            if (nameEnd == p || nameEnd == lineEnd || trailerBytes[nameEnd] != ':') {
                return null;
            }
            int valueStart = nameEnd + 1;
            while (valueStart < lineEnd && Ascii.isWhitespace(trailerBytes[valueStart])) {
                valueStart++;
            }
            int valueEnd = lineEnd;
            while (valueEnd > valueStart && Ascii.isWhitespace(trailerBytes[valueEnd - 1])) {
                valueEnd--;
            }
            for (int i = valueStart; i < valueEnd; i++) {
                int b = trailerBytes[i] & 0xFF;
                if ((b < 0x20 && b != '\t') || b == 0x7F) {
                    return null;
                }
            }
            String name = new String(trailerBytes, p, nameEnd - p, StandardCharsets.US_ASCII);
            if (!isForbiddenInTrailer(name)) {
                pairs.add(name);
                pairs.add(new String(trailerBytes, valueStart, valueEnd - valueStart, StandardCharsets.ISO_8859_1));
            }
            p = lineEnd + 1;
        }
        return new FieldList(pairs.toArray(new String[0]));
    }

    private static boolean isForbiddenInTrailer(String name) {
        return name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                || name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-type")
                || name.equalsIgnoreCase("content-encoding") || name.equalsIgnoreCase("connection")
                || name.equalsIgnoreCase("trailer");
    }

    private boolean appendTrailer(byte b) {
        if (trailerLength == maxTrailerSize) {
            return false;
        }
        if (trailerBytes == null) {
            trailerBytes = new byte[Math.min(256, maxTrailerSize)];
        } else if (trailerLength == trailerBytes.length) {
            trailerBytes = java.util.Arrays.copyOf(trailerBytes, Math.min(trailerBytes.length * 2, maxTrailerSize));
        }
        trailerBytes[trailerLength++] = b;
        return true;
    }

    private int fail(RequestError reason, int at) {
        error = reason;
        state = State.FAILED;
        return at;
    }
}
