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

/**
 * Properties of {@link RequestHeadParser}: how the bytes of a head are split across reads never
 * changes the outcome, and no input makes it throw.
 */
class RequestHeadParserProperties {

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS",
            "TRACE", "PROPFIND", "M-SEARCH", "purge");
    private static final String PCHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~!$&'()*+,;=:@%";
    private static final Set<String> FRAMING_NAMES = Set.of("host", "content-length", "transfer-encoding", "expect",
            "connection", "upgrade");

    /** A generated valid request head and what parsing it must yield. */
    record Request(String leading, String method, String target, String rawPath, String rawQuery, boolean http11,
            List<String[]> fields, long contentLength, boolean chunked, boolean keepAlive) {

        String text() {
            StringBuilder s = new StringBuilder(leading).append(method).append(' ').append(target)
                    .append(http11 ? " HTTP/1.1\r\n" : " HTTP/1.0\r\n");
            for (String[] f : fields) {
                s.append(f[0]).append(':').append(f[2]).append(f[1]).append(f[3]).append("\r\n");
            }
            return s.append("\r\n").toString();
        }

        byte[] bytes() {
            return text().getBytes(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return text().replace("\r", "\\r").replace("\n", "\\n");
        }
    }

    // ---------------------------------------------------------------- property 1: split-independence

    /** A request and where to cut its bytes (reduced modulo their length). */
    record Split(Request request, Set<Integer> cuts) {
    }

    @Test
    void splittingTheBytesAnywhereGivesTheSameHead() {
        forAll(300, random -> new Split(request(random), Gen.intSet(random, 40, 1, 4000)),
                split -> splittingGivesTheSameHead(split.request(), split.cuts()));
    }

    private static void splittingGivesTheSameHead(Request request, Set<Integer> cuts) {
        byte[] head = request.bytes();
        byte[] pipelined = "GET /next HTTP/1.1\r\nHost: n\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] wire = concat(head, pipelined);

        RequestHeadParser whole = HeadParsing.parser();
        int wholeLength = whole.scan(wire, 0, wire.length);
        assertThat(wholeLength).as("error %s", whole.error()).isEqualTo(head.length);
        RequestHead expected = whole.parse(wire, 0, wholeLength);
        assertThat(expected).as("error %s", whole.error()).isNotNull();
        assertMatches(expected, request);

        RequestHeadParser incremental = HeadParsing.parser();
        Fed fed = feed(incremental, wire, cutPoints(cuts, wire.length));
        assertThat(fed.headLength).isEqualTo(head.length);
        RequestHead actual = incremental.parse(fed.buffer, fed.start, fed.headLength);
        assertThat(actual).as("error %s", incremental.error()).isNotNull();
        assertSameHead(actual, expected);
    }

    @Test
    void byteByByteFeedingGivesTheSameHead() {
        forAll(100, RequestHeadParserProperties::request, RequestHeadParserProperties::byteByByteGivesTheSameHead);
    }

    private static void byteByByteGivesTheSameHead(Request request) {
        byte[] head = request.bytes();
        RequestHeadParser parser = HeadParsing.parser();
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int i = 1; i < head.length; i++) {
            cuts.add(i);
        }
        Fed fed = feed(parser, head, cuts);
        assertThat(fed.headLength).isEqualTo(head.length);
        assertMatches(parser.parse(fed.buffer, fed.start, fed.headLength), request);
    }

    /** The state of a simulated connection buffer after feeding pieces to {@code scan}. */
    record Fed(byte[] buffer, int start, int headLength) {
    }

    /**
     * Feeds {@code wire} in pieces as a connection would: unconsumed bytes are kept (and moved to the
     * front of a fresh buffer, at a varying offset, before each read), the next piece is appended and
     * {@code scan} is called again on the same parser.
     */
    private static Fed feed(RequestHeadParser parser, byte[] wire, TreeSet<Integer> cuts) {
        byte[] buffer = new byte[0];
        int start = 0;
        int end = 0;
        int from = 0;
        List<Integer> bounds = new ArrayList<>(cuts);
        bounds.add(wire.length);
        int read = 0;
        for (int to : bounds) {
            int offset = read++ % 3; // 0, 1 or 2 spare bytes in front, to move the head around
            byte[] next = new byte[offset + (end - start) + (to - from)];
            System.arraycopy(buffer, start, next, offset, end - start);
            System.arraycopy(wire, from, next, offset + (end - start), to - from);
            buffer = next;
            start = offset;
            end = next.length;
            from = to;
            int result = parser.scan(buffer, start, end);
            assertThat(result).as("error %s", parser.error()).isNotEqualTo(RequestHeadParser.FAILED);
            if (result > 0) {
                return new Fed(buffer, start, result);
            }
            assertThat(parser.hasPartialHead()).isEqualTo(end > start);
        }
        throw new AssertionError("head never completed");
    }

    private static TreeSet<Integer> cutPoints(Set<Integer> cuts, int length) {
        TreeSet<Integer> points = new TreeSet<>();
        for (int cut : cuts) {
            int point = 1 + cut % (length - 1);
            points.add(point);
        }
        return points;
    }

    private static void assertMatches(RequestHead head, Request request) {
        assertThat(head.method()).isEqualTo(request.method);
        assertThat(head.target()).isEqualTo(request.target);
        assertThat(head.rawPath()).isEqualTo(request.rawPath);
        assertThat(head.rawQuery()).isEqualTo(request.rawQuery);
        assertThat(head.isHttp11()).isEqualTo(request.http11);
        assertThat(head.size()).isEqualTo(request.fields.size());
        for (int i = 0; i < request.fields.size(); i++) {
            assertThat(head.name(i)).isEqualTo(request.fields.get(i)[0]);
            assertThat(head.value(i)).isEqualTo(request.fields.get(i)[1]);
            assertThat(head.all(request.fields.get(i)[0].toUpperCase())).contains(request.fields.get(i)[1]);
        }
        assertThat(head.contentLength()).isEqualTo(request.contentLength);
        assertThat(head.isChunked()).isEqualTo(request.chunked);
        assertThat(head.keepAlive()).isEqualTo(request.keepAlive);
        if (METHODS.indexOf(request.method) < 8) {
            assertThat(head.method()).as("known methods are shared constants")
                    .isSameAs(HttpMethods.of(request.method.getBytes(StandardCharsets.US_ASCII), 0,
                            request.method.length()));
        }
    }

    private static void assertSameHead(RequestHead actual, RequestHead expected) {
        assertThat(actual.method()).isEqualTo(expected.method());
        assertThat(actual.target()).isEqualTo(expected.target());
        assertThat(actual.rawPath()).isEqualTo(expected.rawPath());
        assertThat(actual.rawQuery()).isEqualTo(expected.rawQuery());
        assertThat(actual.isHttp11()).isEqualTo(expected.isHttp11());
        assertThat(actual.size()).isEqualTo(expected.size());
        for (int i = 0; i < expected.size(); i++) {
            assertThat(actual.name(i)).isEqualTo(expected.name(i));
            assertThat(actual.value(i)).isEqualTo(expected.value(i));
        }
        assertThat(actual.contentLength()).isEqualTo(expected.contentLength());
        assertThat(actual.isChunked()).isEqualTo(expected.isChunked());
        assertThat(actual.keepAlive()).isEqualTo(expected.keepAlive());
        assertThat(actual.expectContinue()).isEqualTo(expected.expectContinue());
        assertThat(actual.isUpgradeRequest()).isEqualTo(expected.isUpgradeRequest());
    }

    // ---------------------------------------------------------------- property 2: never throws

    @Test
    void randomBytesNeverThrow() {
        forAll(1000, random -> checkTotal(parser(limits(random)), Gen.bytes(random, 300)));
    }

    @Test
    void randomBytesAfterAPlausibleStartNeverThrow() {
        forAll(1000, random -> checkTotal(parser(limits(random)), plausibleGarbage(random)));
    }

    @Test
    void mutatedRequestsNeverThrow() {
        forAll(1000, random -> {
            byte[] bytes = mutatedRequest(random);
            int[] limits = limits(random);
            Set<Integer> cuts = Gen.intSet(random, 6, 1, 4000);
            checkTotal(parser(limits), bytes);
            if (bytes.length > 1) {
                checkIncremental(parser(limits), bytes, cutPoints(cuts, bytes.length));
            }
        });
    }

    private static RequestHeadParser parser(int[] limits) {
        return new RequestHeadParser(limits[0], limits[1], limits[2]);
    }

    /** scan then parse the whole input: INCOMPLETE, a head, or an error with a reason; never an exception. */
    private static void checkTotal(RequestHeadParser parser, byte[] bytes) {
        int result = parser.scan(bytes, 0, bytes.length);
        checkOutcome(parser, bytes, 0, bytes.length, result);
    }

    private static void checkIncremental(RequestHeadParser parser, byte[] bytes, TreeSet<Integer> cuts) {
        List<Integer> bounds = new ArrayList<>(cuts);
        bounds.add(bytes.length);
        for (int to : bounds) {
            int result = parser.scan(bytes, 0, to);
            checkOutcome(parser, bytes, 0, to, result);
            if (result != RequestHeadParser.INCOMPLETE) {
                return;
            }
        }
    }

    private static void checkOutcome(RequestHeadParser parser, byte[] bytes, int start, int end, int result) {
        assertThat(result).isBetween(RequestHeadParser.FAILED, end - start);
        if (result == RequestHeadParser.FAILED) {
            assertThat(parser.error()).isNotNull();
        } else if (result > 0) {
            assertThat(bytes[start + result - 1]).as("a head ends with LF").isEqualTo((byte) '\n');
            RequestHead head = parser.parse(bytes, start, result);
            if (head == null) {
                assertThat(parser.error()).isNotNull();
            } else {
                // Reading every part of an accepted head must work too.
                assertThat(head.method()).isNotEmpty();
                assertThat(head.target()).isNotEmpty();
                assertThat(head.rawPath()).isNotNull();
                head.rawQuery();
                for (int i = 0; i < head.size(); i++) {
                    assertThat(head.first(head.name(i))).isNotNull();
                    head.value(i);
                }
                assertThat(head.hasBody()).isEqualTo(head.isChunked() || head.contentLength() > 0);
            }
        }
    }

    // ---------------------------------------------------------------- generators

    private static Request request(Random random) {
        String method = Gen.oneOf(random, METHODS);
        List<String> segments = Gen.list(random, 0, 5, r -> Gen.fromAlphabet(r, PCHARS, 0, 8));
        String query = Gen.orNull(random, 0.4, () -> Gen.fromAlphabet(random, PCHARS + "/?", 0, 20));
        boolean absolute = random.nextInt(4) == 0;
        List<String[]> fields = Gen.list(random, 0, 20, RequestHeadParserProperties::field);
        int framing = Gen.intIn(random, 0, 3); // none, CL, chunked, CL list
        long length = Gen.longIn(random, 0, 1_000_000_000_000L);
        int connection = Gen.intIn(random, 0, 3); // none, close, keep-alive, mixed
        String leading = Gen.oneOf(random, "", "", "", "\r\n", "\r\n\r\n");
        boolean http11 = random.nextInt(4) != 0;
        int hostIndex = Gen.intIn(random, 0, 20);

        String path = segments.isEmpty() ? "/" : "/" + String.join("/", segments);
        String target = (absolute ? "http://example.com:8080" : "") + path + (query == null ? "" : "?" + query);
        long contentLength = RequestHead.NO_CONTENT_LENGTH;
        boolean chunked = false;
        if (framing == 1 || (framing == 2 && !http11)) {
            fields.add(insertAt(fields, length), new String[] {"Content-Length", Long.toString(length), " ", ""});
            contentLength = length;
        } else if (framing == 2) {
            fields.add(insertAt(fields, length), new String[] {"Transfer-Encoding", "chunked", " ", ""});
            chunked = true;
        } else if (framing == 3) {
            fields.add(insertAt(fields, length), new String[] {"content-length", length + ", " + length, "", "\t"});
            contentLength = length;
        }
        boolean keepAlive = http11;
        if (connection == 1) {
            fields.add(insertAt(fields, length + 1), new String[] {"Connection", "close", " ", ""});
            keepAlive = false;
        } else if (connection == 2) {
            fields.add(insertAt(fields, length + 2), new String[] {"Connection", "Keep-Alive", " ", " "});
            keepAlive = true;
        } else if (connection == 3) {
            fields.add(insertAt(fields, length + 3), new String[] {"connection", "keep-alive, TE,Close", " ", ""});
            keepAlive = false;
        }
        if (http11 || hostIndex % 2 == 0) {
            fields.add(hostIndex % (fields.size() + 1), new String[] {"Host", "example.com:8080", " ", ""});
        }
        return new Request(leading, method, target, path, query, http11, fields, contentLength, chunked, keepAlive);
    }

    private static int insertAt(List<String[]> fields, long seed) {
        return Math.floorMod(seed * 31 + 7, fields.size() + 1);
    }

    private static final String VALUE_EDGE_CHARS = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~aZ09\u0080\u00e9\u00ff";
    private static final String VALUE_CHARS = Gen.charRange((char) 0x21, (char) 0x7E) + " \t\u0080\u00a0\u00e9\u00ff";
    private static final List<int[]> LIMITS = List.of(new int[] {8192, 8192, 100}, new int[] {16, 64, 3},
            new int[] {1, 1, 1}, new int[] {40, 20, 100});
    private static final List<String> PLAUSIBLE_STARTS = List.of("GET / HTTP/1.1\r\n", "GET / HTTP/1.1\r\nHost: h\r\n",
            "\r\n", "POST /x HTTP/1.0\r\nTransfer-Encoding: ", "OPTIONS * HTTP/1.1\r\nHost: a\r\nContent-Length: ",
            "GET http://", "CONNECT ");
    private static final String[] OWS = {"", " ", "\t", "  \t"};
    private static final byte[] GARBAGE = {'\r', '\n', ' ', '\t', ':', ',', 'a', '0', '/', 0, 0x7F, (byte) 0x80,
        (byte) 0xFF};
    private static final byte[] MUTATION_BYTES = {0x0D, 0x0A, 0x20, 0x09, 0x3A, 0x2C, 0x3B, 0x23, 0x3F, 0x2F, 0x00,
        0x7F, (byte) 0x80, (byte) 0xFF, 0x30, 0x41, 0x61};

    /** name, value, leading OWS, trailing OWS; never one of the fields that change framing or connection. */
    private static String[] field(Random random) {
        String name;
        do {
            name = Gen.token(random, 16);
        } while (FRAMING_NAMES.contains(name.toLowerCase()));
        String value = switch (Gen.between(random, 0, 3)) {
            case 0 -> "";
            case 1 -> Gen.fromAlphabet(random, VALUE_EDGE_CHARS, 1, 1);
            default -> Gen.fromAlphabet(random, VALUE_EDGE_CHARS, 1, 1) + Gen.fromAlphabet(random, VALUE_CHARS, 0, 30)
                    + Gen.fromAlphabet(random, VALUE_EDGE_CHARS, 1, 1);
        };
        return new String[] {name, value, Gen.oneOf(random, OWS), Gen.oneOf(random, OWS)};
    }

    private static int[] limits(Random random) {
        return Gen.oneOf(random, LIMITS);
    }

    private static byte[] plausibleGarbage(Random random) {
        return concat(Gen.latin1(Gen.oneOf(random, PLAUSIBLE_STARTS)), Gen.bytesFrom(random, GARBAGE, 60),
                Gen.latin1("\r\n\r\n"));
    }

    /** A valid request with 1 to 5 bytes replaced, inserted or deleted. */
    private static byte[] mutatedRequest(Random random) {
        byte[] bytes = request(random).bytes();
        List<int[]> mutations = Gen.list(random, 1, 5, r -> new int[] {
            Gen.between(r, 0, 2), // replace, insert, delete
            Gen.intIn(r, 0, 10_000),
            MUTATION_BYTES[r.nextInt(MUTATION_BYTES.length)] & 0xFF});
        return mutate(bytes, mutations);
    }

    private static byte[] mutate(byte[] bytes, List<int[]> mutations) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] current = bytes;
        for (int[] m : mutations) {
            if (current.length == 0) {
                break;
            }
            int at = m[1] % current.length;
            out.reset();
            out.write(current, 0, at);
            if (m[0] == 0) {
                out.write(m[2]);
                out.write(current, at + 1, current.length - at - 1);
            } else if (m[0] == 1) {
                out.write(m[2]);
                out.write(current, at, current.length - at);
            } else {
                out.write(current, at + 1, current.length - at - 1);
            }
            current = out.toByteArray();
        }
        return current;
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
