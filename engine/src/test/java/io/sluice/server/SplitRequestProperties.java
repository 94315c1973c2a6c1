package io.sluice.server;

import static io.sluice.server.ProtocolTestSupport.ascii;
import static io.sluice.testing.PropertyCheck.forAll;
import static io.sluice.server.ProtocolTestSupport.sendInSeparateReads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.Gen;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * However a valid request (or a pipeline of them) is cut into pieces on the wire, the server answers
 * exactly as it does when the bytes arrive in one read. Each piece is sent only once the server has
 * read the previous one, so the cuts really are seen by the parser. Every try runs under its own
 * preemptive timeout, so a hang names the seed that caused it, and every socket read has one too.
 */
class SplitRequestProperties {

    private static final Duration TRY_TIMEOUT = Duration.ofSeconds(10);
    private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE"};
    private static final String FIELD_NAME_CHARS = Gen.charRange('a', 'z') + "-_0123456789ABC";
    /** Inner spaces and tabs are legal in a field value; outer ones are OWS. */
    private static final String FIELD_VALUE_CHARS = Gen.charRange('!', '~') + " \t";

    private static SluiceServer server;

    @BeforeAll
    static void start() throws Exception {
        SluiceServer.Builder builder = SluiceServer.builder().address("127.0.0.1").port(0).eventLoops(1);
        for (String method : METHODS) {
            builder.route(Route.of(method, "/p/{seg}", SplitRequestProperties::describe).dispatch(Dispatch.EVENT_LOOP));
        }
        server = builder.build();
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** Everything the handler saw, so any difference in parsing shows in the response. */
    private static HttpResponse describe(HttpRequest request) {
        StringBuilder out = new StringBuilder();
        out.append(request.method()).append(' ').append(request.target()).append('\n');
        out.append("seg=").append(request.pathVariable("seg")).append('\n');
        out.append("query=").append(request.query().asMap()).append('\n');
        for (int i = 0; i < request.headers().size(); i++) {
            out.append(request.headers().name(i)).append('=').append(request.headers().value(i)).append('\n');
        }
        byte[] body = request.body();
        CRC32 crc = new CRC32();
        crc.update(body);
        out.append("body=").append(body.length).append('/').append(Long.toHexString(crc.getValue())).append('\n');
        for (int i = 0; i < request.trailers().size(); i++) {
            out.append("trailer ").append(request.trailers().name(i)).append('=').append(request.trailers().value(i))
                    .append('\n');
        }
        return HttpResponse.text(out.toString());
    }

    @Test
    void piecesGetTheSameResponsesAsTheWhole() {
        forAll(50, random -> {
            List<byte[]> requests = Gen.list(random, 1, 3, SplitRequestProperties::request);
            List<Integer> cuts = Gen.list(random, 1, 8, r -> Gen.intIn(r, 0, 100_000));
            piecesGetTheSameResponses(requests, cuts);
        });
    }

    private static void piecesGetTheSameResponses(List<byte[]> requests, List<Integer> cuts) {
        assertTimeoutPreemptively(TRY_TIMEOUT, () -> {
            byte[] whole = concat(requests);
            List<Response> expected;
            try (RawHttpClient client = new RawHttpClient(server.port())) {
                client.send(whole);
                expected = read(client, requests.size());
            }
            List<Response> actual;
            try (RawHttpClient client = new RawHttpClient(server.port())) {
                sendInSeparateReads(server, client, pieces(whole, cuts));
                actual = read(client, requests.size());
            }
            for (int i = 0; i < requests.size(); i++) {
                assertThat(expected.get(i).status()).as("status of request %d", i).isEqualTo(200);
                assertThat(actual.get(i).statusLine()).isEqualTo(expected.get(i).statusLine());
                assertThat(actual.get(i).bodyText()).isEqualTo(expected.get(i).bodyText());
                assertThat(withoutDate(actual.get(i))).isEqualTo(withoutDate(expected.get(i)));
            }
        });
    }

    private static List<Response> read(RawHttpClient client, int count) throws Exception {
        List<Response> responses = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            responses.add(client.readResponse());
        }
        return responses;
    }

