package io.sluice.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Flow;

/**
 * An immutable HTTP response: status, header fields and a body that is a byte array, a
 * {@link BodyWriter} streaming one from a worker, or a {@link Flow.Publisher} of buffers.
 *
 * <p>The header fields are encoded to bytes once, when the response is built, so a response kept in
 * a constant and returned for every request costs one copy on the wire and no encoding. The server
 * adds {@code Date}, {@code Server} (unless set here), {@code Content-Length} or
 * {@code Transfer-Encoding: chunked}, and {@code Connection} when it closes.
 */
public final class HttpResponse {

    /** Content type of {@link #text(String)} bodies. */
    public static final String TEXT_PLAIN_UTF8 = "text/plain; charset=utf-8";
    /** Content type of {@link Builder#json(String)} bodies. */
    public static final String APPLICATION_JSON = "application/json";

    private static final byte[] EMPTY = new byte[0];
    private static final byte[] CONTENT_LENGTH = "Content-Length: ".getBytes(StandardCharsets.ISO_8859_1);

    private final int status;
    private final String reason;
    private final String[] headerFields;
    private final byte[] encodedHeaderFields;
    /** The fields followed by {@code Content-Length} of the byte body: the whole variable part of the head. */
    private final byte[] encodedFieldsWithLength;
    private final boolean hasServerHeader;
    private final boolean closeConnection;
    private final byte[] body;
    private final BodyWriter bodyWriter;
    private final Flow.Publisher<ByteBuffer> bodyPublisher;
    private final boolean streamed;
    private final long declaredLength;

    private HttpResponse(Builder builder, byte[] body, BodyWriter bodyWriter, Flow.Publisher<ByteBuffer> bodyPublisher,
            long declaredLength) {
        this.status = builder.status;
        this.reason = builder.reason;
        this.headerFields = Arrays.copyOf(builder.fields, builder.fieldCount);
        this.encodedHeaderFields = encode(headerFields);
        this.streamed = bodyWriter != null || bodyPublisher != null;
        this.encodedFieldsWithLength = streamed ? null : withContentLength(encodedHeaderFields, body.length);
        this.hasServerHeader = builder.hasServerHeader;
        this.closeConnection = builder.closeConnection;
        this.body = body;
        this.bodyWriter = bodyWriter;
        this.bodyPublisher = bodyPublisher;
        this.declaredLength = declaredLength;
    }

    /** Starts a response with {@code status}, 200-999 (1xx interim responses are the server's business). */
    public static Builder status(int status) {
        return new Builder(status);
    }

    /** {@code 200 OK} with a UTF-8 {@code text/plain} body. */
    public static HttpResponse text(String text) {
        return status(200).text(text);
    }

    /** {@code 200 OK} with a JSON body given as text. */
    public static HttpResponse json(String json) {
        return status(200).json(json);
    }

    /** {@code 204 No Content}. */
    public static HttpResponse noContent() {
        return status(204).empty();
    }

    /** {@code status} with a short plain-text body naming it, as the server's own error responses have. */
    public static HttpResponse error(int status) {
        return status(status).text(HttpStatus.reasonPhrase(status) + "\n");
    }

    public int status() {
        return status;
    }

    /** The reason phrase: given explicitly, or the standard one for the status. */
    public String reason() {
        return reason != null ? reason : HttpStatus.reasonPhrase(status);
    }

    /** Whether a reason phrase other than the standard one was given. */
    public boolean hasCustomReason() {
        return reason != null;
    }

    /** The header fields set on the builder, as name/value pairs in order. */
    public List<String[]> headerFields() {
        List<String[]> out = new ArrayList<>(headerFields.length / 2);
        for (int i = 0; i < headerFields.length; i += 2) {
            out.add(new String[] {headerFields[i], headerFields[i + 1]});
        }
        return out;
    }

    /** The first value of header {@code name} set on the builder, or {@code null}. */
    public String header(String name) {
        for (int i = 0; i < headerFields.length; i += 2) {
            if (headerFields[i].equalsIgnoreCase(name)) {
                return headerFields[i + 1];
            }
        }
        return null;
    }

    /** The builder's header fields, encoded as {@code Name: value\r\n} lines (ISO-8859-1). */
    public byte[] encodedHeaderFields() {
        return encodedHeaderFields;
    }

