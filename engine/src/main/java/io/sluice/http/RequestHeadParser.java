package io.sluice.http;

import io.sluice.api.HttpStatus;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * Parses request heads (RFC 9112 §2-§6) in two steps, both without allocating until the head is known
 * to be complete:
 *
 * <ol>
 *   <li>{@link #scan} finds where the head ends. It is incremental: it remembers how far it got, so
 *       bytes arriving one at a time are each looked at once, and it enforces the size limits as it
 *       goes, so an endless request line or header section is refused as soon as it passes the limit.
 *   <li>{@link #parse} then validates the complete head strictly and records offsets, not strings.
 * </ol>
 *
 * <p>Splitting the work this way makes the result independent of how the bytes were split across
 * reads: {@code parse} always sees the whole head. One parser belongs to one connection; offsets it
 * keeps between calls are relative to the head's first byte, so the caller may move unconsumed bytes.
 */
public final class RequestHeadParser {

    /** {@link #scan} result: the head is not complete yet. */
    public static final int INCOMPLETE = 0;
    /** {@link #scan} result: the head is refused; see {@link #error()}. */
    public static final int FAILED = -1;

    private static final int MAX_CONTENT_LENGTH_DIGITS = 18;

    private final int maxRequestLineLength;
    private final int maxHeaderSectionSize;
    private final int maxHeaderCount;

    private int scanned;
    private int lineStart;
    private int requestLineEnd = -1;
    private int lineCount;
    private RequestError error;
    private int[] fieldScratch = new int[64];
    private RequestHead lastHead;

    /**
     * @param maxRequestLineLength longest request line accepted, in bytes (414 beyond)
     * @param maxHeaderSectionSize largest header section accepted, in bytes (431 beyond)
     * @param maxHeaderCount most header fields accepted (431 beyond)
     */
    public RequestHeadParser(int maxRequestLineLength, int maxHeaderSectionSize, int maxHeaderCount) {
        this.maxRequestLineLength = maxRequestLineLength;
        this.maxHeaderSectionSize = maxHeaderSectionSize;
        this.maxHeaderCount = maxHeaderCount;
    }

    /** Forgets the current head; call before scanning the next request's. */
    public void reset() {
        scanned = 0;
        lineStart = 0;
        requestLineEnd = -1;
        lineCount = 0;
        error = null;
    }

    /** Why the last {@code scan} or {@code parse} failed. */
    public RequestError error() {
        return error;
    }

    /** Whether any byte of a head has been seen since the last reset (an idle connection has none). */
    public boolean hasPartialHead() {
        return scanned > 0;
    }

    /**
     * Looks for the end of the head in {@code bytes[headStart, end)}, where {@code headStart} is the
     * head's first byte (empty lines before a request line count as part of it).
     *
     * @return the length of the complete head, {@link #INCOMPLETE}, or {@link #FAILED}
     */
    public int scan(byte[] bytes, int headStart, int end) {
        int available = end - headStart;
        int i = scanned;
        while (i < available) {
            i = indexOfLineFeed(bytes, headStart, i, available);
            if (i == available) {
                break;
            }
            int lineLength = i - lineStart;
            boolean empty = lineLength == 0 || (lineLength == 1 && bytes[headStart + lineStart] == '\r');
            if (empty) {
                if (requestLineEnd >= 0) {
                    scanned = i + 1;
                    return i + 1;
                }
                // RFC 9112 §2.2: ignore empty lines received before the request line (but not endlessly).
                if (requestLineEnd < 0 && i + 1 > maxRequestLineLength) {
                    return fail(RequestError.MALFORMED_REQUEST_LINE);
                }
            } else if (requestLineEnd < 0) {
                if (lineLength - (bytes[headStart + i - 1] == '\r' ? 1 : 0) > maxRequestLineLength) {
                    return fail(RequestError.URI_TOO_LONG);
                }
                requestLineEnd = i + 1;
            } else if (++lineCount > maxHeaderCount) {
                return fail(RequestError.HEADERS_TOO_LARGE);
            }
            lineStart = i + 1;
            i++;
            if (requestLineEnd >= 0 && i - requestLineEnd > maxHeaderSectionSize) {
                return fail(RequestError.HEADERS_TOO_LARGE);
            }
        }
        scanned = available;
        // A CR at the end may be the first half of a line's CRLF, which the limits do not count yet.
        int pendingCr = available > lineStart && bytes[headStart + available - 1] == '\r' ? 1 : 0;
        if (requestLineEnd < 0) {
            if (available - lineStart - pendingCr > maxRequestLineLength) {
                return fail(RequestError.URI_TOO_LONG);
            }
            if (lineStart > maxRequestLineLength) {
                // Only empty lines so far, and a lot of them.
                return fail(RequestError.MALFORMED_REQUEST_LINE);
            }
        } else if (available - requestLineEnd - pendingCr > maxHeaderSectionSize) {
            return fail(RequestError.HEADERS_TOO_LARGE);
        }
        return INCOMPLETE;
    }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long LINE_FEEDS = 0x0A0A0A0A0A0A0A0AL;
    private static final long LOW_BITS = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * The offset (relative to {@code base}) of the first LF at or after {@code from}, or {@code to}.
     * Eight bytes per step: XOR with LFs zeroes the matching bytes, and the classic SWAR test finds
     * the lowest zero byte; its first set high bit is exact for the first match, which is all we need.
     */
    private static int indexOfLineFeed(byte[] bytes, int base, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long word = (long) LONG.get(bytes, base + i) ^ LINE_FEEDS;
            long zeroBytes = (word - LOW_BITS) & ~word & HIGH_BITS;
            if (zeroBytes != 0) {
                return i + (Long.numberOfTrailingZeros(zeroBytes) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (bytes[base + i] == '\n') {
                return i;
            }
        }
        return to;
    }

    /**
     * Validates the complete head {@code bytes[headStart, headStart + headLength)} found by
     * {@link #scan} and copies it out of the (reused) read buffer.
     *
     * @return the head, or {@code null} with {@link #error()} set
     */
    public RequestHead parse(byte[] bytes, int headStart, int headLength) {
        byte[] head = Arrays.copyOfRange(bytes, headStart, headStart + headLength);
        return parse(head);
    }

    private RequestHead parse(byte[] head) {
        int end = head.length;
        int p = 0;
        while (head[p] == '\r' || head[p] == '\n') {
            if (head[p] == '\r' && head[p + 1] != '\n') {
                return failParse(RequestError.BARE_LINE_TERMINATOR);
            }
            p++;
        }

        // method SP request-target SP HTTP-version CRLF
        int methodStart = p;
        while (HttpStatus.isTokenChar(head[p])) {
            p++;
        }
        if (p == methodStart || head[p] != ' ') {
            return failParse(RequestError.MALFORMED_REQUEST_LINE);
        }
        String method = HttpMethods.of(head, methodStart, p);
        int targetStart = ++p;
        int queryMark = -1;
        while (head[p] > 0x20 && head[p] < 0x7F) {
            if (head[p] == '?' && queryMark < 0) {
                queryMark = p;
            } else if (head[p] == '#') {
                return failParse(RequestError.MALFORMED_REQUEST_LINE);
            }
            p++;
        }
        int targetEnd = p;
        if (targetEnd == targetStart || head[p] != ' ') {
            return failParse(RequestError.MALFORMED_REQUEST_LINE);
        }
        p++;
        int version = version(head, p);
        if (version < 0) {
            return null;
        }
        p += 8;
        if (head[p] != '\r' || head[p + 1] != '\n') {
            return failParse(head[p] == '\n' ? RequestError.BARE_LINE_TERMINATOR : RequestError.MALFORMED_REQUEST_LINE);
        }
        p += 2;
        boolean http11 = version == 11;

        int pathStart = targetStart;
        int pathEnd = queryMark >= 0 ? queryMark : targetEnd;
        if (method == HttpMethods.CONNECT) {
            return failParse(RequestError.METHOD_NOT_IMPLEMENTED);
        }
        if (head[targetStart] != '/') {
            if (targetEnd - targetStart == 1 && head[targetStart] == '*') {
                if (method != HttpMethods.OPTIONS) {
                    return failParse(RequestError.MALFORMED_REQUEST_LINE);
                }
            } else {
                pathStart = absoluteFormPathStart(head, targetStart, pathEnd);
                if (pathStart < 0) {
                    return failParse(RequestError.MALFORMED_REQUEST_LINE);
                }
            }
        }

        // Header section: field lines until the empty line.
        int[] fields = fieldScratch;
        int count = 0;
        long contentLength = RequestHead.NO_CONTENT_LENGTH;
        boolean transferEncoding = false;
        boolean chunked = false;
        boolean otherCoding = false;
        int hostCount = 0;
        boolean connectionClose = false;
        boolean connectionKeepAlive = false;
        boolean connectionUpgrade = false;
        boolean upgradeField = false;
        boolean expectContinue = false;
        while (true) {
            if (head[p] == '\r') {
                if (head[p + 1] != '\n') {
                    return failParse(RequestError.BARE_LINE_TERMINATOR);
                }
                p += 2;
                break;
            }
            if (head[p] == '\n') {
                return failParse(RequestError.BARE_LINE_TERMINATOR);
            }
            if (Ascii.isWhitespace(head[p])) {
                return failParse(RequestError.OBSOLETE_LINE_FOLDING);
            }
            int nameStart = p;
            while (HttpStatus.isTokenChar(head[p])) {
                p++;
            }
            int nameEnd = p;
            if (head[p] != ':') {
                return failParse(nameEnd > nameStart && Ascii.isWhitespace(head[p])
                        ? RequestError.WHITESPACE_BEFORE_COLON : RequestError.MALFORMED_HEADER);
            }
            if (nameEnd == nameStart) {
                return failParse(RequestError.MALFORMED_HEADER);
            }
            p++;
            while (Ascii.isWhitespace(head[p])) {
                p++;
            }
            int valueStart = p;
            int valueEnd = p;
            while (true) {
                int b = head[p] & 0xFF;
                if (b == '\r') {
                    break;
                }
                if ((b < 0x20 && b != '\t') || b == 0x7F) {
                    return failParse(b == '\n' ? RequestError.BARE_LINE_TERMINATOR : RequestError.MALFORMED_HEADER);
                }
                p++;
                if (b != ' ' && b != '\t') {
                    valueEnd = p;
                }
            }
            if (head[p + 1] != '\n') {
                return failParse(RequestError.BARE_LINE_TERMINATOR);
            }
            p += 2;

            if (count * 4 == fields.length) {
                fields = fieldScratch = Arrays.copyOf(fields, fields.length * 2);
            }
            fields[count * 4] = nameStart;
            fields[count * 4 + 1] = nameEnd;
            fields[count * 4 + 2] = valueStart;
            fields[count * 4 + 3] = valueEnd;
            count++;

            // Framing fields, recognised by length first so most names cost one comparison.
            switch (nameEnd - nameStart) {
                case 4 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "host")) {
                        hostCount++;
                    }
                }
                case 6 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "expect")) {
                        if (!Ascii.is(head, valueStart, valueEnd, "100-continue")) {
                            return failParse(RequestError.EXPECTATION_FAILED);
                        }
                        expectContinue = http11;
                    }
                }
                case 7 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "upgrade")) {
                        upgradeField = true;
                    }
                }
                case 10 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "connection")) {
                        int tokens = connectionTokens(head, valueStart, valueEnd);
                        connectionClose |= (tokens & CLOSE) != 0;
                        connectionKeepAlive |= (tokens & KEEP_ALIVE) != 0;
                        connectionUpgrade |= (tokens & UPGRADE) != 0;
                    }
                }
                case 14 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "content-length")) {
                        long length = contentLength(head, valueStart, valueEnd);
                        if (length < 0 || (contentLength >= 0 && length != contentLength)) {
                            return failParse(RequestError.INVALID_CONTENT_LENGTH);
                        }
                        contentLength = length;
                    }
                }
                case 17 -> {
                    if (Ascii.is(head, nameStart, nameEnd, "transfer-encoding")) {
                        // Field lines form one list (RFC 9110 §5.3); it is judged after the last line.
                        int codings = transferCodings(head, valueStart, valueEnd);
                        if (codings < 0 || (chunked && (codings & HAS_CODING) != 0)) {
                            // Malformed, or a coding after chunked (chunked must be applied last, once).
                            return failParse(RequestError.INVALID_TRANSFER_ENCODING);
                        }
                        transferEncoding = true;
                        if ((codings & HAS_CODING) != 0) {
                            chunked = (codings & CHUNKED_LAST) != 0;
                            otherCoding |= (codings & OTHER_CODING) != 0;
                        }
                    }
                }
                default -> {
                }
            }
        }
        if (p != end) {
            return failParse(RequestError.MALFORMED_HEADER);
        }
        if (transferEncoding) {
            if (!chunked) {
                // RFC 9112 §6.3: without chunked last the body length cannot be known: 400, then close.
                return failParse(RequestError.INVALID_TRANSFER_ENCODING);
            }
            if (otherCoding) {
                return failParse(RequestError.UNSUPPORTED_TRANSFER_CODING);
            }
        }
        if (transferEncoding && (contentLength >= 0 || !http11)) {
            return failParse(RequestError.CONFLICTING_FRAMING);
        }
        if (hostCount > 1 || (http11 && hostCount == 0)) {
            return failParse(RequestError.INVALID_HOST);
        }
        boolean keepAlive = http11 ? !connectionClose : connectionKeepAlive && !connectionClose;
        boolean hasBody = chunked || contentLength > 0;
        RequestHead parsed = new RequestHead(head, method, targetStart, targetEnd, pathStart, pathEnd, http11,
                Arrays.copyOf(fields, count * 4), count, contentLength, chunked, keepAlive,
                expectContinue && hasBody, connectionUpgrade && upgradeField);
        reuseTargetStrings(parsed, head, targetStart, targetEnd);
        return parsed;
    }

    /**
     * A connection mostly asks for the same targets again (polling, pipelines): when this target's
     * bytes equal the previous one's, the previous strings are reused, so routing hashes nothing new.
     */
    private void reuseTargetStrings(RequestHead parsed, byte[] head, int targetStart, int targetEnd) {
        RequestHead previous = lastHead;
        if (previous != null && previous.sameTarget(head, targetStart, targetEnd)) {
            parsed.adoptTargetStrings(previous);
        }
        lastHead = parsed;
    }

    /** 10 or 11 for HTTP/1.0 and HTTP/1.1; -1 with the error set otherwise. */
    private int version(byte[] head, int p) {
        if (head.length - p < 10 || head[p] != 'H' || head[p + 1] != 'T' || head[p + 2] != 'T' || head[p + 3] != 'P'
                || head[p + 4] != '/' || !Ascii.isDigit(head[p + 5]) || head[p + 6] != '.'
                || !Ascii.isDigit(head[p + 7])) {
            failParse(RequestError.MALFORMED_REQUEST_LINE);
            return -1;
        }
        if (head[p + 5] == '1' && (head[p + 7] == '1' || head[p + 7] == '0')) {
            return head[p + 7] == '1' ? 11 : 10;
        }
        failParse(RequestError.UNSUPPORTED_VERSION);
        return -1;
    }

    /**
     * Start of the path in an absolute-form target ({@code http://host[:port]/path}); an empty path is
     * served as-is (the caller treats it like "/"). Returns -1 when the target is not absolute-form.
     */
    private static int absoluteFormPathStart(byte[] head, int start, int end) {
        int p = start;
        if (end - p > 7 && Ascii.is(head, p, p + 7, "http://")) {
            p += 7;
        } else if (end - p > 8 && Ascii.is(head, p, p + 8, "https://")) {
            p += 8;
        } else {
            return -1;
        }
        int authorityStart = p;
        while (p < end && head[p] != '/') {
            p++;
        }
        if (p == authorityStart) {
            return -1;
        }
        return p; // == end when the path is empty
    }

    private static final int CLOSE = 1;
    private static final int KEEP_ALIVE = 2;
    private static final int UPGRADE = 4;

    /** The Connection options present in a comma-separated list, as bit flags. */
    private static int connectionTokens(byte[] head, int from, int to) {
        int flags = 0;
        int p = from;
        while (p < to) {
            while (p < to && (head[p] == ',' || Ascii.isWhitespace(head[p]))) {
                p++;
            }
            int tokenStart = p;
            while (p < to && head[p] != ',' && !Ascii.isWhitespace(head[p])) {
                p++;
            }
            if (Ascii.is(head, tokenStart, p, "close")) {
                flags |= CLOSE;
            } else if (Ascii.is(head, tokenStart, p, "keep-alive")) {
                flags |= KEEP_ALIVE;
            } else if (Ascii.is(head, tokenStart, p, "upgrade")) {
                flags |= UPGRADE;
            }
        }
        return flags;
    }

    /**
     * A Content-Length value: 1*DIGIT, or a list of identical such values (RFC 9110 §8.6 allows a
     * recipient to accept that). Returns -1 when invalid.
     */
    private static long contentLength(byte[] head, int from, int to) {
        long value = -1;
        int p = from;
        while (true) {
            int digitsStart = p;
            long element = 0;
            while (p < to && Ascii.isDigit(head[p])) {
                if (p - digitsStart == MAX_CONTENT_LENGTH_DIGITS) {
                    return -1;
                }
                element = element * 10 + (head[p] - '0');
                p++;
            }
            if (p == digitsStart || (value >= 0 && element != value)) {
                return -1;
            }
            value = element;
            while (p < to && Ascii.isWhitespace(head[p])) {
                p++;
            }
            if (p == to) {
                return value;
            }
            if (head[p] != ',') {
                return -1;
            }
            p++;
            while (p < to && Ascii.isWhitespace(head[p])) {
                p++;
            }
        }
    }

    private static final int HAS_CODING = 1;
    private static final int CHUNKED_LAST = 2;
    private static final int OTHER_CODING = 4;

    /**
     * Reads one Transfer-Encoding field value: {@code #( token *( OWS ";" OWS transfer-parameter ) )}.
     * Returns -1 when it is malformed or chunked is followed by another coding, else the flags
     * {@link #HAS_CODING}, {@link #CHUNKED_LAST} and {@link #OTHER_CODING} (0 for an empty list).
     */
    private static int transferCodings(byte[] head, int from, int to) {
        int p = from;
        int flags = 0;
        while (p < to) {
            while (p < to && (head[p] == ',' || Ascii.isWhitespace(head[p]))) {
                p++;
            }
            if (p == to) {
                break;
            }
            int tokenStart = p;
            while (p < to && HttpStatus.isTokenChar(head[p])) {
                p++;
            }
            if (p == tokenStart || (flags & CHUNKED_LAST) != 0) {
                return -1;
            }
            boolean isChunked = Ascii.is(head, tokenStart, p, "chunked");
            flags = HAS_CODING | (flags & OTHER_CODING) | (isChunked ? CHUNKED_LAST : OTHER_CODING);
            while (p < to && Ascii.isWhitespace(head[p])) {
                p++;
            }
            if (p < to && head[p] == ';') {
                while (p < to && head[p] != ',') {
                    p++; // coding parameters, which we never act on
                }
            } else if (p < to && head[p] != ',') {
                return -1; // "chunked gzip": not a list, and not parameters either
            }
        }
        return flags;
    }

    private int fail(RequestError reason) {
        error = reason;
        return FAILED;
    }

    private RequestHead failParse(RequestError reason) {
        error = reason;
        return null;
    }
}
