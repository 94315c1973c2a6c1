package io.sluice.boot.reactive;

import io.sluice.api.Headers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.springframework.boot.web.server.Compression;
import org.springframework.http.HttpHeaders;
import org.springframework.util.InvalidMimeTypeException;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Gzip compression of response bodies as {@code server.compression.*} says: enabled, for the listed mime
 * types, from a minimum size, unless the client's {@code User-Agent} is excluded or it does not accept
 * gzip. A response whose length is unknown (a stream) is compressed whatever its size.
 */
final class ResponseCompression {

    static final ResponseCompression OFF = new ResponseCompression(false, List.of(), new String[0], 0);

    private final boolean enabled;
    private final List<MimeType> mimeTypes;
    private final String[] excludedUserAgents;
    private final long minResponseSize;

    private ResponseCompression(boolean enabled, List<MimeType> mimeTypes, String[] excludedUserAgents,
            long minResponseSize) {
        this.enabled = enabled;
        this.mimeTypes = mimeTypes;
        this.excludedUserAgents = excludedUserAgents;
        this.minResponseSize = minResponseSize;
    }

    static ResponseCompression of(Compression compression) {
        if (compression == null || !compression.getEnabled()) {
            return OFF;
        }
        List<MimeType> types = new ArrayList<>();
        for (String type : compression.getMimeTypes()) {
            types.add(MimeTypeUtils.parseMimeType(type));
        }
        String[] agents = compression.getExcludedUserAgents() == null ? new String[0]
                : compression.getExcludedUserAgents().clone();
        return new ResponseCompression(true, List.copyOf(types), agents, compression.getMinResponseSize().toBytes());
    }

    boolean isEnabled() {
        return enabled;
    }

    /**
     * Whether a response is gzipped.
     *
     * @param method         the request's method
     * @param requestHeaders the request's header fields
     * @param headers        the response's header fields
     * @param contentLength  the response body's length when known, else -1
     */
    boolean appliesTo(String method, Headers requestHeaders, int status, HttpHeaders headers, long contentLength) {
        if (!enabled || status < 200 || status == 204 || status == 304 || "HEAD".equals(method)) {
            return false;
        }
        if (headers.containsHeader(HttpHeaders.CONTENT_ENCODING)
                || contentLength >= 0 && contentLength < minResponseSize
                || !acceptsGzip(requestHeaders.all(HttpHeaders.ACCEPT_ENCODING))) {
            return false;
        }
        String userAgent = requestHeaders.first(HttpHeaders.USER_AGENT);
        if (userAgent != null && Arrays.stream(excludedUserAgents).anyMatch(userAgent::equalsIgnoreCase)) {
            return false;
        }
        return isCompressible(headers.getFirst(HttpHeaders.CONTENT_TYPE));
    }

    private boolean isCompressible(String contentType) {
        if (contentType == null) {
            return false;
        }
        MimeType type;
        try {
            type = MimeTypeUtils.parseMimeType(contentType);
        } catch (InvalidMimeTypeException e) {
            return false; // not ours to fix: sent as it is
        }
        for (MimeType candidate : mimeTypes) {
            if (candidate.isCompatibleWith(type)) {
                return true;
            }
        }
        return false;
    }

    /** Whether an {@code Accept-Encoding} list names gzip (or {@code *}) with a non-zero weight. */
    static boolean acceptsGzip(List<String> fields) {
        for (String field : fields) {
            for (String element : field.split(",")) {
                String[] parts = element.split(";");
                String coding = parts[0].trim().toLowerCase(Locale.ROOT);
                if ((coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("*")) && weight(parts) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static double weight(String[] parts) {
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].trim();
            if (parameter.startsWith("q=") || parameter.startsWith("Q=")) {
                try {
                    return Double.parseDouble(parameter.substring(2).trim());
                } catch (NumberFormatException e) {
                    return 0;
                }
            }
        }
        return 1;
    }

    /**
     * Gzips one response body (RFC 1952) buffer by buffer; each buffer is flushed through, so a stream
     * stays a stream. Not thread-safe: the buffers of one body arrive one at a time.
     */
    static final class GzipEncoder {

        /** Magic, deflate, no flags, no time, no extra flags, unknown OS. */
        private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};

        private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        private final CRC32 crc = new CRC32();
        private byte[] out = new byte[8192];
        private boolean started;

        ByteBuffer encode(ByteBuffer input) {
            int length = start();
            crc.update(input.duplicate());
            deflater.setInput(input);
            return copy(drain(length, false));
        }

        ByteBuffer finish() {
            int length = start();
            deflater.finish();
            length = drain(length, true);
            ensure(length + 8);
            writeIntLe(length, (int) crc.getValue());
            writeIntLe(length + 4, (int) deflater.getBytesRead()); // ISIZE: the input length modulo 2^32
            return copy(length + 8);
        }

        /** Puts the gzip header first in the output, once; returns where output goes on. */
        private int start() {
            if (started) {
                return 0;
            }
            started = true;
            System.arraycopy(HEADER, 0, out, 0, HEADER.length);
            return HEADER.length;
        }

        /**
         * Deflates all pending input into {@link #out} from {@code length} on: flushed through (SYNC_FLUSH
         * is done once it leaves room unused), or to the end of the stream once {@code finish()} was called.
         */
        private int drain(int length, boolean finishing) {
            while (true) {
                ensure(length + 4096);
                int room = out.length - length;
                int n = deflater.deflate(out, length, room, finishing ? Deflater.NO_FLUSH : Deflater.SYNC_FLUSH);
                length += n;
                if (finishing ? deflater.finished() : n < room) {
                    return length;
                }
            }
        }

        private void ensure(int capacity) {
            if (out.length < capacity) {
                out = Arrays.copyOf(out, Math.max(capacity, out.length * 2));
            }
        }

        private void writeIntLe(int at, int value) {
            out[at] = (byte) value;
            out[at + 1] = (byte) (value >>> 8);
            out[at + 2] = (byte) (value >>> 16);
            out[at + 3] = (byte) (value >>> 24);
        }

        private ByteBuffer copy(int length) {
            return ByteBuffer.wrap(Arrays.copyOf(out, length));
        }

        void release() {
            deflater.end();
        }
    }
}
