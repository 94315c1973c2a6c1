package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ResponseEncoderTest {

    private static final byte[] DATE = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n".getBytes(StandardCharsets.US_ASCII);

    static String encode(ResponseEncoder encoder, HttpResponse response, ResponseEncoder.Framing framing,
            long contentLength, int connection) {
        ByteBuffer out = ByteBuffer.allocate(encoder.headSizeBound(response));
        encoder.encodeHead(out, response, DATE, framing, contentLength, connection);
        return new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
    }

    @Test
    void encodesAFullHeadInOrder() {
        HttpResponse response = HttpResponse.status(200).header("X-One", "1").header("X-Two", "2").text("hello");
        String head = encode(new ResponseEncoder("Sluice"), response, ResponseEncoder.Framing.CONTENT_LENGTH, 5, 2);
        assertThat(head).isEqualTo("HTTP/1.1 200 OK\r\n"
                + "Server: Sluice\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "X-One: 1\r\n"
                + "X-Two: 2\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: 5\r\n"
                + "Connection: keep-alive\r\n"
                + "\r\n");
    }

    @Test
    void chunkedFramingAndConnectionClose() {
        HttpResponse response = HttpResponse.status(201).stream(out -> { });
        String head = encode(new ResponseEncoder("S"), response, ResponseEncoder.Framing.CHUNKED, -1, 1);
        assertThat(head).isEqualTo("HTTP/1.1 201 Created\r\nServer: S\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n"
                + "Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    }

    @Test
    void noFramingAndNoConnectionField() {
        String head = encode(new ResponseEncoder("S"), HttpResponse.noContent(), ResponseEncoder.Framing.NONE, 0, 0);
        assertThat(head).isEqualTo("HTTP/1.1 204 No Content\r\nServer: S\r\n"
                + "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n\r\n");
        assertThat(head).doesNotContain("Content-Length").doesNotContain("Transfer-Encoding")
                .doesNotContain("Connection");
    }

    @Test
    void responseServerFieldReplacesTheDefault() {
        HttpResponse response = HttpResponse.status(200).header("server", "Custom/1.0").empty();
        String head = encode(new ResponseEncoder("Sluice"), response, ResponseEncoder.Framing.CONTENT_LENGTH, 0, 0);
        assertThat(head).doesNotContain("Sluice").contains("server: Custom/1.0\r\n");
        assertThat(head.indexOf("Server") + head.indexOf("server: ")).isLessThan(head.length());
    }

    @Test
    void noServerFieldWhenNoneConfigured() {
        HttpResponse response = HttpResponse.status(200).empty();
        assertThat(encode(new ResponseEncoder(null), response, ResponseEncoder.Framing.CONTENT_LENGTH, 0, 0))
                .isEqualTo("HTTP/1.1 200 OK\r\nDate: Sun, 06 Nov 1994 08:49:37 GMT\r\nContent-Length: 0\r\n\r\n");
        assertThat(encode(new ResponseEncoder(""), response, ResponseEncoder.Framing.CONTENT_LENGTH, 0, 0))
                .doesNotContain("Server");
    }

    @ParameterizedTest
    @CsvSource({"0,0", "9,9", "10,10", "99,99", "100,100", "123456789,123456789",
        "9223372036854775807,9223372036854775807"})
    void contentLengthInDecimal(long value, String expected) {
        String head = encode(new ResponseEncoder("S"), HttpResponse.status(200).empty(),
                ResponseEncoder.Framing.CONTENT_LENGTH, value, 0);
        assertThat(head).contains("\r\nContent-Length: " + expected + "\r\n\r\n");
    }

    @Test
    void putDecimalWritesAtTheBufferPosition() {
        ByteBuffer out = ByteBuffer.allocate(32);
        out.put((byte) 'x');
        ResponseEncoder.putDecimal(out, 4096);
        ResponseEncoder.putDecimal(out, 7);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII)).isEqualTo("x40967");
    }

    @ParameterizedTest
    @CsvSource({"200,OK", "404,Not Found", "413,Content Too Large", "431,Request Header Fields Too Large",
        "505,HTTP Version Not Supported", "299,Success", "470,Client Error", "599,Server Error"})
    void standardAndGenericReasonPhrases(int status, String reason) {
        String head = encode(new ResponseEncoder("S"), HttpResponse.status(status).empty(),
                ResponseEncoder.Framing.NONE, 0, 0);
        assertThat(head).startsWith("HTTP/1.1 " + status + " " + reason + "\r\n");
    }

    @Test
    void customReasonAndStatusesBeyond599() {
        ResponseEncoder encoder = new ResponseEncoder("S");
        assertThat(encode(encoder, HttpResponse.status(200).reason("Fine \u00e9").empty(),
                ResponseEncoder.Framing.NONE, 0, 0)).startsWith("HTTP/1.1 200 Fine \u00e9\r\nServer: S\r\n");
        assertThat(encode(encoder, HttpResponse.status(799).empty(), ResponseEncoder.Framing.NONE, 0, 0))
                .startsWith("HTTP/1.1 799 Unknown\r\n");
        assertThat(encode(encoder, HttpResponse.status(999).reason("").empty(), ResponseEncoder.Framing.NONE, 0, 0))
                .startsWith("HTTP/1.1 999 \r\n");
    }

    @Test
    void obsTextInFieldValuesIsOneByteEach() {
        HttpResponse response = HttpResponse.status(200).header("X-Name", "caf\u00e9").empty();
        ByteBuffer out = ByteBuffer.allocate(new ResponseEncoder("S").headSizeBound(response));
        new ResponseEncoder("S").encodeHead(out, response, DATE, ResponseEncoder.Framing.NONE, 0, 0);
        String head = new String(out.array(), 0, out.position(), StandardCharsets.ISO_8859_1);
        int at = head.indexOf("caf");
        assertThat(out.array()[at + 3]).isEqualTo((byte) 0xE9);
        assertThat(out.array()[at + 4]).isEqualTo((byte) '\r');
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "9,9", "10,a", "15,f", "16,10", "255,ff", "256,100", "4096,1000", "11259375,abcdef",
        "2147483647,7fffffff"})
    void chunkHeaderInLowercaseHex(int size, String hex) {
        ByteBuffer out = ByteBuffer.allocate(16);
        ResponseEncoder.putChunkHeader(out, size);
        assertThat(new String(out.array(), 0, out.position(), StandardCharsets.US_ASCII)).isEqualTo(hex + "\r\n");
    }

    @Test
    void fixedMessages() {
        assertThat(new String(ResponseEncoder.continueResponse(), StandardCharsets.US_ASCII))
                .isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(new String(ResponseEncoder.lastChunk(), StandardCharsets.US_ASCII)).isEqualTo("0\r\n\r\n");
    }
}
