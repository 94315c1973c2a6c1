package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ChunkedDecoderTest {

    /** Collects the decoded body. */
    static final class Sink implements BodySink {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int calls;

        @Override
        public void onBodyBytes(byte[] bytes, int offset, int length) {
            assertThat(length).isPositive();
            out.write(bytes, offset, length);
            calls++;
        }

        String text() {
            return out.toString(StandardCharsets.ISO_8859_1);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static ChunkedDecoder decoder() {
        return new ChunkedDecoder(1 << 20, 4096, 8192);
    }

    /** Decodes all of {@code wire} in one call; returns the index after the last consumed byte. */
    private static int decodeAll(ChunkedDecoder decoder, String wire, Sink sink) {
        byte[] b = bytes(wire);
        return decoder.decode(b, 0, b.length, sink);
    }

    private static RequestError failure(ChunkedDecoder decoder, String wire) {
        Sink sink = new Sink();
        decodeAll(decoder, wire, sink);
        assertThat(decoder.isFailed()).as("decoding %s should fail", wire).isTrue();
        assertThat(decoder.isComplete()).isFalse();
        return decoder.error();
    }

    private static RequestError failure(String wire) {
        return failure(decoder(), wire);
    }

    @Test
    void decodesASingleChunk() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        String wire = "5\r\nhello\r\n0\r\n\r\n";
        assertThat(decodeAll(decoder, wire, sink)).isEqualTo(wire.length());
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.isFailed()).isFalse();
        assertThat(decoder.error()).isNull();
        assertThat(sink.text()).isEqualTo("hello");
        assertThat(decoder.bodySize()).isEqualTo(5);
        assertThat(decoder.trailers().size()).isZero();
    }

    @Test
    void emptyBody() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        assertThat(decodeAll(decoder, "0\r\n\r\n", sink)).isEqualTo(5);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(sink.calls).isZero();
        assertThat(decoder.bodySize()).isZero();
    }

    @Test
    void stopsRightAfterTheLastChunkAndLeavesPipelinedBytes() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        String body = "3\r\nabc\r\n0\r\n\r\n";
        String wire = body + "GET /next HTTP/1.1\r\n";
        assertThat(decodeAll(decoder, wire, sink)).isEqualTo(body.length());
        assertThat(sink.text()).isEqualTo("abc");
        assertThat(decoder.isComplete()).isTrue();
    }

    @Test
    void stopsRightAfterTheTrailerSection() {
        ChunkedDecoder decoder = decoder();
        String body = "1\r\nx\r\n0\r\nX-Sum: 1\r\n\r\n";
        assertThat(decodeAll(decoder, body + "0\r\n\r\n", new Sink())).isEqualTo(body.length());
    }

    @Test
    void consumesNothingOnceComplete() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        decodeAll(decoder, "0\r\n\r\n", sink);
        byte[] more = bytes("5\r\nhello\r\n");
        assertThat(decoder.decode(more, 2, more.length, sink)).isEqualTo(2);
        assertThat(sink.calls).isZero();
    }

    @Test
    void hexSizesInEitherCase() {
        String sixteen = "0123456789abcdef";
        String wire = "a\r\n" + "x".repeat(10) + "\r\nA\r\n" + "y".repeat(10) + "\r\n1F\r\n" + "z".repeat(31)
                + "\r\n10\r\n" + sixteen + "\r\n0\r\n\r\n";
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        assertThat(decodeAll(decoder, wire, sink)).isEqualTo(wire.length());
        assertThat(sink.text()).isEqualTo("x".repeat(10) + "y".repeat(10) + "z".repeat(31) + sixteen);
        assertThat(decoder.bodySize()).isEqualTo(67);
    }

    @Test
    void leadingZerosInSizes() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        decodeAll(decoder, "0003\r\nabc\r\n000\r\n\r\n", sink);
        assertThat(decoder.isComplete()).isTrue();
        assertThat(sink.text()).isEqualTo("abc");
    }

    @Test
    void bodyBytesMayContainCrLfAndAnyOctet() {
        byte[] data = new byte[256];
        for (int i = 0; i < 256; i++) {
            data[i] = (byte) i;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(bytes("100\r\n"));
        wire.writeBytes(data);
        wire.writeBytes(bytes("\r\n0\r\n\r\n"));
        byte[] b = wire.toByteArray();
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        assertThat(decoder.decode(b, 0, b.length, sink)).isEqualTo(b.length);
        assertThat(sink.out.toByteArray()).isEqualTo(data);
    }

    @ParameterizedTest
    @ValueSource(strings = {";name=value", ";a", ";a;b=c", ";q=\"quoted; \\\" value\"", " ;x", "\t;x=1", ";x=\u00e9",
        "; a = b"})
    void chunkExtensionsAreIgnored(String extension) {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        String wire = "5" + extension + "\r\nhello\r\n0" + extension + "\r\n\r\n";
        assertThat(decodeAll(decoder, wire, sink)).isEqualTo(wire.length());
        assertThat(decoder.isComplete()).isTrue();
        assertThat(sink.text()).isEqualTo("hello");
    }

    @ParameterizedTest
    @ValueSource(ints = {0x00, 0x01, 0x0B, 0x1F, 0x7F})
    void controlBytesInExtensionsAreRefused(int b) {
        assertThat(failure("5;a" + (char) b + "b\r\nhello\r\n0\r\n\r\n")).isEqualTo(RequestError.INVALID_CHUNK);
    }

    @Test
    void overlongChunkSizeLineIsRefused() {
        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 32, 1024);
        assertThat(failure(decoder, "5;" + "e".repeat(40) + "\r\nhello\r\n0\r\n\r\n"))
                .isEqualTo(RequestError.INVALID_CHUNK);
        ChunkedDecoder fits = new ChunkedDecoder(1 << 20, 32, 1024);
        Sink sink = new Sink();
        decodeAll(fits, "5;" + "e".repeat(20) + "\r\nhello\r\n0\r\n\r\n", sink);
        assertThat(fits.isComplete()).isTrue();
    }

    @Test
    void chunkOverTheBodyLimitIsRefusedBeforeItsDataIsRead() {
        ChunkedDecoder decoder = new ChunkedDecoder(10, 4096, 1024);
        Sink sink = new Sink();
        byte[] b = bytes("b\r\n");
        int consumed = decoder.decode(b, 0, b.length, sink);
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decoder.error()).isEqualTo(RequestError.BODY_TOO_LARGE);
        assertThat(decoder.error().status()).isEqualTo(413);
        assertThat(consumed).isLessThanOrEqualTo(b.length);
        assertThat(sink.calls).isZero();
    }

    @Test
    void bodyLimitCountsEveryChunk() {
        ChunkedDecoder decoder = new ChunkedDecoder(10, 4096, 1024);
        Sink sink = new Sink();
        decodeAll(decoder, "6\r\nabcdef\r\n5\r\nghijk\r\n0\r\n\r\n", sink);
        assertThat(decoder.error()).isEqualTo(RequestError.BODY_TOO_LARGE);
        assertThat(sink.text()).isEqualTo("abcdef");

        ChunkedDecoder exact = new ChunkedDecoder(10, 4096, 1024);
        Sink exactSink = new Sink();
        decodeAll(exact, "6\r\nabcdef\r\n4\r\nghij\r\n0\r\n\r\n", exactSink);
        assertThat(exact.isComplete()).isTrue();
        assertThat(exactSink.text()).isEqualTo("abcdefghij");
    }

    @Test
    void hugeSizesAreRefusedWithoutOverflow() {
        assertThat(failure("ffffffffffffffff\r\n")).isEqualTo(RequestError.BODY_TOO_LARGE);
        assertThat(failure("fffffffffffffff\r\n")).isEqualTo(RequestError.BODY_TOO_LARGE);
        assertThat(failure("7fffffffffffffffffffffffffff\r\n")).isEqualTo(RequestError.BODY_TOO_LARGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "\r\n",                        // empty size line
        ";ext\r\n",                    // extension without size
        "g\r\nx\r\n0\r\n\r\n",         // not hex
        "-5\r\nhello\r\n0\r\n\r\n",    // sign
        "+5\r\nhello\r\n0\r\n\r\n",
        " 5\r\nhello\r\n0\r\n\r\n",    // leading whitespace
        "5\nhello\r\n0\r\n\r\n",       // bare LF after size
        "5\rhello\r\n0\r\n\r\n",       // CR without LF after size
        "5\r\nhelloX\r\n0\r\n\r\n",    // data longer than its size
        "5\r\nhello\n0\r\n\r\n",       // bare LF after data
        "5\r\nhello0\r\n\r\n",         // missing CRLF after data
        "5\r\nhello\r0\r\n\r\n",       // CR without LF after data
        "0\r\n\n",                     // bare LF ending the trailer section
        "0\r\nX: y\n\r\n",             // bare LF ending a trailer line
        "0\r\nX: y\r\r\n",             // CR without LF in trailers
        "0\r\n\r\r"                    // CR without LF at the very end
    })
    void malformedFramingIsRefused(String wire) {
        assertThat(failure(wire)).isEqualTo(RequestError.INVALID_CHUNK);
        assertThat(RequestError.INVALID_CHUNK.status()).isEqualTo(400);
    }

    @Test
    void failureStopsDecodingAndPassesNoFurtherData() {
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        decodeAll(decoder, "3\r\nabcX", sink);
        assertThat(decoder.isFailed()).isTrue();
        byte[] more = bytes("\r\n3\r\ndef\r\n0\r\n\r\n");
        assertThat(decoder.decode(more, 0, more.length, sink)).isZero();
        assertThat(sink.text()).isEqualTo("abc");
        assertThat(decoder.isFailed()).isTrue();
    }

    @Test
    void trailersAreParsedInOrderWithOwsTrimmed() {
        ChunkedDecoder decoder = decoder();
        decodeAll(decoder, "1\r\nx\r\n0\r\nX-Checksum: abc\r\nX-Other:  v w \t\r\nx-checksum:def\r\nX-Empty:\r\n\r\n",
                new Sink());
        assertThat(decoder.isComplete()).isTrue();
        FieldList trailers = decoder.trailers();
        assertThat(trailers.size()).isEqualTo(4);
        assertThat(trailers.name(0)).isEqualTo("X-Checksum");
        assertThat(trailers.value(0)).isEqualTo("abc");
        assertThat(trailers.first("x-other")).isEqualTo("v w");
        assertThat(trailers.all("X-CHECKSUM")).containsExactly("abc", "def");
        assertThat(trailers.first("x-empty")).isEmpty();
        assertThat(trailers.first("missing")).isNull();
        assertThat(trailers.all("missing")).isEmpty();
        assertThat(trailers.contains("X-Other")).isTrue();
    }

    @Test
    void obsTextInTrailerValuesIsKeptAsLatin1() {
        ChunkedDecoder decoder = decoder();
        decodeAll(decoder, "0\r\nX-Name: caf\u00e9\r\n\r\n", new Sink());
        assertThat(decoder.trailers().first("x-name")).isEqualTo("caf\u00e9");
    }

    @Test
    void fieldsForbiddenInTrailersAreDropped() {
        ChunkedDecoder decoder = decoder();
        decodeAll(decoder, "0\r\nContent-Length: 5\r\ntransfer-encoding: chunked\r\nHOST: evil\r\nConnection: close\r\n"
                + "Trailer: x\r\nContent-Type: text/html\r\nContent-Encoding: gzip\r\nX-Kept: yes\r\n\r\n", new Sink());
        FieldList trailers = decoder.trailers();
        assertThat(trailers.size()).isEqualTo(1);
        assertThat(trailers.name(0)).isEqualTo("X-Kept");
        assertThat(trailers.contains("content-length")).isFalse();
        assertThat(trailers.contains("host")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon", "X : y", ": y", " folded: y", "\tX: y", "X(y): z", "X: a\u0001b", "X: a\u007fb"})
    void malformedTrailerLinesMakeTrailersInvalid(String line) {
        ChunkedDecoder decoder = decoder();
        decodeAll(decoder, "0\r\n" + line + "\r\n\r\n", new Sink());
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.trailers()).as("a connection refuses the request when trailers() is null").isNull();
    }

    @Test
    void trailerSectionOverTheLimitIsRefused() {
        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 32);
        RequestError error = failure(decoder, "0\r\nX-Long: " + "v".repeat(40) + "\r\n\r\n");
        assertThat(error).isEqualTo(RequestError.HEADERS_TOO_LARGE);
        assertThat(error.status()).isEqualTo(431);

        ChunkedDecoder many = new ChunkedDecoder(1 << 20, 4096, 32);
        assertThat(failure(many, "0\r\n" + "A: b\r\n".repeat(20) + "\r\n")).isEqualTo(RequestError.HEADERS_TOO_LARGE);
    }

    @Test
    void trailerSectionWithinTheLimitIsAccepted() {
        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 32);
        decodeAll(decoder, "0\r\n" + "A: b\r\n".repeat(5) + "\r\n", new Sink());
        assertThat(decoder.isComplete()).isTrue();
        assertThat(decoder.trailers().all("a")).hasSize(5);
    }

    @Test
    void byteByByteGivesTheSameResult() {
        String wire = "4;x=y\r\nWiki\r\n5\r\npedia\r\nE\r\n in\r\n\r\nchunks.\r\n0\r\nX-T: 1\r\n\r\nrest";
        byte[] b = bytes(wire);
        ChunkedDecoder decoder = decoder();
        Sink sink = new Sink();
        int p = 0;
        while (!decoder.isComplete()) {
            int next = decoder.decode(b, p, p + 1, sink);
            assertThat(decoder.isFailed()).isFalse();
            assertThat(next).isEqualTo(p + 1);
            p = next;
        }
        assertThat(p).isEqualTo(wire.length() - 4);
        assertThat(sink.text()).isEqualTo("Wikipedia in\r\n\r\nchunks.");
        assertThat(decoder.trailers().first("x-t")).isEqualTo("1");
    }
}
