package io.sluice.http;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.testing.Gen;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ResponseEncoderProperties {

    /** What a reason phrase or field value may hold: VCHAR, obs-text, SP and HTAB (DEL is left out below). */
    private static final String TEXT = Gen.charRange((char) 0x20, (char) 0xFF) + "\t";
    private static final List<String> ENCODER_OWNED = List.of("content-length", "transfer-encoding", "date",
            "connection");

    @Test
    void headSizeBoundIsNeverExceeded() {
        forAll(500, random -> {
            HttpResponse response = response(random);
            String server = Gen.fromAlphabet(random, Gen.charRange((char) 0x20, (char) 0x7E), 0, 60);
            ResponseEncoder.Framing framing = Gen.oneOf(random, ResponseEncoder.Framing.values());
            long contentLength = Gen.longIn(random, 0, Long.MAX_VALUE);
            int connection = Gen.intIn(random, 0, 2);
            int now = Gen.intIn(random, 0, 1_000_000_000);

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
            assertThat(head.contains("Transfer-Encoding: chunked\r\n"))
                    .isEqualTo(framing == ResponseEncoder.Framing.CHUNKED);
            assertThat(head.contains("Connection: close\r\n")).isEqualTo(connection == 1);
            assertThat(head.contains("Connection: keep-alive\r\n")).isEqualTo(connection == 2);
            String afterStatusLine = head.substring(head.indexOf("\r\n") + 2);
            if (!server.isEmpty() && !response.hasServerHeader()) {
                assertThat(afterStatusLine).startsWith("Server: " + server + "\r\nDate: ");
            } else {
                assertThat(afterStatusLine).startsWith("Date: ");
            }
        });
    }

    @Test
    void chunkHeaderIsLowercaseHex() {
        forAll(300, random -> {
            int size = Gen.intIn(random, 0, Integer.MAX_VALUE);
            ByteBuffer out = ByteBuffer.allocate(10);
            ResponseEncoder.putChunkHeader(out, size);
            assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII))
                    .isEqualTo(Integer.toHexString(size) + "\r\n");
        });
    }

    @Test
    void decimalMatchesLongToString() {
        forAll(300, random -> {
            long value = Gen.longIn(random, 0, Long.MAX_VALUE);
            ByteBuffer out = ByteBuffer.allocate(20);
            ResponseEncoder.putDecimal(out, value);
            assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII))
                    .isEqualTo(Long.toString(value));
        });
    }

    private static HttpResponse response(Random random) {
        int status = random.nextBoolean() ? Gen.intIn(random, 200, 999)
                : Gen.oneOf(random, 200, 204, 404, 413, 431, 500, 505, 599, 600, 999);
        String reason = Gen.orNull(random, 0.6, () -> text(random, 200));
        HttpResponse.Builder builder = HttpResponse.status(status);
        if (reason != null) {
            builder.reason(reason);
        }
        int fields = Gen.size(random, 0, 30);
        for (int i = 0; i < fields; i++) {
            builder.header(random.nextBoolean() ? fieldName(random) : "Server", text(random, 300));
        }
        return switch (Gen.between(random, 0, 3)) {
            case 0 -> builder.empty();
            case 1 -> builder.text("body");
            case 2 -> builder.stream(out -> { });
            default -> builder.json("{}");
        };
    }

    /** A token that is not one of the fields the encoder writes itself. */
    private static String fieldName(Random random) {
        String name;
        do {
            name = Gen.token(random, 40);
        } while (ENCODER_OWNED.contains(name.toLowerCase()));
        return name;
    }

    private static String text(Random random, int maxLength) {
        return Gen.fromAlphabet(random, TEXT, 0, maxLength).replace('\u007f', '~');
    }
}
