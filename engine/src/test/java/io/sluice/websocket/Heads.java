package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.http.RequestHead;
import io.sluice.http.RequestHeadParser;
import java.nio.charset.StandardCharsets;

/** Test helpers: request heads parsed the way a connection parses them. */
final class Heads {

    static final String SAMPLE_KEY = "dGhlIHNhbXBsZSBub25jZQ==";
    static final String SAMPLE_ACCEPT = "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=";

    private Heads() {
    }

    /** Scans and parses {@code head}, which must be complete and valid HTTP. */
    static RequestHead parse(String head) {
        RequestHeadParser parser = new RequestHeadParser(8192, 8192, 100);
        byte[] b = head.getBytes(StandardCharsets.ISO_8859_1);
        int length = parser.scan(b, 0, b.length);
        assertThat(length).as("scan of %s (error %s)", head, parser.error()).isEqualTo(b.length);
        RequestHead parsed = parser.parse(b, 0, length);
        assertThat(parsed).as("parse of %s (error %s)", head, parser.error()).isNotNull();
        return parsed;
    }

    /** A request line and Host, then the given field lines (without CRLF). */
    static RequestHead request(String requestLine, String... fields) {
        StringBuilder s = new StringBuilder(requestLine).append("\r\nHost: example.com\r\n");
        for (String f : fields) {
            s.append(f).append("\r\n");
        }
        return parse(s.append("\r\n").toString());
    }

    /** A valid handshake (the RFC 6455 sample key) plus {@code extra} field lines. */
    static RequestHead handshake(String... extra) {
        String[] fields = new String[4 + extra.length];
        fields[0] = "Upgrade: websocket";
        fields[1] = "Connection: Upgrade";
        fields[2] = "Sec-WebSocket-Key: " + SAMPLE_KEY;
        fields[3] = "Sec-WebSocket-Version: 13";
        System.arraycopy(extra, 0, fields, 4, extra.length);
        return request("GET /chat HTTP/1.1", fields);
    }
}
