package io.sluice.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.springframework.boot.web.server.Compression;
import org.springframework.http.HttpHeaders;
import org.springframework.util.unit.DataSize;

/** Which responses {@code server.compression.*} compresses, and that the gzip stream is sound. */
class ResponseCompressionTest {

    private final ResponseCompression compression = ResponseCompression.of(settings());

    private static Compression settings() {
        Compression settings = new Compression();
        settings.setEnabled(true);
        settings.setMinResponseSize(DataSize.ofBytes(1000));
        settings.setMimeTypes(new String[] {"text/plain", "application/json"});
        settings.setExcludedUserAgents(new String[] {"OldBrowser/1.0"});
        return settings;
    }

    private static HttpHeaders contentType(String type) {
        HttpHeaders headers = new HttpHeaders();
        headers.set(HttpHeaders.CONTENT_TYPE, type);
        return headers;
    }

    @Test
    void compressesListedTypesFromTheMinimumSizeForClientsThatAcceptGzip() {
        Request request = request("GET", "Accept-Encoding", "gzip, deflate");
        assertThat(compresses(request, 200, contentType("text/plain;charset=UTF-8"), 1000)).isTrue();
        assertThat(compresses(request, 200, contentType("application/json"), -1)).as("a stream").isTrue();
        assertThat(compresses(request, 200, contentType("text/plain"), 999)).as("too small").isFalse();
        assertThat(compresses(request, 200, contentType("image/png"), 5000)).as("not listed").isFalse();
        assertThat(compresses(request, 200, contentType("application:json"), 5000)).as("invalid").isFalse();
        assertThat(compresses(request, 200, new HttpHeaders(), 5000)).as("no content type").isFalse();
        assertThat(compresses(request, 204, contentType("text/plain"), 5000)).isFalse();
        HttpHeaders encoded = contentType("text/plain");
        encoded.set(HttpHeaders.CONTENT_ENCODING, "br");
        assertThat(compresses(request, 200, encoded, 5000)).as("already encoded").isFalse();
    }

    @Test
    void respectsTheClientAndItsAgent() {
        HttpHeaders text = contentType("text/plain");
        assertThat(compresses(request("GET"), 200, text, 5000)).as("no Accept-Encoding").isFalse();
        assertThat(compresses(request("GET", "Accept-Encoding", "gzip;q=0, br"), 200, text, 5000)).isFalse();
        assertThat(compresses(request("GET", "Accept-Encoding", "*"), 200, text, 5000)).isTrue();
        assertThat(compresses(request("HEAD", "Accept-Encoding", "gzip"), 200, text, 5000)).isFalse();
        assertThat(compresses(request("GET", "Accept-Encoding", "gzip", "User-Agent", "OldBrowser/1.0"),
                200, text, 5000)).isFalse();
        assertThat(compresses(ResponseCompression.of(new Compression()), request("GET", "Accept-Encoding", "gzip"), 200,
                text, 5000)).as("disabled by default").isFalse();
    }

    @Test
    void buffersGzippedOneByOneMakeOneValidStream() throws IOException {
        byte[] data = new byte[300_000];
        Random random = new Random(7);
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) ('a' + random.nextInt(4)); // compressible, not trivially
        }
        ResponseCompression.GzipEncoder encoder = new ResponseCompression.GzipEncoder();
        ByteArrayOutputStream gzipped = new ByteArrayOutputStream();
        for (int at = 0; at < data.length; at += 70_000) {
            ByteBuffer piece = ByteBuffer.wrap(data, at, Math.min(70_000, data.length - at)).asReadOnlyBuffer();
            ByteBuffer out = encoder.encode(piece);
            gzipped.write(out.array(), out.arrayOffset() + out.position(), out.remaining());
        }
        ByteBuffer end = encoder.finish();
        gzipped.write(end.array(), end.arrayOffset() + end.position(), end.remaining());
        encoder.release();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gzipped.toByteArray()))) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
        assertThat(gzipped.size()).isLessThan(data.length / 2);
    }

    @Test
    void anEmptyBodyIsAValidGzipStream() throws IOException {
        ResponseCompression.GzipEncoder encoder = new ResponseCompression.GzipEncoder();
        ByteBuffer end = encoder.finish();
        encoder.release();
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(end.array(), 0, end.remaining()))) {
            assertThat(in.readAllBytes()).isEmpty();
        }
    }

    /** A request's method and header fields, {@code nameValues} alternating. */
    private record Request(String method, Headers headers) {
    }

    private static Request request(String method, String... nameValues) {
        List<String[]> fields = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            fields.add(new String[] {nameValues[i], nameValues[i + 1]});
        }
        return new Request(method, new Headers() {
            @Override
            public int size() {
                return fields.size();
            }

            @Override
            public String name(int index) {
                return fields.get(index)[0];
            }

            @Override
            public String value(int index) {
                return fields.get(index)[1];
            }

            @Override
            public String first(String name) {
                List<String> all = all(name);
                return all.isEmpty() ? null : all.get(0);
            }

            @Override
            public List<String> all(String name) {
                return fields.stream().filter(f -> f[0].equalsIgnoreCase(name)).map(f -> f[1]).toList();
            }
        });
    }

    private boolean compresses(Request request, int status, HttpHeaders response, long length) {
        return compresses(compression, request, status, response, length);
    }

    private static boolean compresses(ResponseCompression compression, Request request, int status,
            HttpHeaders response, long length) {
        return compression.appliesTo(request.method(), request.headers(), status, response, length);
    }
}
