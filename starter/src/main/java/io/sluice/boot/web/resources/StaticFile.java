package io.sluice.boot.web.resources;

import io.sluice.api.BodyWriter;
import io.sluice.api.HttpResponse;
import io.sluice.http.HttpDate;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import org.springframework.core.io.Resource;

/**
 * One file of a static location as it is served: its validators and headers, worked out once when the file
 * is first requested, and its content when it is small enough to keep in memory.
 *
 * <p>A small file is read whole and identified by a hash of its content, so its {@code ETag} changes exactly
 * when the content does, even across builds that stamp every file with the same time (reproducible jars
 * do). A larger file is identified by its length and modification time instead, because hashing it would
 * cost a read as long as serving it, and it is streamed from its location on each request.
 *
 * <p>Immutable; a file on a file system (a location such as {@code file:./public/}, or classes run from an
 * IDE) is checked for changes on each request by {@link #hasChanged()}, a file inside a jar never changes.
 */
final class StaticFile {

    private static final int COPY_BUFFER_SIZE = 16 * 1024;
    /** Bytes of the content hash put in an ETag: 96 bits, 16 base64 characters. */
    private static final int ETAG_HASH_BYTES = 12;

    private final Resource resource;
    private final boolean onFileSystem;
    private final long length;
    private final long lastModified;
    private final String etag;
    private final String lastModifiedHeader;
    private final String contentType;
    private final String cacheControl;
    /** The whole content, or {@code null} for a file streamed from its location. */
    private final byte[] content;
    /** The 200 response for a file in memory, built once; {@code null} for a streamed file. */
    private final HttpResponse whole;
    private final HttpResponse notModified;

    private StaticFile(Resource resource, String contentType, ResponsePolicy policy, long length, long lastModified,
            String etag, byte[] content) {
        this.resource = resource;
        this.onFileSystem = resource.isFile();
        this.length = length;
        this.lastModified = lastModified;
        this.etag = etag;
        this.lastModifiedHeader = policy.useLastModified() && lastModified > 0
                ? HttpDate.format(lastModified / 1000) : null;
        this.contentType = contentType;
        this.cacheControl = policy.cacheControl();
        this.content = content;
        this.whole = content == null ? null : withRepresentationHeaders(HttpResponse.status(200)).body(content);
        this.notModified = withValidators(HttpResponse.status(304)).empty();
    }

    /** How every file is served: the {@code Cache-Control} value ({@code null} for none), {@code Last-Modified} or not. */
    record ResponsePolicy(String cacheControl, boolean useLastModified) {
    }

    /**
     * Reads what serving {@code resource} needs: its whole content when it has at most {@code maxInMemory}
     * bytes, else its length and modification time.
     *
     * @throws IOException when the resource cannot be read although it was found
     */
    static StaticFile read(Resource resource, String contentType, ResponsePolicy policy, int maxInMemory)
            throws IOException {
        long lastModified = lastModifiedOf(resource);
        long length = resource.contentLength();
        if (length <= maxInMemory) {
            byte[] content = readAtMost(resource, maxInMemory);
            if (content != null) {
                return new StaticFile(resource, contentType, policy, content.length, lastModified,
                        contentHashTag(content), content);
            }
            length = countBytes(resource); // its length was unknown, or it grew past the limit meanwhile
        }
        String etag = "\"" + Long.toHexString(length) + "-" + Long.toHexString(lastModified) + "\"";
        return new StaticFile(resource, contentType, policy, length, lastModified, etag, null);
    }

    private static long lastModifiedOf(Resource resource) {
        try {
            return Math.max(0, resource.lastModified());
        } catch (IOException unknown) {
            return 0; // no Last-Modified then; the ETag still validates
        }
    }

    /** The content, or {@code null} when it has more than {@code limit} bytes. */
    private static byte[] readAtMost(Resource resource, int limit) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            byte[] content = in.readNBytes(limit + 1);
            return content.length > limit ? null : content;
        }
    }

    private static long countBytes(Resource resource) throws IOException {
        try (InputStream in = resource.getInputStream()) {
            return in.transferTo(OutputStream.nullOutputStream());
        }
    }

    private static String contentHashTag(byte[] content) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(content);
            return "\"" + Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Arrays.copyOf(hash, ETAG_HASH_BYTES)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256", e);
        }
    }

    /** Whether the file changed since it was read: only a file on a file system can, and then it costs a stat. */
    boolean hasChanged() {
        if (!onFileSystem) {
            return false;
        }
        try {
            return resource.lastModified() != lastModified || resource.contentLength() != length;
        } catch (IOException gone) {
            return true;
        }
    }

    String etag() {
        return etag;
    }

    /** The {@code Last-Modified} value sent, or {@code null} when none is. */
    String lastModifiedHeader() {
        return lastModifiedHeader;
    }

    long lastModifiedSecond() {
        return lastModified / 1000;
    }

    long length() {
        return length;
    }

    /** Bytes this file holds in memory. */
    int bytesInMemory() {
        return content == null ? 0 : content.length;
    }

    /** {@code 200} with the whole file. */
    HttpResponse whole() {
        if (whole != null) {
            return whole;
        }
        return withRepresentationHeaders(HttpResponse.status(200)).stream(length, copy(0, length));
    }

    /** {@code 206} with the bytes of {@code range}, which lies within the file. */
    HttpResponse part(ByteRange range) {
        HttpResponse.Builder partial = withRepresentationHeaders(HttpResponse.status(206))
                .header("Content-Range", "bytes " + range.first() + "-" + range.last() + "/" + length);
        if (content != null) {
            return partial.body(Arrays.copyOfRange(content, (int) range.first(), (int) range.last() + 1));
        }
        return partial.stream(range.length(), copy(range.first(), range.length()));
    }

    /** {@code 416}: no requested byte exists; says how many do. */
    HttpResponse unsatisfiable() {
        return HttpResponse.status(416).header("Content-Range", "bytes */" + length)
                .text("Range Not Satisfiable\n");
    }

    /** {@code 304} with the validators and caching directives a 200 would have had (RFC 9110 §15.4.5). */
    HttpResponse notModified() {
        return notModified;
    }

    private HttpResponse.Builder withRepresentationHeaders(HttpResponse.Builder response) {
        // nosniff: a browser must take the type this server states, not guess (e.g. HTML in a .txt file).
        return withValidators(response.contentType(contentType).header("Accept-Ranges", "bytes")
                .header("X-Content-Type-Options", "nosniff"));
    }

    private HttpResponse.Builder withValidators(HttpResponse.Builder response) {
        response.header("ETag", etag);
        if (lastModifiedHeader != null) {
            response.header("Last-Modified", lastModifiedHeader);
        }
        if (cacheControl != null) {
            response.header("Cache-Control", cacheControl);
        }
        return response;
    }

    /** Streams {@code count} bytes from {@code offset} on; runs on a worker, blocking while the client is slow. */
    private BodyWriter copy(long offset, long count) {
        return out -> {
            try (InputStream in = resource.getInputStream()) {
                in.skipNBytes(offset);
                byte[] buffer = new byte[(int) Math.min(COPY_BUFFER_SIZE, Math.max(1, count))];
                long remaining = count;
                while (remaining > 0) {
                    int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
                    if (read < 0) {
                        throw new IOException("Static file " + resource + " ended " + remaining
                                + " bytes early; it changed while being served");
                    }
                    out.write(buffer, 0, read);
                    remaining -= read;
                }
            }
        };
    }

    @Override
    public String toString() {
        return resource + " (" + length + " bytes, " + (content != null ? "in memory" : "streamed") + ")";
    }
}