    private static String withoutDate(Response response) {
        var headers = new java.util.TreeMap<>(response.headers());
        headers.remove("date");
        return headers.toString();
    }

    private static byte[] concat(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        parts.forEach(out::writeBytes);
        return out.toByteArray();
    }

    private static byte[][] pieces(byte[] whole, List<Integer> cuts) {
        TreeSet<Integer> positions = new TreeSet<>();
        for (int cut : cuts) {
            positions.add(1 + Math.floorMod(cut, whole.length - 1));
        }
        List<byte[]> pieces = new ArrayList<>();
        int from = 0;
        for (int position : positions) {
            pieces.add(Arrays.copyOfRange(whole, from, position));
            from = position;
        }
        pieces.add(Arrays.copyOfRange(whole, from, whole.length));
        return pieces.toArray(new byte[0][]);
    }

    // ---------------------------------------------------------------- generators

    /** A valid request; a third each without a body, with Content-Length, and chunked. */
    private static byte[] request(Random random) {
        String method = Gen.oneOf(random, METHODS);
        String segment = String.join("", Gen.list(random, 1, 5, r -> r.nextBoolean()
                ? Gen.fromAlphabet(r, "abcXYZ0189-._~", 1, 4)
                : Gen.oneOf(r, "%C3%B6", "%20", "%41", "%2F", "%E4%B8%96")));
        String query = Gen.orNull(random, 0.4, () -> Gen.fromAlphabet(random, "abxyz019=&+", 0, 20));
        List<String> fields = Gen.list(random, 0, 6, SplitRequestProperties::field);
        int framing = Gen.between(random, 0, 2); // none, Content-Length, chunked
        byte[] body = Gen.bytes(random, 300);
        return render(random, method, segment, query, fields, framing, body);
    }

    private static String field(Random random) {
        String name = "X-" + Gen.fromAlphabet(random, FIELD_NAME_CHARS, 1, 10);
        String value = Gen.fromAlphabet(random, FIELD_VALUE_CHARS, 0, 30).strip();
        return name + ":" + Gen.oneOf(random, "", " ", "  ", "\t") + value + Gen.oneOf(random, "", " ", "  ", "\t");
    }

    private static byte[] render(Random random, String method, String segment, String query, List<String> fields,
            int framing, byte[] body) {
        StringBuilder head = new StringBuilder();
        if (random.nextInt(8) == 0) {
            head.append("\r\n"); // an empty line before the request line is ignored
        }
        head.append(method).append(" /p/").append(segment);
        if (query != null) {
            head.append('?').append(query);
        }
        head.append(" HTTP/1.1\r\n");
        int hostAt = random.nextInt(fields.size() + 1);
        for (int i = 0; i <= fields.size(); i++) {
            if (i == hostAt) {
                head.append(random.nextBoolean() ? "Host" : "host").append(": example.com\r\n");
            }
            if (i < fields.size()) {
                head.append(fields.get(i)).append("\r\n");
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (framing == 1 || (framing == 0 && random.nextInt(4) == 0)) {
            int length = framing == 1 ? body.length : 0;
            out.writeBytes(ascii(head + "Content-Length: " + length + "\r\n\r\n"));
            out.writeBytes(Arrays.copyOf(body, length));
        } else if (framing == 2) {
            out.writeBytes(ascii(head + "Transfer-Encoding: chunked\r\n\r\n"));
            int offset = 0;
            while (offset < body.length) {
                int size = Math.min(body.length - offset, 1 + random.nextInt(100));
                String hex = Integer.toHexString(size);
                out.writeBytes(ascii((random.nextBoolean() ? hex : hex.toUpperCase())
                        + (random.nextInt(4) == 0 ? ";ext=" + random.nextInt(100) : "") + "\r\n"));
                out.write(body, offset, size);
                out.writeBytes(ascii("\r\n"));
                offset += size;
            }
            out.writeBytes(ascii("0\r\n"));
            if (random.nextBoolean()) {
                out.writeBytes(ascii("X-Trailer-" + random.nextInt(10) + ": t" + random.nextInt(1000) + "\r\n"));
            }
            out.writeBytes(ascii("\r\n"));
        } else {
            out.writeBytes(ascii(head + "\r\n"));
        }
        return out.toByteArray();
    }
}
