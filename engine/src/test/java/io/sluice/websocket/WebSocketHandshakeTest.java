package io.sluice.websocket;

import static io.sluice.websocket.Heads.SAMPLE_ACCEPT;
import static io.sluice.websocket.Heads.SAMPLE_KEY;
import static io.sluice.websocket.Heads.handshake;
import static io.sluice.websocket.Heads.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.HttpResponse;
import io.sluice.http.RequestHead;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class WebSocketHandshakeTest {

    private static final HandshakeOptions ANY = HandshakeOptions.DEFAULT;

    private static HandshakeResult negotiate(RequestHead head) {
        return WebSocketHandshake.validate(head, ANY);
    }

    private static void assertRefused(RequestHead head, int status) {
        HandshakeResult result = negotiate(head);
        assertThat(result.isAccepted()).as("%s", result).isFalse();
        assertThat(result.status()).isEqualTo(status);
        assertThat(result.refusalReason()).isNotBlank();
    }

    private static String[] fields(String upgrade, String connection, String key, String version) {
        return java.util.stream.Stream.of(upgrade, connection, key, version).filter(f -> f != null)
                .toArray(String[]::new);
    }

    @Test
    void rfc6455SampleKey() {
        assertThat(WebSocketHandshake.acceptValue(SAMPLE_KEY)).isEqualTo(SAMPLE_ACCEPT);
        assertThat(WebSocketHandshake.isValidKey(SAMPLE_KEY)).isTrue();
    }

    @Test
    void acceptsAValidHandshakeAndWritesThe101Head() {
        HandshakeResult result = negotiate(handshake("Origin: http://example.com"));

        assertThat(result.isAccepted()).isTrue();
        assertThat(result.status()).isEqualTo(101);
        assertThat(result.acceptValue()).isEqualTo(SAMPLE_ACCEPT);
        assertThat(result.subprotocol()).isNull();
        assertThat(result.permessageDeflate()).isNull();
        assertThat(result.extensionsHeaderValue()).isNull();
        assertThat(result.refusalReason()).isNull();
        String expected = "HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + SAMPLE_ACCEPT + "\r\n"
                + "\r\n";
        assertThat(new String(result.responseHead(), StandardCharsets.ISO_8859_1)).isEqualTo(expected);

        ByteBuffer buffer = ByteBuffer.allocate(256);
        result.writeResponseHead(buffer);
        buffer.flip();
        assertThat(StandardCharsets.ISO_8859_1.decode(buffer).toString()).isEqualTo(expected);
        assertThatThrownBy(result::refusalResponse).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void headNamesSubprotocolAndExtensionWhenNegotiated() {
        HandshakeOptions options = HandshakeOptions.builder().subprotocols("chat").permessageDeflate(true).build();
        HandshakeResult result = WebSocketHandshake.validate(handshake("Sec-WebSocket-Protocol: chat",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"), options);

        assertThat(new String(result.responseHead(), StandardCharsets.ISO_8859_1)).isEqualTo(
                "HTTP/1.1 101 Switching Protocols\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: " + SAMPLE_ACCEPT + "\r\n"
                        + "Sec-WebSocket-Protocol: chat\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate\r\n"
                        + "\r\n");
        assertThat(result.responseHeaderFields()).hasSize(5);
    }

    @Test
    void tokensCompareIgnoringCaseAndMayBeInLists() {
        assertThat(negotiate(request("GET / HTTP/1.1", "upgrade: WebSocket", "connection: keep-alive, UPGRADE",
                "sec-websocket-key: " + SAMPLE_KEY, "sec-websocket-version: 13")).isAccepted()).isTrue();
        assertThat(negotiate(request("GET / HTTP/1.1", "Upgrade: foo/2, websocket", "Connection: keep-alive",
                "Connection: Upgrade", "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13"))
                .isAccepted()).isTrue();
        assertThat(negotiate(handshake("Content-Length: 0")).isAccepted()).isTrue();
    }

    @Test
    void refusesOtherMethods() {
        for (String method : new String[] {"POST", "PUT", "HEAD", "OPTIONS", "get"}) {
            assertRefused(request(method + " / HTTP/1.1", fields("Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13")), 400);
        }
    }

    @Test
    void refusesHttp10() {
        assertRefused(request("GET / HTTP/1.0", fields("Upgrade: websocket", "Connection: Upgrade",
                "Sec-WebSocket-Key: " + SAMPLE_KEY, "Sec-WebSocket-Version: 13")), 400);
    }

    @Test
    void refusesABody() {
        assertRefused(handshake("Content-Length: 5"), 400);
        assertRefused(handshake("Transfer-Encoding: chunked"), 400);
    }

    @Test
    void refusesMissingOrWrongUpgrade() {
        String key = "Sec-WebSocket-Key: " + SAMPLE_KEY;
        String version = "Sec-WebSocket-Version: 13";
        assertRefused(request("GET / HTTP/1.1", fields(null, "Connection: Upgrade", key, version)), 400);
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: h2c", "Connection: Upgrade", key, version)), 400);
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websocket/13", "Connection: Upgrade", key, version)),
                400);
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websockets", "Connection: Upgrade", key, version)),
                400);
    }

    @Test
    void refusesConnectionWithoutUpgrade() {
        String key = "Sec-WebSocket-Key: " + SAMPLE_KEY;
        String version = "Sec-WebSocket-Version: 13";
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websocket", null, key, version)), 400);
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websocket", "Connection: keep-alive", key, version)),
                400);
    }

    @Test
    void missingOrOtherVersionIs426WithVersion13() {
        String key = "Sec-WebSocket-Key: " + SAMPLE_KEY;
        for (String version : new String[] {null, "Sec-WebSocket-Version: 8", "Sec-WebSocket-Version: 13, 8",
                "Sec-WebSocket-Version: 14", "Sec-WebSocket-Version: 013"}) {
            RequestHead head = request("GET / HTTP/1.1", fields("Upgrade: websocket", "Connection: Upgrade", key,
                    version));
            assertRefused(head, 426);
            HandshakeResult result = negotiate(head);
            assertThat(result.refusalHeaderFields()).anySatisfy(
                    f -> assertThat(f).containsExactly("Sec-WebSocket-Version", "13"));
            HttpResponse response = result.refusalResponse();
            assertThat(response.status()).isEqualTo(426);
            assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
            assertThat(response.header("Upgrade")).isEqualTo("websocket");
        }
        assertRefused(handshake("Sec-WebSocket-Version: 13"), 426); // repeated
    }

    @Test
    void versionIsCheckedBeforeTheKey() {
        assertRefused(request("GET / HTTP/1.1", "Upgrade: websocket", "Connection: Upgrade"), 426);
    }

    @Test
    void refusesMissingRepeatedOrInvalidKeys() {
        String version = "Sec-WebSocket-Version: 13";
        assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websocket", "Connection: Upgrade", null, version)),
                400);
        assertRefused(handshake("Sec-WebSocket-Key: " + SAMPLE_KEY), 400);
        for (String key : new String[] {
                "",
                "dGhlIHNhbXBsZSBub25jZQ", // no padding
                "dGhlIHNhbXBsZSBub25jZQ=", // short padding
                "AAAAAAAAAAAAAAAAAAAA", // 15 bytes
                "AAAAAAAAAAAAAAAAAAAAAAA=", // 17 bytes
                "AAAAAAAAAAAAAAAAAAAAAAAA", // 18 bytes
                "dGhlIHNhbXBsZSBub25jZR==", // non-zero padding bits
                "dGhlIHNhbXBsZSBub25j*Q==", // not base64
                "dGhlIHNhbXBsZSBub25j-Q==", // base64url
                "dGhlIHNhbXBsZSBub25jZQ==dGhlIHNhbXBsZSBub25jZQ=="}) {
            assertThat(WebSocketHandshake.isValidKey(key)).as(key).isFalse();
            assertRefused(request("GET / HTTP/1.1", fields("Upgrade: websocket", "Connection: Upgrade",
                    "Sec-WebSocket-Key: " + key, version)), 400);
        }
        assertThat(WebSocketHandshake.isValidKey("AAAAAAAAAAAAAAAAAAAAAA==")).isTrue();
        assertThat(WebSocketHandshake.isValidKey("/////////////////////w==")).isTrue();
    }

    @Test
    void refusalResponseCarriesStatusAndReason() {
        HttpResponse response = negotiate(handshake("Content-Length: 3")).refusalResponse();
        assertThat(response.status()).isEqualTo(400);
        assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("body");
        assertThatThrownBy(() -> negotiate(handshake("Content-Length: 3")).responseHead())
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void originsAreCheckedOnlyWhenRestricted() {
        HandshakeOptions restricted = HandshakeOptions.builder()
                .allowedOrigins("https://example.com", "http://localhost:8080").build();

        assertThat(WebSocketHandshake.validate(handshake("Origin: https://example.com"), restricted).isAccepted())
                .isTrue();
        assertThat(WebSocketHandshake.validate(handshake("Origin: HTTPS://Example.COM"), restricted).isAccepted())
                .isTrue();
        assertThat(WebSocketHandshake.validate(handshake("Origin: http://localhost:8080"), restricted).isAccepted())
                .isTrue();
        assertThat(WebSocketHandshake.validate(handshake(), restricted).isAccepted()).as("no Origin").isTrue();

        for (String origin : new String[] {"https://evil.example", "http://example.com", "https://example.com:8443",
                "http://localhost", "https://example.com.evil.example", "null"}) {
            HandshakeResult result = WebSocketHandshake.validate(handshake("Origin: " + origin), restricted);
            assertThat(result.status()).as(origin).isEqualTo(403);
            assertThat(result.refusalResponse().status()).isEqualTo(403);
        }
        assertThat(WebSocketHandshake.validate(handshake("Origin: https://example.com", "Origin: https://evil.example"),
                restricted).status()).as("repeated Origin").isEqualTo(403);

        assertThat(negotiate(handshake("Origin: https://evil.example")).isAccepted()).as("empty list: any").isTrue();
        HandshakeOptions star = HandshakeOptions.builder().allowedOrigins("https://example.com", "*").build();
        assertThat(WebSocketHandshake.validate(handshake("Origin: https://evil.example"), star).isAccepted()).isTrue();
        HandshakeOptions opaque = HandshakeOptions.builder().allowedOrigins("null").build();
        assertThat(WebSocketHandshake.validate(handshake("Origin: null"), opaque).isAccepted()).isTrue();
    }

    @Test
    void allowedOriginsMustBeOrigins() {
        for (String bad : new String[] {"example.com", "https://example.com/", "https://example.com/chat", "https://",
                ""}) {
            assertThatThrownBy(() -> HandshakeOptions.builder().allowedOrigins(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void subprotocolIsTheClientsFirstSupportedOffer() {
        HandshakeOptions options = HandshakeOptions.builder().subprotocols("v3.chat", "v2.chat", "v1.chat").build();

        assertThat(select(options, "Sec-WebSocket-Protocol: v1.chat, v2.chat")).isEqualTo("v1.chat");
        assertThat(select(options, "Sec-WebSocket-Protocol: v2.chat, v3.chat")).isEqualTo("v2.chat");
        assertThat(select(options, "Sec-WebSocket-Protocol: mqtt", "Sec-WebSocket-Protocol: , v3.chat ,v1.chat"))
                .isEqualTo("v3.chat");
        assertThat(select(options, "Sec-WebSocket-Protocol: mqtt, soap")).isNull();
        assertThat(select(options, "Sec-WebSocket-Protocol: V1.CHAT")).as("case-sensitive").isNull();
        assertThat(select(options)).isNull();
        assertThat(select(HandshakeOptions.DEFAULT, "Sec-WebSocket-Protocol: v1.chat")).isNull();

        HandshakeResult none = WebSocketHandshake.validate(handshake("Sec-WebSocket-Protocol: mqtt"), options);
        assertThat(none.isAccepted()).isTrue();
        assertThat(new String(none.responseHead(), StandardCharsets.ISO_8859_1)).doesNotContain("Sec-WebSocket-Protocol");
    }

    @Test
    void serverOrderCanDecide() {
        HandshakeOptions options = HandshakeOptions.builder().subprotocols("v3.chat", "v2.chat", "v1.chat")
                .preferServerSubprotocolOrder(true).build();

        assertThat(select(options, "Sec-WebSocket-Protocol: v1.chat, v2.chat")).isEqualTo("v2.chat");
        assertThat(select(options, "Sec-WebSocket-Protocol: v1.chat", "Sec-WebSocket-Protocol: v3.chat"))
                .isEqualTo("v3.chat");
        assertThat(select(options, "Sec-WebSocket-Protocol: mqtt")).isNull();
    }

    @Test
    void subprotocolsMustBeTokens() {
        assertThatThrownBy(() -> HandshakeOptions.builder().subprotocols("a b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeOptions.builder().subprotocols("a,b"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HandshakeOptions.builder().subprotocols(""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void permessageDeflateOnlyWhenEnabled() {
        String offer = "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits";
        assertThat(negotiate(handshake(offer)).permessageDeflate()).isNull();

        HandshakeOptions options = HandshakeOptions.builder().permessageDeflate(
                PerMessageDeflate.Settings.DEFAULT.withClientNoContextTakeover(true)).build();
        HandshakeResult result = WebSocketHandshake.validate(handshake(offer), options);
        assertThat(result.extensionsHeaderValue()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(result.permessageDeflate().clientNoContextTakeover()).isTrue();
        assertThat(result.newInflater().noContextTakeover()).isTrue();
        assertThat(result.newDeflater().noContextTakeover()).isFalse();

        HandshakeResult declined = WebSocketHandshake.validate(
                handshake("Sec-WebSocket-Extensions: permessage-deflate; server_max_window_bits=10"), options);
        assertThat(declined.isAccepted()).as("a declined extension does not refuse the handshake").isTrue();
        assertThat(declined.permessageDeflate()).isNull();
        assertThat(declined.newDeflater()).isNull();
        assertThat(declined.newInflater()).isNull();
        assertThat(new String(declined.responseHead(), StandardCharsets.ISO_8859_1)).doesNotContain("Sec-WebSocket-Extensions");
    }

    private static String select(HandshakeOptions options, String... fields) {
        HandshakeResult result = WebSocketHandshake.validate(handshake(fields), options);
        assertThat(result.isAccepted()).isTrue();
        return result.subprotocol();
    }
}