    /**
     * The encoded fields plus {@code Content-Length: <body length>\r\n}, for a byte body; {@code null}
     * for a streamed one. Encoded once, so a constant response costs one copy per use.
     */
    public byte[] encodedFieldsWithContentLength() {
        return encodedFieldsWithLength;
    }

    public boolean hasServerHeader() {
        return hasServerHeader;
    }

    /** Whether the handler asked to close the connection after this response. */
    public boolean closeConnection() {
        return closeConnection;
    }

    /** The body bytes; empty for a streamed response. Never modify the returned array. */
    public byte[] body() {
        return body;
    }

    /** The writer of a streamed body, or {@code null}. */
    public BodyWriter bodyWriter() {
        return bodyWriter;
    }

    /** The publisher of a published body, or {@code null}. */
    public Flow.Publisher<ByteBuffer> bodyPublisher() {
        return bodyPublisher;
    }

    /** Whether the body is produced while it is sent (a {@link BodyWriter} or a publisher), not held as bytes. */
    public boolean isStreamed() {
        return streamed;
    }

    /**
     * The body length: the array length, or for a streamed body the length declared when building it
     * ({@code -1} when unknown, which makes the server use chunked transfer coding).
     */
    public long contentLength() {
        return streamed ? declaredLength : body.length;
    }

    /**
     * {@code fields} plus the {@code Content-Length} line, written straight into one array of the
     * exact size (a response built per request pays for this, so no intermediate strings).
     */
    private static byte[] withContentLength(byte[] fields, int length) {
        int digits = 1;
        for (int v = length; v >= 10; v /= 10) {
            digits++;
        }
        byte[] all = Arrays.copyOf(fields, fields.length + CONTENT_LENGTH.length + digits + 2);
        System.arraycopy(CONTENT_LENGTH, 0, all, fields.length, CONTENT_LENGTH.length);
        int end = all.length - 2;
        for (int i = end - 1, v = length; i >= end - digits; i--, v /= 10) {
            all[i] = (byte) ('0' + v % 10);
        }
        all[end] = '\r';
        all[end + 1] = '\n';
        return all;
    }

    /**
     * Encodes the fields straight into one array of the exact size: a response built per request
     * (an echo, a JSON reply) pays for one array here, not for a builder, a string and its bytes.
     */
    private static byte[] encode(String[] fields) {
        if (fields.length == 0) {
            return EMPTY;
        }
        int size = 0;
        for (String part : fields) {
            size += part.length() + 2; // ": " after a name, CRLF after a value
        }
        byte[] out = new byte[size];
        int p = 0;
        for (int i = 0; i < fields.length; i += 2) {
            p = putLatin1(out, p, fields[i]);
            out[p++] = ':';
            out[p++] = ' ';
            p = putLatin1(out, p, fields[i + 1]);
            out[p++] = '\r';
            out[p++] = '\n';
        }
        return out;
    }

    /** Names are tokens and values were checked to be ISO-8859-1, so each char is one byte. */
    private static int putLatin1(byte[] out, int p, String s) {
        for (int i = 0; i < s.length(); i++) {
            out[p++] = (byte) s.charAt(i);
        }
        return p;
    }

    @Override
    public String toString() {
        return "HttpResponse[" + status + ", headers=" + Arrays.toString(headerFields) + ", "
                + (bodyWriter != null ? "streamed" : bodyPublisher != null ? "published" : body.length + " bytes") + "]";
    }

    /** Builds a response; the terminal methods ({@code body}, {@code text}, …) return it. */
    public static final class Builder {

        private final int status;
        private String reason;
        /** Names and values, alternating (a plain array: a response built per request pays for the builder too). */
        private String[] fields = new String[8];
        private int fieldCount;
        private boolean hasServerHeader;
        private boolean closeConnection;

        private Builder(int status) {
            if (status < 200 || status > 999) {
                throw new IllegalArgumentException("status must be 200-999 (1xx are sent by the server): " + status);
            }
            this.status = status;
        }

        /** A reason phrase other than the standard one. */
        public Builder reason(String reason) {
            requireFieldValue(reason, "reason");
            this.reason = reason;
            return this;
        }

