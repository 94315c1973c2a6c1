package io.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

/** Test helpers: run a head through scan and parse the way a connection does. */
final class HeadParsing {

    static final int MAX_LINE = 8192;
    static final int MAX_HEADERS = 8192;
    static final int MAX_COUNT = 100;

    private HeadParsing() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static RequestHeadParser parser() {
        return new RequestHeadParser(MAX_LINE, MAX_HEADERS, MAX_COUNT);
    }

    /** Scans and parses {@code head}, which must be complete; fails the test when it is refused. */
    static RequestHead parse(String head) {
        RequestHeadParser parser = parser();
        byte[] b = bytes(head);
        int length = parser.scan(b, 0, b.length);
        assertThat(length).as("scan of %s (error %s)", head, parser.error()).isEqualTo(b.length);
        RequestHead parsed = parser.parse(b, 0, length);
        assertThat(parsed).as("parse of %s (error %s)", head, parser.error()).isNotNull();
        return parsed;
    }

    /** The error a complete {@code head} is refused with, by scan or by parse; fails the test when accepted. */
    static RequestError error(String head) {
        return error(parser(), head);
    }

    static RequestError error(RequestHeadParser parser, String head) {
        byte[] b = bytes(head);
        int length = parser.scan(b, 0, b.length);
        if (length == RequestHeadParser.FAILED) {
            assertThat(parser.error()).isNotNull();
            return parser.error();
        }
        assertThat(length).as("scan of %s", head).isPositive();
        RequestHead parsed = parser.parse(b, 0, length);
        assertThat(parsed).as("parse of %s should fail", head).isNull();
        assertThat(parser.error()).isNotNull();
        return parser.error();
    }

    /** A minimal HTTP/1.1 head with the given field lines (each without CRLF) after a Host field. */
    static String get11(String... fields) {
        StringBuilder s = new StringBuilder("GET / HTTP/1.1\r\nHost: example.com\r\n");
        for (String f : fields) {
            s.append(f).append("\r\n");
        }
        return s.append("\r\n").toString();
    }

    static String post11(String... fields) {
        return "POST" + get11(fields).substring(3);
    }
}
