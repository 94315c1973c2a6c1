package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class ChunkedDecoderProperties {

    /** A chunked encoding of {@code body}, with what decoding must yield. */
    record Encoded(byte[] body, byte[] wire, List<String[]> trailers) {
        @Override
        public String toString() {
            return new String(wire, StandardCharsets.ISO_8859_1).replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    @Property(tries = 400)
    void decodesAnyEncodingSplitAnywhere(@ForAll("encoded") Encoded encoded,
            @ForAll @Size(max = 30) Set<@IntRange(min = 1, max = 100_000) Integer> cuts) {
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
            assertThat(decoder.isFailed()).as("error %s", decoder.error()).isFalse();
            if (decoder.isComplete()) {
                stoppedAt = consumed;
                break;
            }
            assertThat(consumed).as("an unfinished body consumes everything").isEqualTo(to);
            from = to;
        }
        assertThat(stoppedAt).isEqualTo(encoded.wire.length);
        assertThat(out.toByteArray()).isEqualTo(encoded.body);
        assertThat(decoder.bodySize()).isEqualTo(encoded.body.length);
        FieldList trailers = decoder.trailers();
        assertThat(trailers.size()).isEqualTo(encoded.trailers.size());
        for (int i = 0; i < encoded.trailers.size(); i++) {
            assertThat(trailers.name(i)).isEqualTo(encoded.trailers.get(i)[0]);
            assertThat(trailers.value(i)).isEqualTo(encoded.trailers.get(i)[1]);
        }
    }

    @Property(tries = 1000)
    void randomBytesNeverThrow(@ForAll("chunkGarbage") byte[] bytes,
            @ForAll @Size(max = 5) Set<@IntRange(min = 1, max = 1000) Integer> cuts,
            @ForAll @IntRange(min = 0, max = 64) int limit) {
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

    @Property(tries = 500)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 200) byte[] bytes) {
        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 8192);
        int consumed = decoder.decode(bytes, 0, bytes.length, (b, off, len) -> { });
        assertThat(consumed).isBetween(0, bytes.length);
        if (decoder.isComplete()) {
            decoder.trailers();
        }
        assertThat(decoder.isFailed()).isEqualTo(decoder.error() != null);
    }

    @Provide
    Arbitrary<Encoded> encoded() {
        Arbitrary<byte[]> body = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        Arbitrary<List<Integer>> sizes = Arbitraries.integers().between(1, 700).list().ofMinSize(1).ofMaxSize(40);
        Arbitrary<List<String>> extensions = Arbitraries.of("", "", "", ";a", ";name=value", ";q=\"x; y\"", " ;bws",
                ";x=1;y=2").list().ofSize(41);
        Arbitrary<List<Boolean>> upper = Arbitraries.of(true, false).list().ofSize(41);
        Arbitrary<List<Integer>> zeros = Arbitraries.integers().between(0, 2).list().ofSize(41);
        Arbitrary<List<String[]>> trailers = Combinators.combine(
                Arbitraries.strings().withChars("abcXYZ-_0").ofMinLength(1).ofMaxLength(10).map(n -> "X" + n),
                Arbitraries.strings().withCharRange((char) 0x21, (char) 0x7E).withChars("\u00e9").ofMaxLength(20))
                .as((n, v) -> new String[] {n, v}).list().ofMaxSize(4);
        return Combinators.combine(body, sizes, extensions, upper, zeros, trailers)
                .as(ChunkedDecoderProperties::encode);
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
        StringBuilder last = new StringBuilder("0").append(extensions.get(40)).append("\r\n");
        for (String[] t : trailers) {
            last.append(t[0]).append(": ").append(t[1]).append("\r\n");
        }
        last.append("\r\n");
        wire.writeBytes(last.toString().getBytes(StandardCharsets.ISO_8859_1));
        return new Encoded(body, wire.toByteArray(), trailers);
    }

    @Provide
    Arbitrary<byte[]> chunkGarbage() {
        return Arbitraries.oneOf(
                Arbitraries.bytes().array(byte[].class).ofMaxSize(200),
                Arbitraries.of((byte) '0', (byte) '1', (byte) 'a', (byte) 'F', (byte) 'g', (byte) '\r', (byte) '\n',
                        (byte) ';', (byte) '=', (byte) ':', (byte) ' ', (byte) '\t', (byte) 0, (byte) 0x7F,
                        (byte) 0x80, (byte) 'x').array(byte[].class).ofMaxSize(200));
    }
}
