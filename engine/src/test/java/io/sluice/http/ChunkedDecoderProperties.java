package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class ChunkedDecoderProperties {

    /** Bytes that mean something to the decoder, and a few that never should. */
    private static final byte[] CHUNK_SYNTAX = {'0', '1', 'a', 'F', 'g', '\r', '\n', ';', '=', ':', ' ', '\t', 0, 0x7F,
        (byte) 0x80, 'x'};
    private static final int MAX_CHUNKS = 41;

    /** A chunked encoding of {@code body}, with what decoding must yield. */
    record Encoded(byte[] body, byte[] wire, List<String[]> trailers) {
        @Override
        public String toString() {
            return new String(wire, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    @Test
    void decodesAnyEncodingSplitAnywhere() {
        forAll(400, random -> decodesSplitAnywhere(encoded(random), Gen.intSet(random, 30, 1, 100_000)));
    }

    private static void decodesSplitAnywhere(Encoded encoded, Set<Integer> cuts) {
        byte[] suffix = "GET /pipelined HTTP/1.1\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = new byte[encoded.wire.length + suffix.length];
        System.arraycopy(encoded.wire, 0, wire, 0, encoded.wire.length);
        System.arraycopy(suffix, 0, wire, encoded.wire.length, suffix.length);

        TreeSet<Integer> points = new TreeSet<>();
        for (int cut : cuts) {
            points.add(1 + cut % (wire.length - 1));
        }
        List<Integer> bounds = new ArrayList<>(points);
        bounds.add(wire.length);

        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 8192);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        int stoppedAt = -1;
        for (int to : bounds) {
            int consumed = decoder.decode(wire, from, to, (b, off, len) -> out.write(b, off, len));
            assertThat(decoder.isFailed()).as("error %s decoding %s cut at %s", decoder.error(), encoded, bounds)
                    .isFalse();
            if (decoder.isComplete()) {
                stoppedAt = consumed;
                break;
            }
            assertThat(consumed).as("an unfinished body consumes everything").isEqualTo(to);
            from = to;
        }
        assertThat(stoppedAt).as("end of %s cut at %s", encoded, bounds).isEqualTo(encoded.wire.length);
        assertThat(out.toByteArray()).isEqualTo(encoded.body);
        assertThat(decoder.bodySize()).isEqualTo(encoded.body.length);
        FieldList trailers = decoder.trailers();
        assertThat(trailers.size()).isEqualTo(encoded.trailers.size());
        for (int i = 0; i < encoded.trailers.size(); i++) {
            assertThat(trailers.name(i)).isEqualTo(encoded.trailers.get(i)[0]);
            assertThat(trailers.value(i)).isEqualTo(encoded.trailers.get(i)[1]);
        }
    }

    @Test
    void randomBytesNeverThrow() {
        forAll(1000, random -> {
            byte[] bytes = random.nextBoolean() ? Gen.bytes(random, 200) : Gen.bytesFrom(random, CHUNK_SYNTAX, 200);
            randomBytesNeverThrow(bytes, Gen.intSet(random, 5, 1, 1000), Gen.intIn(random, 0, 64));
        });
    }

    private static void randomBytesNeverThrow(byte[] bytes, Set<Integer> cuts, int limit) {
        ChunkedDecoder decoder = new ChunkedDecoder(limit, Math.max(1, limit), limit);
        long[] delivered = {0};
        TreeSet<Integer> points = new TreeSet<>();
        for (int cut : cuts) {
            points.add(cut % (bytes.length + 1));
        }
        points.add(bytes.length);
        int from = 0;
        for (int to : points) {
            if (to < from) {
                continue;
            }
            int consumed = decoder.decode(bytes, from, to, (b, off, len) -> {
                assertThat(off).isBetween(0, b.length);
                assertThat(len).isPositive().isLessThanOrEqualTo(b.length - off);
                delivered[0] += len;
            });
            assertThat(consumed).isBetween(from, to);
            assertThat(decoder.isFailed() && decoder.isComplete()).isFalse();
            if (decoder.isFailed()) {
                assertThat(decoder.error()).isNotNull();
                break;
            }
            if (decoder.isComplete()) {
                decoder.trailers(); // null or fields, but no exception
                break;
            }
            assertThat(consumed).isEqualTo(to);
            from = to;
        }
        assertThat(delivered[0]).isLessThanOrEqualTo(limit);
        assertThat(decoder.bodySize()).isLessThanOrEqualTo(limit);
    }

    @Test
    void arbitraryBytesNeverThrow() {
        forAll(500, random -> {
            byte[] bytes = Gen.bytes(random, 200);
            ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 8192);
            int consumed = decoder.decode(bytes, 0, bytes.length, (b, off, len) -> { });
            assertThat(consumed).isBetween(0, bytes.length);
            if (decoder.isComplete()) {
                decoder.trailers();
            }
            assertThat(decoder.isFailed()).isEqualTo(decoder.error() != null);
        });
    }

    private static Encoded encoded(Random random) {
        byte[] body = Gen.bytes(random, 3000);
        List<Integer> sizes = Gen.list(random, 1, 40, r -> Gen.intIn(r, 1, 700));
        List<String> extensions = new ArrayList<>();
        List<Boolean> upper = new ArrayList<>();
        List<Integer> zeros = new ArrayList<>();
        for (int i = 0; i < MAX_CHUNKS; i++) {
            extensions.add(Gen.oneOf(random, "", "", "", ";a", ";name=value", ";q=\"x; y\"", " ;bws", ";x=1;y=2"));
            upper.add(random.nextBoolean());
            zeros.add(Gen.between(random, 0, 2));
        }
        List<String[]> trailers = Gen.list(random, 0, 4, r -> new String[] {
            "X" + Gen.fromAlphabet(r, "abcXYZ-_0", 1, 10),
            Gen.fromAlphabet(r, Gen.charRange((char) 0x21, (char) 0x7E) + "\u00e9", 0, 20)});
        return encode(body, sizes, extensions, upper, zeros, trailers);
    }

    private static Encoded encode(byte[] body, List<Integer> sizes, List<String> extensions, List<Boolean> upper,
            List<Integer> zeros, List<String[]> trailers) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int p = 0;
        int i = 0;
        while (p < body.length) {
            int size = Math.min(sizes.get(i % sizes.size()), body.length - p);
            String hex = Integer.toHexString(size);
            if (upper.get(i % upper.size())) {
                hex = hex.toUpperCase();
            }
            hex = "0".repeat(zeros.get(i % zeros.size())) + hex;
            wire.writeBytes((hex + extensions.get(i % extensions.size()) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            wire.write(body, p, size);
            wire.writeBytes(new byte[] {'\r', '\n'});
            p += size;
            i++;
        }
        StringBuilder last = new StringBuilder("0").append(extensions.get(MAX_CHUNKS - 1)).append("\r\n");
        for (String[] t : trailers) {
            last.append(t[0]).append(": ").append(t[1]).append("\r\n");
        }
        last.append("\r\n");
        wire.writeBytes(last.toString().getBytes(StandardCharsets.ISO_8859_1));
        return new Encoded(body, wire.toByteArray(), trailers);
    }
}
