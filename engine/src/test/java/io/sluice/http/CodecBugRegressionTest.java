package io.sluice.http;

import static io.sluice.http.HeadParsing.bytes;
import static io.sluice.http.HeadParsing.error;
import static io.sluice.http.HeadParsing.parse;
import static io.sluice.http.HeadParsing.post11;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Reproductions of codec bugs found in review; each test states the behaviour users rely on. */
class CodecBugRegressionTest {

    /** Scanning must not depend on how reads split the head: here the final CRLF arrives as "\r" + "\n". */
    @Test
    void headerSectionAtTheLimitIsAcceptedWhateverTheSplit() {
        // Field lines: "Host: h\r\n" (9) + "X: " + 50 + CRLF (55) = 64 bytes, exactly the limit.
        byte[] b = bytes("GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(50) + "\r\n\r\n");
        RequestHeadParser parser = new RequestHeadParser(1024, 64, 100);
        assertThat(parser.scan(b, 0, b.length - 1)).as("error %s", parser.error())
                .isEqualTo(RequestHeadParser.INCOMPLETE);
        assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
    }

    /** Empty lines before the request line are skipped; whether they arrive in their own read must not matter. */
    @Test
    void leadingEmptyLinesAreJudgedTheSameWhateverTheSplit() {
        String leading = "\r\n".repeat(20); // 40 bytes, more than the 32-byte line limit
        byte[] b = bytes(leading + "GET / HTTP/1.1\r\nHost: h\r\n\r\n");

        RequestHeadParser atOnce = new RequestHeadParser(32, 1024, 10);
        int wholeResult = atOnce.scan(b, 0, b.length);

        RequestHeadParser split = new RequestHeadParser(32, 1024, 10);
        int first = split.scan(b, 0, leading.length());
        int splitResult = first == RequestHeadParser.INCOMPLETE ? split.scan(b, 0, b.length) : first;

        assertThat(splitResult).isEqualTo(wholeResult);
        assertThat(split.error()).isEqualTo(atOnce.error());
    }

    /** The limit is on the request line; its CRLF terminator is not part of it (RFC 9112 §3). */
    @Test
    void requestLineOfExactlyTheLimitIsAccepted() {
        String line = "GET /" + "a".repeat(18) + " HTTP/1.1"; // 32 bytes
        assertThat(line).hasSize(32);
        byte[] b = bytes(line + "\r\nHost: h\r\n\r\n");
        RequestHeadParser parser = new RequestHeadParser(32, 1024, 10);
        assertThat(parser.scan(b, 0, b.length)).as("error %s", parser.error()).isEqualTo(b.length);
        assertThat(parser.parse(b, 0, b.length).target()).isEqualTo("/" + "a".repeat(18));
    }

    /**
     * Garbage after a coding name is not a parameter (those start with ';'): "chunked gzip" must not be
     * read as chunked, or a front end that rejects or ignores the field disagrees on the body length.
     */
    @ParameterizedTest
    @ValueSource(strings = {"chunked gzip", "chunked x", "chunked\tchunked", "gzip chunked", "chunked =1"})
    void transferCodingListWithoutCommasIsRefused(String value) {
        assertThat(error(post11("Transfer-Encoding: " + value))).isEqualTo(RequestError.INVALID_TRANSFER_ENCODING);
    }

    /** Field lines with the same name form one list (RFC 9110 §5.3): gzip then chunked is "gzip, chunked". */
    @Test
    void codingsSplitOverFieldLinesAreJudgedAsOneList() {
        assertThat(error(post11("Transfer-Encoding: gzip", "Transfer-Encoding: chunked")))
                .isEqualTo(RequestError.UNSUPPORTED_TRANSFER_CODING);
    }

    /** Absolute-form with an empty path (RFC 9110 §4.2.3: same as "/"); the parser's own javadoc promises it. */
    @Test
    void absoluteFormWithoutPathIsAccepted() {
        RequestHead head = parse("GET http://example.com HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(head.target()).isEqualTo("http://example.com");
        assertThat(head.rawPath()).isEqualTo("/");
        RequestHead withQuery = parse("GET http://example.com?a=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
        assertThat(withQuery.rawQuery()).isEqualTo("a=1");
    }

    /**
     * After the size only BWS and ';' may start an extension: "0x10" must not be taken for the last
     * chunk (size 0), nor "1 2" for size 1, or a proxy reading the size differently is desynchronised.
     */
    @ParameterizedTest
    @ValueSource(strings = {"0x10\r\n", "1 2\r\nx\r\n0\r\n\r\n", "5g\r\nhello\r\n0\r\n\r\n", "5=\r\nhello\r\n0\r\n\r\n",
        "0 0\r\n\r\n", "5 x;y\r\nhello\r\n0\r\n\r\n"})
    void junkAfterTheChunkSizeIsRefused(String wire) {
        ChunkedDecoder decoder = new ChunkedDecoder(1 << 20, 4096, 8192);
        byte[] b = bytes(wire);
        decoder.decode(b, 0, b.length, (bytes, off, len) -> { });
        assertThat(decoder.isFailed()).as("%s", wire).isTrue();
        assertThat(decoder.error()).isEqualTo(RequestError.INVALID_CHUNK);
    }
}
