package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class ResponseEncoderProperties {

    private static final String TCHARS = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    @Property(tries = 500)
    void headSizeBoundIsNeverExceeded(@ForAll("responses") HttpResponse response,
            @ForAll("serverNames") String server, @ForAll ResponseEncoder.Framing framing,
            @ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long contentLength,
            @ForAll @IntRange(min = 0, max = 2) int connection, @ForAll @IntRange(min = 0, max = 1_000_000_000) int now) {
        ResponseEncoder encoder = new ResponseEncoder(server);
        HttpDate date = new HttpDate();
        date.update(now * 1000L);
        ByteBuffer out = ByteBuffer.allocate(encoder.headSizeBound(response));
        encoder.encodeHead(out, response, date.line(), framing, contentLength, connection);

        String head = new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
        assertThat(head).startsWith("HTTP/1.1 " + response.status() + " " + response.reason() + "\r\n");
        assertThat(head).endsWith("\r\n\r\n");
        assertThat(head.indexOf("\r\n\r\n")).isEqualTo(head.length() - 4);
        assertThat(head).contains(new String(date.line(), StandardCharsets.US_ASCII));
        for (String[] field : response.headerFields()) {
            assertThat(head).contains("\r\n" + field[0] + ": " + field[1] + "\r\n");
        }
        assertThat(head.contains("Content-Length: " + contentLength + "\r\n"))
                .isEqualTo(framing == ResponseEncoder.Framing.CONTENT_LENGTH);
        assertThat(head.contains("Transfer-Encoding: chunked\r\n")).isEqualTo(framing == ResponseEncoder.Framing.CHUNKED);
        assertThat(head.contains("Connection: close\r\n")).isEqualTo(connection == 1);
        assertThat(head.contains("Connection: keep-alive\r\n")).isEqualTo(connection == 2);
        String afterStatusLine = head.substring(head.indexOf("\r\n") + 2);
        if (!server.isEmpty() && !response.hasServerHeader()) {
            assertThat(afterStatusLine).startsWith("Server: " + server + "\r\nDate: ");
        } else {
            assertThat(afterStatusLine).startsWith("Date: ");
        }
    }

    @Property(tries = 300)
    void chunkHeaderIsLowercaseHex(@ForAll @IntRange(min = 0, max = Integer.MAX_VALUE) int size) {
        ByteBuffer out = ByteBuffer.allocate(10);
        ResponseEncoder.putChunkHeader(out, size);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII))
                .isEqualTo(Integer.toHexString(size) + "\r\n");
    }

    @Property(tries = 300)
    void decimalMatchesLongToString(@ForAll @LongRange(min = 0, max = Long.MAX_VALUE) long value) {
        ByteBuffer out = ByteBuffer.allocate(20);
        ResponseEncoder.putDecimal(out, value);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII)).isEqualTo(Long.toString(value));
    }

    @Provide
    Arbitrary<String> serverNames() {
        return Arbitraries.strings().withCharRange((char) 0x20, (char) 0x7E).ofMaxLength(60);
    }

    @Provide
    Arbitrary<HttpResponse> responses() {
        Arbitrary<Integer> status = Arbitraries.oneOf(Arbitraries.integers().between(200, 999),
                Arbitraries.of(200, 204, 404, 413, 431, 500, 505, 599, 600, 999));
        Arbitrary<String> reason = Arbitraries.strings().withCharRange((char) 0x20, (char) 0xFF).withChars('\t')
                .ofMaxLength(200).map(s -> s.replace('\u007f', '~')).injectNull(0.6);
        Arbitrary<String> name = Arbitraries.strings().withChars(TCHARS).ofMinLength(1).ofMaxLength(40)
                .filter(n -> !List.of("content-length", "transfer-encoding", "date", "connection")
                        .contains(n.toLowerCase()));
        Arbitrary<String> value = Arbitraries.strings().withCharRange((char) 0x20, (char) 0xFF).withChars('\t')
                .ofMaxLength(300).map(s -> s.replace('\u007f', '~'));
        Arbitrary<List<String[]>> fields = Combinators.combine(Arbitraries.oneOf(name, Arbitraries.of("Server")), value)
                .as((n, v) -> new String[] {n, v}).list().ofMaxSize(30);
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        return Combinators.combine(status, reason, fields, kind).as((s, r, fs, k) -> {
            HttpResponse.Builder builder = HttpResponse.status(s);
            if (r != null) {
                builder.reason(r);
            }
            for (String[] f : fs) {
                builder.header(f[0], f[1]);
            }
            return switch (k) {
                case 0 -> builder.empty();
                case 1 -> builder.text("body");
                case 2 -> builder.stream(out -> { });
                default -> builder.json("{}");
            };
        });
    }
}
