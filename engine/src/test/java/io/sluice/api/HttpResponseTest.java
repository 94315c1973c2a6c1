package io.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpResponseTest {

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "a\r\nX-Injected: 1", "\u0000", "a\u0001", "\u001f", "\u007f", "\u0100",
        "\u20ac", "\ud83d\ude00"})
    void rejectsControlsAndNonLatin1InValues(String value) {
        assertThatThrownBy(() -> HttpResponse.status(200).header("X-A", value))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"a\rb", "a\nb", "OK\r\nX: y", "\u0000", "\u007f", "\u20ac"})
    void rejectsControlsInReason(String reason) {
        assertThatThrownBy(() -> HttpResponse.status(200).reason(reason)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNullValuesAndReason() {
        assertThatThrownBy(() -> HttpResponse.status(200).header("X-A", null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HttpResponse.status(200).reason(null)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void allowsTabSpaceAndObsTextInValues() {
        HttpResponse response = HttpResponse.status(200).header("X-A", "a\tb c \u00e9\u00ff").reason("Fine\tthanks \u00e9")
                .empty();
        assertThat(response.header("x-a")).isEqualTo("a\tb c \u00e9\u00ff");
        assertThat(response.reason()).isEqualTo("Fine\tthanks \u00e9");
        assertThat(response.hasCustomReason()).isTrue();
        assertThat(response.encodedHeaderFields())
                .isEqualTo("X-A: a\tb c \u00e9\u00ff\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Bad Name", "X:Y", "X\tY", "caf\u00e9", "X(Y)", "X/Y", "X@Y", "X\"Y", "{x}", "X\r\nY",
        "X\u0000"})
    void rejectsNonTokenNames(String name) {
        assertThatThrownBy(() -> HttpResponse.status(200).header(name, "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsNullName() {
        assertThatThrownBy(() -> HttpResponse.status(200).header(null, "v")).isInstanceOf(RuntimeException.class);
    }

    @Test
    void acceptsEveryTokenCharInNames() {
        String name = "!#$%&'*+-.^_`|~09azAZ";
        assertThat(HttpResponse.status(200).header(name, "v").empty().header(name)).isEqualTo("v");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Length", "content-length", "Transfer-Encoding", "TRANSFER-ENCODING", "Date", "date"})
    void rejectsFieldsManagedByTheServer(String name) {
        assertThatThrownBy(() -> HttpResponse.status(200).header(name, "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("managed by the server");
    }

    @ParameterizedTest
    @ValueSource(strings = {"close", "Close", "CLOSE", " close ", "\tclose"})
    void connectionCloseClosesTheConnection(String value) {
        HttpResponse response = HttpResponse.status(200).header("Connection", value).empty();
        assertThat(response.closeConnection()).isTrue();
    }

    @Test
    void connectionIsManagedByTheServerAndNotCopied() {
        HttpResponse close = HttpResponse.status(200).header("connection", "close").empty();
        assertThat(close.header("connection")).isNull();
        assertThat(close.encodedHeaderFields()).isEmpty();
        HttpResponse keep = HttpResponse.status(200).header("Connection", "keep-alive").empty();
        assertThat(keep.closeConnection()).isFalse();
        assertThat(HttpResponse.text("x").closeConnection()).isFalse();
    }

    @Test
    void serverFieldIsRecorded() {
        assertThat(HttpResponse.status(200).header("SERVER", "mine").empty().hasServerHeader()).isTrue();
        assertThat(HttpResponse.status(200).header("X-Server", "mine").empty().hasServerHeader()).isFalse();
    }

    @Test
    void textSetsUtf8PlainTextByDefault() {
        HttpResponse response = HttpResponse.text("h\u00e9llo \u20ac");
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo(HttpResponse.TEXT_PLAIN_UTF8)
                .isEqualTo("text/plain; charset=utf-8");
        assertThat(response.body()).isEqualTo("h\u00e9llo \u20ac".getBytes(StandardCharsets.UTF_8));
        assertThat(response.contentLength()).isEqualTo(response.body().length);
        assertThat(response.isStreamed()).isFalse();
    }

    @Test
    void jsonSetsApplicationJsonByDefault() {
        HttpResponse response = HttpResponse.json("{\"a\":1}");
        assertThat(response.header("content-type")).isEqualTo("application/json");
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
    }

    @Test
    void explicitContentTypeWins() {
        HttpResponse text = HttpResponse.status(200).header("content-type", "text/html").text("<p>");
        assertThat(text.headerFields()).hasSize(1);
        assertThat(text.header("Content-Type")).isEqualTo("text/html");
        HttpResponse json = HttpResponse.status(200).contentType("application/problem+json").json("{}");
        assertThat(json.headerFields()).hasSize(1);
        assertThat(json.header("content-type")).isEqualTo("application/problem+json");
    }

    @Test
    void fieldsKeepOrderAndRepeats() {
        HttpResponse response = HttpResponse.status(200).header("Set-Cookie", "a=1").header("X", "y")
                .header("Set-Cookie", "b=2").empty();
        assertThat(response.headerFields()).extracting(f -> f[0] + "=" + f[1])
                .containsExactly("Set-Cookie=a=1", "X=y", "Set-Cookie=b=2");
        assertThat(response.header("set-cookie")).isEqualTo("a=1");
        assertThat(new String(response.encodedHeaderFields(), StandardCharsets.ISO_8859_1))
                .isEqualTo("Set-Cookie: a=1\r\nX: y\r\nSet-Cookie: b=2\r\n");
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 99, 100, 4096, 65535, 1_000_000})
    void fieldsWithContentLengthEndWithTheBodyLength(int length) {
        HttpResponse response = HttpResponse.status(200).header("Content-Type", "application/octet-stream")
                .body(new byte[length]);
        assertThat(new String(response.encodedFieldsWithContentLength(), StandardCharsets.ISO_8859_1))
                .isEqualTo("Content-Type: application/octet-stream\r\nContent-Length: " + length + "\r\n");
        assertThat(new String(HttpResponse.status(200).body(new byte[length]).encodedFieldsWithContentLength(),
                StandardCharsets.ISO_8859_1)).isEqualTo("Content-Length: " + length + "\r\n");
    }

    @Test
    void statusRange() {
        assertThatThrownBy(() -> HttpResponse.status(199)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(100)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(1000)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(HttpResponse.status(200).empty().status()).isEqualTo(200);
        assertThat(HttpResponse.status(999).empty().reason()).isEqualTo("Unknown");
    }

    @Test
    void standardReasonUnlessGiven() {
        HttpResponse response = HttpResponse.status(404).empty();
        assertThat(response.reason()).isEqualTo("Not Found");
        assertThat(response.hasCustomReason()).isFalse();
    }

    @Test
    void shorthands() {
        HttpResponse noContent = HttpResponse.noContent();
        assertThat(noContent.status()).isEqualTo(204);
        assertThat(noContent.body()).isEmpty();
        assertThat(noContent.contentLength()).isZero();
        assertThat(noContent.headerFields()).isEmpty();

        HttpResponse error = HttpResponse.error(413);
        assertThat(error.status()).isEqualTo(413);
        assertThat(new String(error.body(), StandardCharsets.UTF_8)).isEqualTo("Content Too Large\n");
        assertThat(error.header("content-type")).isEqualTo(HttpResponse.TEXT_PLAIN_UTF8);
    }

    @Test
    void streamedBodies() {
        BodyWriter writer = out -> out.write(1);
        HttpResponse unknown = HttpResponse.status(200).stream(writer);
        assertThat(unknown.isStreamed()).isTrue();
        assertThat(unknown.bodyWriter()).isSameAs(writer);
        assertThat(unknown.contentLength()).isEqualTo(-1);
        assertThat(unknown.body()).isEmpty();

        HttpResponse known = HttpResponse.status(200).stream(10, writer);
        assertThat(known.contentLength()).isEqualTo(10);
        assertThat(HttpResponse.status(200).stream(0, writer).contentLength()).isZero();
        assertThatThrownBy(() -> HttpResponse.status(200).stream(-1, writer))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpResponse.status(200).stream(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> HttpResponse.status(200).body(null)).isInstanceOf(NullPointerException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 9, 10, 99, 100, 12345, 1_000_000})
    void theEncodedHeadCarriesTheFieldsAndTheBodyLength(int length) {
        HttpResponse response = HttpResponse.status(200).header("X-A", "1").header("X-Long", "v\u00e9".repeat(40))
                .header("X-A", "").body(new byte[length]);
        String fields = "X-A: 1\r\nX-Long: " + "v\u00e9".repeat(40) + "\r\nX-A: \r\n";
        assertThat(response.encodedHeaderFields()).isEqualTo(fields.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(response.encodedFieldsWithContentLength())
                .isEqualTo((fields + "Content-Length: " + length + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void manyFieldsKeepTheirOrder() {
        HttpResponse.Builder builder = HttpResponse.status(200);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            builder.header("X-" + i, "v" + i);
            expected.append("X-").append(i).append(": v").append(i).append("\r\n");
        }
        HttpResponse response = builder.text("hi");
        expected.append("Content-Type: text/plain; charset=utf-8\r\n");
        assertThat(new String(response.encodedHeaderFields(), StandardCharsets.ISO_8859_1))
                .isEqualTo(expected.toString());
        assertThat(response.headerFields()).hasSize(21);
    }

    @Test
    void builtResponsesAreIndependentOfLaterBuilderChanges() {
        HttpResponse.Builder builder = HttpResponse.status(200).header("X-A", "1");
        HttpResponse first = builder.empty();
        builder.header("X-B", "2");
        assertThat(first.headerFields()).hasSize(1);
        assertThat(first.encodedHeaderFields()).isEqualTo("X-A: 1\r\n".getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void tokenGrammar() {
        for (int c = 0; c < 256; c++) {
            boolean expected = c < 128 && (Character.isLetterOrDigit(c) || "!#$%&'*+-.^_`|~".indexOf(c) >= 0);
            assertThat(HttpStatus.isTokenChar(c)).as("0x%02x", c).isEqualTo(expected);
        }
        assertThat(HttpStatus.isTokenChar(-1)).isFalse();
        assertThat(HttpStatus.isTokenChar((byte) 0xC1)).isFalse();
    }
}