        /**
         * Adds a header field. {@code Content-Length}, {@code Transfer-Encoding} and {@code Date} are
         * managed by the server and rejected here; {@code Connection: close} closes the connection
         * after the response.
         */
        public Builder header(String name, String value) {
            requireToken(name);
            requireFieldValue(value, name);
            if (name.equalsIgnoreCase("content-length") || name.equalsIgnoreCase("transfer-encoding")
                    || name.equalsIgnoreCase("date")) {
                throw new IllegalArgumentException(name + " is managed by the server");
            }
            if (name.equalsIgnoreCase("connection")) {
                if (value.trim().equalsIgnoreCase("close")) {
                    closeConnection = true;
                }
                return this;
            }
            if (name.equalsIgnoreCase("server")) {
                hasServerHeader = true;
            }
            add(name, value);
            return this;
        }

        public Builder contentType(String contentType) {
            return header("Content-Type", contentType);
        }

        public HttpResponse body(byte[] body) {
            return new HttpResponse(this, Objects.requireNonNull(body, "body"), null, null, -1);
        }

        /** A UTF-8 text body; sets {@code Content-Type: text/plain; charset=utf-8} unless one is set. */
        public HttpResponse text(String text) {
            defaultContentType(TEXT_PLAIN_UTF8);
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        /** A JSON body given as text; sets {@code Content-Type: application/json} unless one is set. */
        public HttpResponse json(String json) {
            defaultContentType(APPLICATION_JSON);
            return body(json.getBytes(StandardCharsets.UTF_8));
        }

        /** No body. */
        public HttpResponse empty() {
            return body(EMPTY);
        }

        /** A body written incrementally, of unknown length (sent with chunked transfer coding). */
        public HttpResponse stream(BodyWriter writer) {
            return new HttpResponse(this, EMPTY, Objects.requireNonNull(writer, "writer"), null, -1);
        }

        /**
         * A body written incrementally, of exactly {@code contentLength} bytes (sent with
         * {@code Content-Length}); writing more or fewer bytes is an error that closes the connection.
         */
        public HttpResponse stream(long contentLength, BodyWriter writer) {
            if (contentLength < 0) {
                throw new IllegalArgumentException("contentLength must be >= 0: " + contentLength);
            }
            return new HttpResponse(this, EMPTY, Objects.requireNonNull(writer, "writer"), null, contentLength);
        }

        /**
         * A body published as buffers, of unknown length: sent with chunked transfer coding, or with
         * {@code Content-Length: 0} when the publisher completes without a byte. The server subscribes
         * when the response's turn comes and requests only while the connection's queued output is
         * below its high-water mark; the head is written with the first buffer (an empty one sends it
         * at once), and each pause of the publisher flushes what it sent, so events reach the client
         * as they happen. Each buffer belongs to the server from {@code onNext} on: it is written,
         * possibly later, from its position to its limit, and must not be changed or reused.
         */
        public HttpResponse publish(Flow.Publisher<ByteBuffer> body) {
            return new HttpResponse(this, EMPTY, null, Objects.requireNonNull(body, "body"), -1);
        }

        /**
         * A body published as buffers, of exactly {@code contentLength} bytes (sent with
         * {@code Content-Length}); publishing more or fewer bytes is an error that closes the connection.
         *
         * @see #publish(Flow.Publisher)
         */
        public HttpResponse publish(long contentLength, Flow.Publisher<ByteBuffer> body) {
            if (contentLength < 0) {
                throw new IllegalArgumentException("contentLength must be >= 0: " + contentLength);
            }
            return new HttpResponse(this, EMPTY, null, Objects.requireNonNull(body, "body"), contentLength);
        }

        private void defaultContentType(String contentType) {
            for (int i = 0; i < fieldCount; i += 2) {
                if (fields[i].equalsIgnoreCase("content-type")) {
                    return;
                }
            }
            add("Content-Type", contentType);
        }

        private void add(String name, String value) {
            if (fieldCount == fields.length) {
                fields = Arrays.copyOf(fields, fieldCount * 2);
            }
            fields[fieldCount++] = name;
            fields[fieldCount++] = value;
        }

        private static void requireToken(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("header name must not be empty");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!HttpStatus.isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("header name is not a token: " + name);
                }
            }
        }

        /** Rejects CR, LF and other controls, so no value can split the response. */
        private static void requireFieldValue(String value, String what) {
            Objects.requireNonNull(value, what);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7F || c > 0xFF) {
                    throw new IllegalArgumentException(what + " contains a character not allowed in a header field: 0x"
                            + Integer.toHexString(c));
                }
            }
        }
    }
}
