package io.sluice.server;

import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.WebSocketTestSupport.JdkClient;
import io.sluice.server.WebSocketTestSupport.Recorder;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawWebSocketClient;
import java.net.http.HttpClient;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The opening handshake over real sockets (RFC 6455 §4.2): refusals with their statuses, the origin
 * check, subprotocol selection, and what the session learns from the handshake request.
 */
@Timeout(20)
class WebSocketHandshakeIntegrationTest {

    private static final String KEY = "dGhlIHNhbXBsZSBub25jZQ==";

    private SluiceServer server;
    private Recorder recorder;

    @BeforeEach
    void start() throws Exception {
        recorder = new Recorder();
        server = testServer()
                .webSocket(WebSocketRoute.of("/ws", recorder))
                .webSocket(WebSocketRoute.of("/chat", recorder).withSubprotocols("chat.v2", "chat.v1"))
                .webSocket(WebSocketRoute.of("/rooms/{room}/users/{user}", recorder))
                .webSocket(WebSocketRoute.of("/shared", recorder))
                .get("/shared", request -> HttpResponse.text("plain http"))
                .webSocketOptions(WebSocketOptions.defaults()
                        .withAllowedOrigins(List.of("https://good.example", "http://localhost:8080")))
                .build();
        server.start();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    /** A handshake request with the given extra lines, the standard lines minus those named in {@code omit}. */
    private static String request(String method, String path, String omit, String... extra) {
        StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: test\r\n");
        String[][] standard = {
            {"upgrade", "Upgrade: websocket"},
            {"connection", "Connection: Upgrade"},
            {"key", "Sec-WebSocket-Key: " + KEY},
            {"version", "Sec-WebSocket-Version: 13"},
        };
        for (String[] line : standard) {
            if (!omit.contains(line[0])) {
                request.append(line[1]).append("\r\n");
            }
        }
        for (String line : extra) {
            request.append(line).append("\r\n");
        }
        return request.append("\r\n").toString();
    }

    private RawHttpClient.Response exchange(String request) throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            RawHttpClient.Response response = client.exchange(request);
            if (response.status() != 101) {
                assertThat(client.isClosedByServer()).as("connection closed after a refused handshake").isTrue();
            }
            return response;
        }
    }

    @Test
    void aValidHandshakeGets101WithTheAcceptValueOfRfc6455() throws Exception {
        RawHttpClient.Response response = exchange(request("GET", "/ws", ""));
        assertThat(response.status()).isEqualTo(101);
        // The sample key and accept value of RFC 6455 §1.3.
        assertThat(response.header("Sec-WebSocket-Accept")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
        assertThat(response.header("Upgrade")).isEqualToIgnoringCase("websocket");
        assertThat(response.header("Connection")).isEqualToIgnoringCase("Upgrade");
        assertThat(response.header("Sec-WebSocket-Protocol")).isNull();
        assertThat(response.header("Sec-WebSocket-Extensions")).isNull();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "no Upgrade                  | upgrade    | ",
        "Upgrade not websocket       | upgrade    | Upgrade: h2c",
        "no Connection               | connection | ",
        "Connection without upgrade  | connection | Connection: keep-alive",
        "no key                      | key        | ",
        "key of 15 bytes             | key        | Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAA",
        "key of 17 bytes             | key        | Sec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAAA=",
        "key not base64              | key        | Sec-WebSocket-Key: !!!!!!!!!!!!!!!!!!!!!!==",
        "two keys                    | -          | Sec-WebSocket-Key: " + KEY,
    })
    void refusesAMalformedHandshakeWith400(String name, String omit, String extra) throws Exception {
        String[] lines = extra == null ? new String[0] : new String[] {extra};
        RawHttpClient.Response response = exchange(request("GET", "/ws", omit, lines));
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Sec-WebSocket-Accept")).isNull();
        assertThat(recorder.opened).isEmpty();
    }

    @Test
    void refusesAPostWith400() throws Exception {
        RawHttpClient.Response response = exchange(request("POST", "/ws", "", "Content-Length: 0"));
        assertThat(response.status()).isEqualTo(400);
        assertThat(recorder.opened).isEmpty();
    }

    @ParameterizedTest(name = "version {0}")
    @CsvSource({"8", "12", "14", "''"})
    void refusesOtherVersionsWith426NamingVersion13(String version) throws Exception {
        RawHttpClient.Response response = exchange(request("GET", "/ws", "version",
                version.isEmpty() ? "X-No-Version: 1" : "Sec-WebSocket-Version: " + version));
        assertThat(response.status()).isEqualTo(426);
        assertThat(response.header("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(recorder.opened).isEmpty();
    }

    @Test
    void refusesADisallowedOriginWith403AndAcceptsAllowedOrMissingOnes() throws Exception {
        assertThat(exchange(request("GET", "/ws", "", "Origin: https://evil.example")).status()).isEqualTo(403);
        assertThat(exchange(request("GET", "/ws", "", "Origin: http://good.example")).status())
                .as("scheme matters").isEqualTo(403);
        assertThat(recorder.opened).isEmpty();
        assertThat(exchange(request("GET", "/ws", "", "Origin: https://good.example")).status()).isEqualTo(101);
        assertThat(exchange(request("GET", "/ws", "", "Origin: HTTP://LOCALHOST:8080")).status())
                .as("origins compare ignoring case").isEqualTo(101);
        assertThat(exchange(request("GET", "/ws", "")).status()).as("no Origin: not a browser").isEqualTo(101);
    }

    @Test
    void aPlainGetOnASharedPathGoesToTheHttpRoute() throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            RawHttpClient.Response response = client.exchange("GET /shared HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo("plain http");
        }
        try (RawWebSocketClient ws = RawWebSocketClient.connect(server.port(), "/shared")) {
            ws.sendText("upgraded");
            assertThat(ws.readMessage().text()).isEqualTo("upgraded");
        }
    }

    @Test
    void anUnknownPathIs404() throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            assertThat(client.exchange(request("GET", "/nowhere", "")).status()).isEqualTo(404);
        }
        assertThat(recorder.opened).isEmpty();
    }

    @ParameterizedTest(name = "offer [{0}] -> {1}")
    @CsvSource(delimiter = '|', value = {
        "chat.v1, chat.v2           | chat.v1",
        "chat.v2, chat.v1           | chat.v2",
        "other, chat.v1             | chat.v1",
        "CHAT.V1                    | ",
        "other                      | ",
    })
    void selectsTheClientsFirstSupportedSubprotocol(String offer, String expected) throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/chat")
                .header("Sec-WebSocket-Protocol: " + offer).connect()) {
            assertThat(ws.handshakeHeader("Sec-WebSocket-Protocol")).isEqualTo(expected);
            WebSocketSession session = recorder.awaitOpen();
            assertThat(session.subprotocol()).isEqualTo(expected);
        }
    }

    @Test
    void subprotocolOffersSpreadOverSeveralFieldsAreOneList() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/chat")
                .header("Sec-WebSocket-Protocol: x-unknown").header("Sec-WebSocket-Protocol: chat.v1, chat.v2")
                .connect()) {
            assertThat(ws.handshakeHeader("Sec-WebSocket-Protocol")).isEqualTo("chat.v1");
            assertThat(recorder.awaitOpen().subprotocol()).isEqualTo("chat.v1");
        }
    }

    @Test
    void theJdkClientGetsItsSubprotocol() throws Exception {
        JdkClient client = JdkClient.connect(HttpClient.newHttpClient(), server.port(), "/chat",
                List.of("nope", "chat.v1"));
        assertThat(client.webSocket.getSubprotocol()).isEqualTo("chat.v1");
        assertThat(recorder.awaitOpen().subprotocol()).isEqualTo("chat.v1");
        client.webSocket.sendClose(1000, "");
        assertThat(client.awaitClose()).isEqualTo(1000);
    }

    @Test
    void anEndpointWithoutSubprotocolsIgnoresOffers() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(), "/ws")
                .header("Sec-WebSocket-Protocol: chat.v1").connect()) {
            assertThat(ws.handshakeHeader("Sec-WebSocket-Protocol")).isNull();
            assertThat(recorder.awaitOpen().subprotocol()).isNull();
        }
    }

    @Test
    void theSessionSeesPathVariablesQueryAndHandshakeHeaders() throws Exception {
        try (RawWebSocketClient ws = RawWebSocketClient.builder(server.port(),
                        "/rooms/caf%C3%A9/users/42?token=abc&tag=a&tag=b%20c")
                .header("X-Custom: hello").header("Cookie: session=xyz").connect()) {
            WebSocketSession session = recorder.awaitOpen();
            assertThat(session.path()).isEqualTo("/rooms/café/users/42");
            assertThat(session.pathVariables()).containsEntry("room", "café").containsEntry("user", "42").hasSize(2);
            assertThat(session.pathVariable("user")).isEqualTo("42");
            assertThat(session.query().first("token")).isEqualTo("abc");
            assertThat(session.query().all("tag")).containsExactly("a", "b c");
            assertThat(session.handshakeHeaders().first("X-Custom")).isEqualTo("hello");
            assertThat(session.handshakeHeaders().first("cookie")).isEqualTo("session=xyz");
            assertThat(session.handshakeHeaders().first("Sec-WebSocket-Key")).isNotNull();
            assertThat(session.remoteAddress()).isNotNull();
            assertThat(session.remoteAddress().getPort()).isEqualTo(ws.socket().getLocalPort());
            assertThat(session.id()).isNotBlank();
            // The session works after all that.
            ws.sendText("ok");
            assertThat(ws.readMessage().text()).isEqualTo("ok");
        }
    }

    @Test
    void sessionIdsAreUnique() throws Exception {
        try (RawWebSocketClient a = RawWebSocketClient.connect(server.port(), "/ws");
                RawWebSocketClient b = RawWebSocketClient.connect(server.port(), "/ws")) {
            assertThat(recorder.awaitOpen().id()).isNotEqualTo(recorder.awaitOpen().id());
        }
    }

    @Test
    void framesSentRightBehindTheHandshakeAreNotLost() throws Exception {
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            byte[] head = request("GET", "/ws", "").getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            byte[] frame = RawWebSocketClient.encodeFrame(0x81, "early".getBytes(), true, 0);
            byte[] both = new byte[head.length + frame.length];
            System.arraycopy(head, 0, both, 0, head.length);
            System.arraycopy(frame, 0, both, head.length, frame.length);
            client.send(both);
            RawHttpClient.Response response = client.readResponse();
            assertThat(response.status()).isEqualTo(101);
            byte[] echo = client.socket().getInputStream().readNBytes(7);
            assertThat(echo).containsExactly(0x81, 5, 'e', 'a', 'r', 'l', 'y');
        }
    }

    @Test
    void headerTokensAreListsAndIgnoreCase() throws Exception {
        String request = "GET /ws HTTP/1.1\r\nHost: test\r\nUpgrade: WebSocket\r\n"
                + "Connection: keep-alive, UPGRADE\r\nSec-WebSocket-Key: " + KEY + "\r\n"
                + "Sec-WebSocket-Version: 13\r\n\r\n";
        assertThat(exchange(request).status()).isEqualTo(101);
    }

    @Test
    void aHandshakeWithABodyIs400() throws Exception {
        RawHttpClient.Response response = exchange(request("GET", "/ws", "", "Content-Length: 5") + "hello");
        assertThat(response.status()).isEqualTo(400);
    }

    @Test
    void http10HandshakesAre400() throws Exception {
        String request = request("GET", "/ws", "").replace("HTTP/1.1", "HTTP/1.0");
        assertThat(exchange(request).status()).isEqualTo(400);
    }
}
