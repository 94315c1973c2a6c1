package io.sluice.http;

import static io.sluice.http.HeadParsing.bytes;
import static io.sluice.http.HeadParsing.error;
import static io.sluice.http.HeadParsing.get11;
import static io.sluice.http.HeadParsing.parse;
import static io.sluice.http.HeadParsing.parser;
import static io.sluice.http.HeadParsing.post11;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestHeadParserTest {

    @Nested
    class Scan {

        @Test
        void returnsTheHeadLengthOnceTheEmptyLineArrives() {
            String head = get11("Accept: */*");
            byte[] b = bytes(head);
            RequestHeadParser parser = parser();
            for (int end = 0; end < b.length; end++) {
                assertThat(parser.scan(b, 0, end)).as("after %d bytes", end).isEqualTo(RequestHeadParser.INCOMPLETE);
            }
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(parser.error()).isNull();
        }

        @Test
        void stopsAtTheEndOfTheHeadAndLeavesPipelinedBytes() {
            String first = "GET /a HTTP/1.1\r\nHost: h\r\n\r\n";
            byte[] b = bytes(first + "POST /b HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            RequestHeadParser parser = parser();
            int length = parser.scan(b, 0, b.length);
            assertThat(length).isEqualTo(first.length());
            assertThat(parser.parse(b, 0, length).target()).isEqualTo("/a");

            parser.reset();
            int second = parser.scan(b, length, b.length);
            assertThat(second).isEqualTo(b.length - 3 - length);
            RequestHead head = parser.parse(b, length, second);
            assertThat(head.method()).isSameAs(HttpMethods.POST);
            assertThat(head.contentLength()).isEqualTo(3);
        }

        @Test
        void hasPartialHeadOnlyAfterBytesOfAHead() {
            RequestHeadParser parser = parser();
            assertThat(parser.hasPartialHead()).isFalse();
            byte[] b = bytes("GET / HT");
            assertThat(parser.scan(b, 0, 0)).isEqualTo(RequestHeadParser.INCOMPLETE);
            assertThat(parser.hasPartialHead()).isFalse();
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(RequestHeadParser.INCOMPLETE);
            assertThat(parser.hasPartialHead()).isTrue();
            parser.reset();
            assertThat(parser.hasPartialHead()).isFalse();
        }

        @Test
        void skipsEmptyLinesBeforeTheRequestLineAndCountsThemInTheHead() {
            String head = "\r\n\r\n" + get11();
            RequestHead parsed = parse(head);
            assertThat(parsed.method()).isSameAs(HttpMethods.GET);
            assertThat(parsed.target()).isEqualTo("/");

            RequestHeadParser parser = parser();
            byte[] b = bytes("\r\n\r\n");
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(RequestHeadParser.INCOMPLETE);
        }

        @Test
        void resetForgetsThePreviousHead() {
            RequestHeadParser parser = parser();
            byte[] partial = bytes("GET /first HTTP/1.1\r\nHost: a\r\n");
            assertThat(parser.scan(partial, 0, partial.length)).isEqualTo(RequestHeadParser.INCOMPLETE);
            parser.reset();
            byte[] b = bytes(get11());
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(parser.parse(b, 0, b.length).target()).isEqualTo("/");
        }

        @Test
        void resetClearsTheErrorSoTheParserCanBeReused() {
            RequestHeadParser parser = parser();
            assertThat(error(parser, "GET / HTTP/1.1\r\n\r\n")).isEqualTo(RequestError.INVALID_HOST);
            parser.reset();
            assertThat(parser.error()).isNull();
            byte[] b = bytes(get11());
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(parser.parse(b, 0, b.length)).isNotNull();
        }

        @Test
        void offsetsAreRelativeToTheHeadStartSoUnconsumedBytesMayBeMoved() {
            byte[] firstPart = bytes("xxxxGET /moved HTTP/1.1\r\nHo");
            RequestHeadParser parser = parser();
            assertThat(parser.scan(firstPart, 4, firstPart.length)).isEqualTo(RequestHeadParser.INCOMPLETE);
            // The connection compacts its buffer: the head now starts at 0 and more bytes follow.
            byte[] moved = bytes("GET /moved HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(parser.scan(moved, 0, moved.length)).isEqualTo(moved.length);
            assertThat(parser.parse(moved, 0, moved.length).target()).isEqualTo("/moved");
        }

        @Test
        void parseCopiesTheHeadOutOfTheReadBuffer() {
            byte[] b = bytes(get11("X-A: one"));
            RequestHeadParser parser = parser();
            RequestHead head = parser.parse(b, 0, parser.scan(b, 0, b.length));
            Arrays.fill(b, (byte) 'z');
            assertThat(head.target()).isEqualTo("/");
            assertThat(head.first("x-a")).isEqualTo("one");
        }

        @Test
        void requestLineOverTheLimitIsRefusedAsSoonAsThePartialLinePassesIt() {
            RequestHeadParser parser = new RequestHeadParser(32, 1024, 10);
            String line = "GET /" + "a".repeat(26) + " "; // 32 bytes, no end in sight yet
            byte[] b = bytes(line + "HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(parser.scan(b, 0, 32)).isEqualTo(RequestHeadParser.INCOMPLETE);
            assertThat(parser.scan(b, 0, 33)).isEqualTo(RequestHeadParser.FAILED);
            assertThat(parser.error()).isEqualTo(RequestError.URI_TOO_LONG);
            assertThat(parser.error().status()).isEqualTo(414);
        }

        @Test
        void endlessRequestLineWithoutLineFeedIsRefused() {
            RequestHeadParser parser = new RequestHeadParser(100, 1024, 10);
            byte[] b = bytes("GET /" + "x".repeat(10_000));
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(RequestHeadParser.FAILED);
            assertThat(parser.error()).isEqualTo(RequestError.URI_TOO_LONG);
        }

        @Test
        void completeRequestLineOverTheLimitIsRefused() {
            RequestHeadParser parser = new RequestHeadParser(32, 1024, 10);
            String head = "GET /" + "a".repeat(40) + " HTTP/1.1\r\nHost: h\r\n\r\n";
            assertThat(error(parser, head)).isEqualTo(RequestError.URI_TOO_LONG);
        }

        @Test
        void headerSectionOverTheByteLimitIsRefusedBeforeItEnds() {
            RequestHeadParser parser = new RequestHeadParser(1024, 64, 100);
            byte[] b = bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Big: " + "v".repeat(100));
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(RequestHeadParser.FAILED);
            assertThat(parser.error()).isEqualTo(RequestError.HEADERS_TOO_LARGE);
            assertThat(parser.error().status()).isEqualTo(431);
        }

        @Test
        void headerSectionOverTheByteLimitIsRefusedWhenCompleteToo() {
            RequestHeadParser parser = new RequestHeadParser(1024, 64, 100);
            String head = get11("X-Big: " + "v".repeat(100));
            assertThat(error(parser, head)).isEqualTo(RequestError.HEADERS_TOO_LARGE);
        }

        @Test
        void headerSectionWithinTheByteLimitIsAccepted() {
            // "Host: h\r\n" (9) + "X: " + 50 + CRLF (55) = 64 bytes of field lines.
            RequestHeadParser parser = new RequestHeadParser(1024, 64, 100);
            byte[] b = bytes("GET / HTTP/1.1\r\nHost: h\r\nX: " + "v".repeat(50) + "\r\n\r\n");
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(parser.parse(b, 0, b.length).first("x")).hasSize(50);
        }

        @Test
        void moreFieldsThanTheCountLimitAreRefused() {
            String[] fields = new String[10];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = "X-" + i + ": v";
            }
            // Host plus 10 = 11 fields.
            assertThat(error(new RequestHeadParser(1024, 8192, 10), get11(fields)))
                    .isEqualTo(RequestError.HEADERS_TOO_LARGE);
            RequestHeadParser atLimit = new RequestHeadParser(1024, 8192, 11);
            byte[] b = bytes(get11(fields));
            assertThat(atLimit.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(atLimit.parse(b, 0, b.length).size()).isEqualTo(11);
        }
    }

    @Nested
    class RequestLine {

        @Test
        void originFormWithQuery() {
            RequestHead head = parse("GET /a/b%20c?x=1&y HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.method()).isSameAs(HttpMethods.GET);
            assertThat(head.target()).isEqualTo("/a/b%20c?x=1&y");
            assertThat(head.rawPath()).isEqualTo("/a/b%20c");
            assertThat(head.rawQuery()).isEqualTo("x=1&y");
            assertThat(head.isHttp11()).isTrue();
            assertThat(head.version()).isEqualTo("HTTP/1.1");
            assertThat(head).hasToString("GET /a/b%20c?x=1&y HTTP/1.1");
        }

        @Test
        void queryMayBeEmptyOrContainFurtherQuestionMarks() {
            RequestHead head = parse("GET /p?a=?b HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.rawPath()).isEqualTo("/p");
            assertThat(head.rawQuery()).isEqualTo("a=?b");
            assertThat(parse("GET /p? HTTP/1.1\r\nHost: h\r\n\r\n").rawQuery()).isEmpty();
            assertThat(parse(get11()).rawQuery()).isNull();
        }

        @ParameterizedTest
        @ValueSource(strings = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "TRACE"})
        void knownMethodsAreSharedConstants(String method) {
            RequestHead head = parse(method + " / HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.method()).isEqualTo(method);
            assertThat(head.method()).isSameAs(switch (method) {
                case "GET" -> HttpMethods.GET;
                case "HEAD" -> HttpMethods.HEAD;
                case "POST" -> HttpMethods.POST;
                case "PUT" -> HttpMethods.PUT;
                case "DELETE" -> HttpMethods.DELETE;
                case "PATCH" -> HttpMethods.PATCH;
                case "OPTIONS" -> HttpMethods.OPTIONS;
                default -> HttpMethods.TRACE;
            });
        }

        @Test
        void extensionMethodsAreTokensAndCaseSensitive() {
            assertThat(parse("PROPFIND /x HTTP/1.1\r\nHost: h\r\n\r\n").method()).isEqualTo("PROPFIND");
            assertThat(parse("M-SEARCH!#$%&'*+.^_`|~ / HTTP/1.1\r\nHost: h\r\n\r\n").method())
                    .isEqualTo("M-SEARCH!#$%&'*+.^_`|~");
            String lower = parse("get / HTTP/1.1\r\nHost: h\r\n\r\n").method();
            assertThat(lower).isEqualTo("get").isNotEqualTo(HttpMethods.GET);
            assertThat(parse("GETS / HTTP/1.1\r\nHost: h\r\n\r\n").method()).isEqualTo("GETS");
        }

        @ParameterizedTest
        @ValueSource(strings = {
            "GE(T / HTTP/1.1", "GE\"T / HTTP/1.1", " / HTTP/1.1", "GET  / HTTP/1.1", "GET /  HTTP/1.1",
            "GET\t/ HTTP/1.1", "GET /\tHTTP/1.1", "GET / HTTP/1.1 ", "GET /", "GET / ", "GET", "GET /a b HTTP/1.1",
            "GET / HTTP/1.1x", "GET / http/1.1", "GET / HTTP/1", "GET / HTTP/1.", "GET / HTTP/a.b", "GET / HTTP/10.1",
            "GET / HTTP/1.10", "GET / HTTPS/1.1", "GET / XTTP/1.1"
        })
        void malformedRequestLines(String line) {
            assertThat(error(line + "\r\nHost: h\r\n\r\n")).isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"/a#frag", "/#", "/a?b#c", "#"})
        void fragmentInTargetIsRefused(String target) {
            assertThat(error("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"))
                    .isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x00, 0x01, 0x0B, 0x1F, 0x7F, 0x80, 0xC3, 0xFF})
        void bytesOutsideVisibleAsciiInTargetAreRefused(int b) {
            assertThat(error("GET /a" + (char) b + "b HTTP/1.1\r\nHost: h\r\n\r\n"))
                    .isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
        }

        @Test
        void everyVisibleAsciiByteButHashIsAllowedInTheTarget() {
            StringBuilder target = new StringBuilder("/");
            for (char c = 0x21; c < 0x7F; c++) {
                if (c != '#') {
                    target.append(c);
                }
            }
            RequestHead head = parse("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.target()).isEqualTo(target.toString());
        }

        @Test
        void absoluteFormTakesThePathFromTheUri() {
            RequestHead head = parse("GET http://example.com:8080/p/q?z=1 HTTP/1.1\r\nHost: example.com\r\n\r\n");
            assertThat(head.target()).isEqualTo("http://example.com:8080/p/q?z=1");
            assertThat(head.rawPath()).isEqualTo("/p/q");
            assertThat(head.rawQuery()).isEqualTo("z=1");

            assertThat(parse("GET https://h/ HTTP/1.1\r\nHost: h\r\n\r\n").rawPath()).isEqualTo("/");
            assertThat(parse("GET HTTP://h/x HTTP/1.1\r\nHost: h\r\n\r\n").rawPath()).isEqualTo("/x");
            assertThat(parse("GET http://user@h:1/x HTTP/1.0\r\n\r\n").rawPath()).isEqualTo("/x");
        }

        @ParameterizedTest
        @ValueSource(strings = {"http:///p", "ftp://h/p", "example.com/p", "h:80", "http:/h/p", "?q", "http//h/p",
            "a", "https:///"})
        void targetsInNoSupportedFormAreRefused(String target) {
            assertThat(error("GET " + target + " HTTP/1.1\r\nHost: h\r\n\r\n"))
                    .isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
        }

        @Test
        void asteriskFormOnlyForOptions() {
            RequestHead head = parse("OPTIONS * HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(head.method()).isSameAs(HttpMethods.OPTIONS);
            assertThat(head.target()).isEqualTo("*");
            assertThat(head.rawPath()).isEqualTo("*");
            assertThat(head.rawQuery()).isNull();
            assertThat(error("GET * HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
            assertThat(error("OPTIONS ** HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
            assertThat(error("OPTIONS *?a HTTP/1.1\r\nHost: h\r\n\r\n")).isEqualTo(RequestError.MALFORMED_REQUEST_LINE);
        }

        @Test
        void connectIsNotImplemented() {
            RequestError error = error("CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n");
            assertThat(error).isEqualTo(RequestError.METHOD_NOT_IMPLEMENTED);
            assertThat(error.status()).isEqualTo(501);
        }

        @Test
        void http10IsAccepted() {
            RequestHead head = parse("GET /old HTTP/1.0\r\n\r\n");
            assertThat(head.isHttp11()).isFalse();
            assertThat(head.version()).isEqualTo("HTTP/1.0");
            assertThat(head.size()).isZero();
            assertThat(head).hasToString("GET /old HTTP/1.0");
        }

        @ParameterizedTest
        @ValueSource(strings = {"HTTP/2.0", "HTTP/0.9", "HTTP/1.2", "HTTP/3.0", "HTTP/1.9", "HTTP/9.9"})
        void otherVersionsAreUnsupported(String version) {
            RequestError error = error("GET / " + version + "\r\nHost: h\r\n\r\n");
            assertThat(error).isEqualTo(RequestError.UNSUPPORTED_VERSION);
            assertThat(error.status()).isEqualTo(505);
        }

        @Test
        void requestLineMustEndInCrLf() {
            assertThat(error("GET / HTTP/1.1\nHost: h\r\n\r\n")).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
            assertThat(error("GET / HTTP/1.1\r\rHost: h\r\n\r\n")).isIn(RequestError.BARE_LINE_TERMINATOR,
                    RequestError.MALFORMED_REQUEST_LINE);
        }

        @Test
        void bareCarriageReturnBeforeTheRequestLineIsRefused() {
            assertThat(error("\r" + get11())).isIn(RequestError.BARE_LINE_TERMINATOR,
                    RequestError.MALFORMED_REQUEST_LINE);
        }
    }

    @Nested
    class FieldLines {

        @Test
        void headersAreOrderedMultiValuedAndCaseInsensitive() {
            RequestHead head = parse(get11("Accept: text/html", "X-Multi: one", "accept: application/json",
                    "X-MULTI: two"));
            assertThat(head.size()).isEqualTo(5);
            assertThat(head.name(0)).isEqualTo("Host");
            assertThat(head.value(0)).isEqualTo("example.com");
            assertThat(head.name(3)).isEqualTo("accept");
            assertThat(head.value(3)).isEqualTo("application/json");
            assertThat(head.name(4)).isEqualTo("X-MULTI");
            assertThat(head.first("ACCEPT")).isEqualTo("text/html");
            assertThat(head.first("x-multi")).isEqualTo("one");
            assertThat(head.all("Accept")).containsExactly("text/html", "application/json");
            assertThat(head.all("x-multi")).containsExactly("one", "two");
            assertThat(head.contains("HOST")).isTrue();
            assertThat(head.contains("Missing")).isFalse();
            assertThat(head.first("Missing")).isNull();
            assertThat(head.all("Missing")).isEmpty();
            assertThat(head.contains("Hos")).isFalse();
            assertThat(head.first("Hosts")).isNull();
        }

        @Test
        void indexedAccessOutOfRangeThrows() {
            RequestHead head = parse(get11());
            assertThatThrownBy(() -> head.name(1)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> head.value(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        }

        @Test
        void manyFieldsAndParserReuseKeepEveryHeadIntact() {
            RequestHeadParser parser = parser();
            String[] fields = new String[60];
            for (int i = 0; i < fields.length; i++) {
                fields[i] = "X-" + i + ": value-" + i;
            }
            byte[] b1 = bytes(get11(fields));
            RequestHead first = parser.parse(b1, 0, parser.scan(b1, 0, b1.length));
            parser.reset();
            byte[] b2 = bytes(get11("Y: other"));
            RequestHead second = parser.parse(b2, 0, parser.scan(b2, 0, b2.length));

            assertThat(first.size()).isEqualTo(61);
            for (int i = 0; i < 60; i++) {
                assertThat(first.name(i + 1)).isEqualTo("X-" + i);
                assertThat(first.first("x-" + i)).isEqualTo("value-" + i);
            }
            assertThat(second.size()).isEqualTo(2);
            assertThat(second.first("y")).isEqualTo("other");
        }

        @Test
        void owsAroundValuesIsTrimmed() {
            RequestHead head = parse(get11("A:  \t spaced  value \t ", "B:tight", "C:", "D: \t ", "E:\tx\ty\t"));
            assertThat(head.first("a")).isEqualTo("spaced  value");
            assertThat(head.first("b")).isEqualTo("tight");
            assertThat(head.first("c")).isEmpty();
            assertThat(head.first("d")).isEmpty();
            assertThat(head.first("e")).isEqualTo("x\ty");
        }

        @Test
        void obsTextIsAllowedInValuesAndReadAsLatin1() {
            RequestHead head = parse(get11("X-Name: caf\u00e9 \u00ff\u0080"));
            assertThat(head.first("x-name")).isEqualTo("caf\u00e9 \u00ff\u0080");
        }

        @ParameterizedTest
        @ValueSource(strings = {" ", "\t"})
        void obsoleteLineFoldingIsRefused(String indent) {
            assertThat(error(get11("X-A: one", indent + "continued"))).isEqualTo(RequestError.OBSOLETE_LINE_FOLDING);
            assertThat(error("GET / HTTP/1.1\r\n" + indent + "Host: h\r\n\r\n"))
                    .isEqualTo(RequestError.OBSOLETE_LINE_FOLDING);
        }

        @ParameterizedTest
        @ValueSource(strings = {"Host : h", "Host\t: h", "X-A  : v"})
        void whitespaceBeforeColonIsRefused(String line) {
            assertThat(error("GET / HTTP/1.1\r\n" + line + "\r\n\r\n")).isEqualTo(RequestError.WHITESPACE_BEFORE_COLON);
        }

        @Test
        void hostWithWhitespaceBeforeColonIsNotTakenForAHost() {
            // A lenient parser would see a second Host here; this one must refuse the line itself.
            assertThat(error(get11("Host : evil.example"))).isEqualTo(RequestError.WHITESPACE_BEFORE_COLON);
        }

        @ParameterizedTest
        @ValueSource(strings = {": v", "NoColon", "X(y): v", "X\"y: v", "X/y: v", "X@y: v", "X\u00e9: v", "X\u0000: v",
            "{x}: v"})
        void malformedFieldNamesAreRefused(String line) {
            assertThat(error(get11(line))).isEqualTo(RequestError.MALFORMED_HEADER);
        }

        @ParameterizedTest
        @ValueSource(ints = {0x00, 0x01, 0x08, 0x0B, 0x0C, 0x1B, 0x1F, 0x7F})
        void controlBytesInValuesAreRefused(int b) {
            assertThat(error(get11("X-A: a" + (char) b + "b"))).isEqualTo(RequestError.MALFORMED_HEADER);
        }

        @Test
        void lineTerminatorsMustBeCrLf() {
            assertThat(error("GET / HTTP/1.1\r\nHost: h\nX: y\r\n\r\n")).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
            assertThat(error("GET / HTTP/1.1\r\nHost: h\r\n\n")).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
            assertThat(error("GET / HTTP/1.1\r\nHost: h\rX: y\r\n\r\n")).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
            assertThat(error("GET / HTTP/1.1\r\nHost: h\r\n\r\r\n\r\n")).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
        }

        @Test
        void bareLfHeadIsFoundByScanButRefusedByParse() {
            RequestHeadParser parser = parser();
            byte[] b = bytes("GET / HTTP/1.1\nHost: h\n\n");
            assertThat(parser.scan(b, 0, b.length)).isEqualTo(b.length);
            assertThat(parser.parse(b, 0, b.length)).isNull();
            assertThat(parser.error()).isEqualTo(RequestError.BARE_LINE_TERMINATOR);
        }
    }

    @Nested
    class Host {

        @Test
        void http11RequiresExactlyOneHost() {
            assertThat(error("GET / HTTP/1.1\r\n\r\n")).isEqualTo(RequestError.INVALID_HOST);
            assertThat(error("GET / HTTP/1.1\r\nX: y\r\n\r\n")).isEqualTo(RequestError.INVALID_HOST);
            assertThat(error(get11("Host: other.example"))).isEqualTo(RequestError.INVALID_HOST);
            assertThat(error(get11("hOsT: example.com"))).isEqualTo(RequestError.INVALID_HOST);
            assertThat(RequestError.INVALID_HOST.status()).isEqualTo(400);
        }

        @Test
        void hostNameIsCaseInsensitive() {
            assertThat(parse("GET / HTTP/1.1\r\nHOST: h\r\n\r\n").first("host")).isEqualTo("h");
        }

        @Test
        void http10MayOmitHostButNotRepeatIt() {
            assertThat(parse("GET / HTTP/1.0\r\n\r\n").contains("host")).isFalse();
            assertThat(parse("GET / HTTP/1.0\r\nHost: h\r\n\r\n").first("host")).isEqualTo("h");
            assertThat(error("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")).isEqualTo(RequestError.INVALID_HOST);
        }

        @Test
        void hostsNotCountedAsTheirPrefixesOrExtensions() {
            RequestHead head = parse(get11("Hostname: x", "X-Host: y", "Hos: z"));
            assertThat(head.first("hostname")).isEqualTo("x");
        }
    }

    @Nested
    class ContentLength {

        @Test
        void decimalLength() {
            RequestHead head = parse(post11("Content-Length: 42"));
            assertThat(head.contentLength()).isEqualTo(42);
            assertThat(head.hasBody()).isTrue();
            assertThat(head.isChunked()).isFalse();
        }

        @Test
        void zeroLengthHasNoBody() {
            RequestHead head = parse(post11("content-length: 0"));
            assertThat(head.contentLength()).isZero();
            assertThat(head.hasBody()).isFalse();
        }

        @Test
        void noFramingMeansNoBody() {
            RequestHead head = parse(post11());
            assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
            assertThat(head.hasBody()).isFalse();
            assertThat(head.isChunked()).isFalse();
        }

        @Test
        void largeLengthsAreParsedExactly() {
            assertThat(parse(post11("Content-Length: 1099511627776")).contentLength()).isEqualTo(1L << 40);
            assertThat(parse(post11("Content-Length: 999999999999999999")).contentLength())
                    .isEqualTo(999_999_999_999_999_999L);
            assertThat(parse(post11("Content-Length: 007")).contentLength()).isEqualTo(7);
        }

        @ParameterizedTest
        @ValueSource(strings = {"5, 5", "5,5", "5 ,5", "5,\t5, 5"})
        void identicalListIsAccepted(String value) {
            assertThat(parse(post11("Content-Length: " + value)).contentLength()).isEqualTo(5);
        }

        @Test
        void identicalRepeatedFieldsAreAccepted() {
            assertThat(parse(post11("Content-Length: 5", "Content-Length: 5")).contentLength()).isEqualTo(5);
        }

        @ParameterizedTest
        @ValueSource(strings = {"", " ", "-1", "+5", "0x5", "5a", "a5", "5 5", "5,", ",5", "5,,5", "1e3", "5.0", "5, 6",
            "\u00b5", "1234567890123456789", "99999999999999999999999"})
        void invalidValuesAreRefused(String value) {
            RequestError error = error(post11("Content-Length: " + value));
            assertThat(error).isEqualTo(RequestError.INVALID_CONTENT_LENGTH);
            assertThat(error.status()).isEqualTo(400);
        }

        @Test
        void differingRepeatedFieldsAreRefused() {
            assertThat(error(post11("Content-Length: 5", "Content-Length: 6")))
                    .isEqualTo(RequestError.INVALID_CONTENT_LENGTH);
            assertThat(error(post11("Content-Length: 5", "Content-Length: 5, 6")))
                    .isEqualTo(RequestError.INVALID_CONTENT_LENGTH);
        }
    }

    @Nested
    class TransferEncoding {

        @ParameterizedTest
        @ValueSource(strings = {"chunked", "Chunked", "CHUNKED", " chunked ", "chunked,", ", chunked"})
        void chunked(String value) {
            RequestHead head = parse(post11("Transfer-Encoding: " + value));
            assertThat(head.isChunked()).isTrue();
            assertThat(head.hasBody()).isTrue();
            assertThat(head.contentLength()).isEqualTo(RequestHead.NO_CONTENT_LENGTH);
        }

        @ParameterizedTest
        @ValueSource(strings = {"gzip, chunked", "deflate,chunked", "x-custom, gzip, chunked", "GZIP , Chunked"})
        void otherCodingsBeforeChunkedAreNotImplemented(String value) {
            RequestError error = error(post11("Transfer-Encoding: " + value));
            assertThat(error).isEqualTo(RequestError.UNSUPPORTED_TRANSFER_CODING);
            assertThat(error.status()).isEqualTo(501);
        }

        @ParameterizedTest
        @ValueSource(strings = {"gzip", "chunked, gzip", "chunked, chunked", "", " ", "identity", "chunkedx", ";chunked"})
        void chunkedNotFinalIsRefused(String value) {
            RequestError error = error(post11("Transfer-Encoding: " + value));
            assertThat(error).isEqualTo(RequestError.INVALID_TRANSFER_ENCODING);
            assertThat(error.status()).isEqualTo(400);
        }

        @Test
        void codingAfterChunkedInALaterFieldLineIsRefused() {
            assertThat(error(post11("Transfer-Encoding: chunked", "Transfer-Encoding: gzip")))
                    .isEqualTo(RequestError.INVALID_TRANSFER_ENCODING);
            assertThat(error(post11("Transfer-Encoding: chunked", "transfer-encoding: chunked")))
                    .isEqualTo(RequestError.INVALID_TRANSFER_ENCODING);
        }

        @Test
        void contentLengthWithTransferEncodingIsConflicting() {
            assertThat(error(post11("Content-Length: 5", "Transfer-Encoding: chunked")))
                    .isEqualTo(RequestError.CONFLICTING_FRAMING);
            assertThat(error(post11("Transfer-Encoding: chunked", "Content-Length: 5")))
                    .isEqualTo(RequestError.CONFLICTING_FRAMING);
            assertThat(error(post11("Transfer-Encoding: chunked", "Content-Length: 0")))
                    .isEqualTo(RequestError.CONFLICTING_FRAMING);
        }

        @Test
        void transferEncodingOnHttp10IsConflicting() {
            assertThat(error("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"))
                    .isEqualTo(RequestError.CONFLICTING_FRAMING);
        }
    }

    @Nested
    class Expect {

        @Test
        void continueWithABodyOnHttp11() {
            assertThat(parse(post11("Expect: 100-continue", "Content-Length: 10")).expectContinue()).isTrue();
            assertThat(parse(post11("Expect: 100-Continue", "Transfer-Encoding: chunked")).expectContinue()).isTrue();
        }

        @Test
        void noContinueWithoutABody() {
            assertThat(parse(post11("Expect: 100-continue")).expectContinue()).isFalse();
            assertThat(parse(post11("Expect: 100-continue", "Content-Length: 0")).expectContinue()).isFalse();
            assertThat(parse(post11("Content-Length: 3")).expectContinue()).isFalse();
        }

        @Test
        void noContinueOnHttp10() {
            assertThat(parse("POST / HTTP/1.0\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n").expectContinue())
                    .isFalse();
        }

        @ParameterizedTest
        @ValueSource(strings = {"foo", "100-continue, foo", "200-ok", "", "100-continued", "100 continue"})
        void otherExpectationsFail(String value) {
            RequestError error = error(post11("Content-Length: 1", "Expect: " + value));
            assertThat(error).isEqualTo(RequestError.EXPECTATION_FAILED);
            assertThat(error.status()).isEqualTo(417);
        }
    }

    @Nested
    class Connection {

        @Test
        void http11IsPersistentUnlessClosed() {
            assertThat(parse(get11()).keepAlive()).isTrue();
            assertThat(parse(get11("Connection: keep-alive")).keepAlive()).isTrue();
            assertThat(parse(get11("Connection: close")).keepAlive()).isFalse();
            assertThat(parse(get11("Connection: CLOSE")).keepAlive()).isFalse();
            assertThat(parse(get11("Connection: keep-alive, Close")).keepAlive()).isFalse();
            assertThat(parse(get11("Connection: foo,close,bar")).keepAlive()).isFalse();
            assertThat(parse(get11("Connection: keep-alive", "Connection: close")).keepAlive()).isFalse();
            assertThat(parse(get11("connection: \tclose\t")).keepAlive()).isFalse();
        }

        @Test
        void closeMustBeAWholeToken() {
            assertThat(parse(get11("Connection: closed")).keepAlive()).isTrue();
            assertThat(parse(get11("Connection: xclose")).keepAlive()).isTrue();
            assertThat(parse(get11("X-Connection: close")).keepAlive()).isTrue();
        }

        @Test
        void http10IsPersistentOnlyWithKeepAlive() {
            assertThat(parse("GET / HTTP/1.0\r\n\r\n").keepAlive()).isFalse();
            assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").keepAlive()).isTrue();
            assertThat(parse("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n").keepAlive()).isTrue();
            assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alive, close\r\n\r\n").keepAlive()).isFalse();
            assertThat(parse("GET / HTTP/1.0\r\nConnection: keep-alives\r\n\r\n").keepAlive()).isFalse();
        }

        @Test
        void upgradeNeedsTheConnectionTokenAndTheUpgradeField() {
            assertThat(parse(get11("Connection: Upgrade", "Upgrade: websocket")).isUpgradeRequest()).isTrue();
            assertThat(parse(get11("Upgrade: websocket", "Connection: keep-alive, upgrade")).isUpgradeRequest())
                    .isTrue();
            assertThat(parse(get11("Upgrade: websocket")).isUpgradeRequest()).isFalse();
            assertThat(parse(get11("Connection: upgrade")).isUpgradeRequest()).isFalse();
            assertThat(parse(get11("Connection: upgrades", "Upgrade: websocket")).isUpgradeRequest()).isFalse();
            assertThat(parse(get11()).isUpgradeRequest()).isFalse();
        }
    }
}
