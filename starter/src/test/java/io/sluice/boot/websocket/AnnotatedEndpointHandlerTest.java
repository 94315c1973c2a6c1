package io.sluice.boot.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.json.JacksonJsonCodec;
import io.sluice.boot.json.UnreadableJsonException;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.annotation.OnClose;
import io.sluice.boot.websocket.annotation.OnError;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

/** Argument resolution, replies and the failure policy, driving the handler the way the engine does. */
@Timeout(10)
class AnnotatedEndpointHandlerTest {

    private final EndpointIntrospector introspector = new EndpointIntrospector(
            ApplicationConversionService.getSharedInstance(), new JacksonJsonCodec(JsonMapper.builder().build()));

    record Point(int x, int y) {
    }

    @WebSocketEndpoint("/rooms/{room}/{seat}")
    static class Room {
        final List<String> calls = new ArrayList<>();

        @OnOpen
        String open(WebSocketSession session, @PathVar String room, @PathVar long seat) {
            calls.add("open " + room + " " + seat + " " + session.id());
            return "welcome to " + room;
        }

        @OnMessage
        Point move(@PathVar long seat, Point point) {
            calls.add("move " + point + " at " + seat);
            return new Point(point.x() + 1, point.y() + 1);
        }

        @OnMessage
        byte[] bytes(byte[] data) {
            calls.add("bytes " + data.length);
            return new byte[] {data[0]};
        }

        @OnClose
        void close(String reason, int code, @PathVar String room) {
            calls.add("close " + code + " " + reason + " " + room);
        }
    }

    @Test
    void callbacksGetTheSessionPathVariablesAndMessagesAndTheirResultsAreSent() throws Exception {
        Room room = new Room();
        WebSocketHandler handler = handler(room);
        RecordingSession session = new RecordingSession(Map.of("room", "lobby", "seat", "12"));

        handler.onOpen(session);
        handler.onText(session, "{\"x\":1,\"y\":2}");
        handler.onBinary(session, new byte[] {7, 8, 9});
        handler.onClose(session, 1001, "going");

        assertThat(room.calls).containsExactly("open lobby 12 test", "move Point[x=1, y=2] at 12", "bytes 3",
                "close 1001 going lobby");
        assertThat(session.sent).containsExactly(
                new RecordingSession.Sent(WebSocketMessage.Type.TEXT, "welcome to lobby"),
                new RecordingSession.Sent(WebSocketMessage.Type.TEXT, "{\"x\":2,\"y\":3}"),
                new RecordingSession.Sent(WebSocketMessage.Type.BINARY, "\u0007"));
        assertThat(session.isOpen()).isTrue();
    }

    @Test
    void malformedOrMismatchedJsonClosesWith1007AndTheCodecsExplanation() throws Exception {
        for (String malformed : List.of("{\"x\":1,", "not json", "[1,2]", "{\"x\":\"one\",\"y\":2}", "")) {
            Room room = new Room();
            RecordingSession session = new RecordingSession(Map.of("room", "lobby", "seat", "1"));

            handler(room).onText(session, malformed);

            assertThat(room.calls).as(malformed).isEmpty();
            assertThat(session.closeCode).as(malformed).isEqualTo(1007);
            assertThat(session.closeReason).as(malformed).isNotEmpty();
            assertThat(session.closeReason.getBytes(StandardCharsets.UTF_8)).as(malformed).hasSizeLessThanOrEqualTo(123);
            assertThat(session.sent).as(malformed).isEmpty();
        }
    }

    @Test
    void aPathVariableThatDoesNotConvertClosesWith1008() throws Exception {
        Room room = new Room();
        RecordingSession session = new RecordingSession(Map.of("room", "lobby", "seat", "front-row"));

        handler(room).onOpen(session);

        assertThat(room.calls).isEmpty();
        assertThat(session.closeCode).isEqualTo(1008);
        assertThat(session.closeReason).isEqualTo("Path variable 'seat' has an invalid value 'front-row'");
    }

    @WebSocketEndpoint("/numbers")
    static class Numbers {
        final List<Integer> received = new ArrayList<>();

        @OnMessage
        void number(int number) {
            received.add(number);
        }
    }

    @Test
    void jsonNullForAPrimitiveIsUnreadable() throws Exception {
        Numbers numbers = new Numbers();
        WebSocketHandler handler = handler(numbers);
        RecordingSession session = new RecordingSession();

        handler.onText(session, "42");
        handler.onText(session, "null");

        assertThat(numbers.received).containsExactly(42);
        assertThat(session.closeCode).isEqualTo(1007);
    }

    @WebSocketEndpoint("/forgiving/{id}")
    static class Forgiving {
        final List<Throwable> failures = new ArrayList<>();

        @OnMessage
        void point(Point point, @PathVar int id) {
        }

        @OnError
        String unreadable(UnreadableJsonException failure, WebSocketSession session) {
            failures.add(failure);
            return "try again";
        }
    }

    @Test
    void anErrorMethodThatTakesTheFailureHandlesItAndTheSessionStaysOpen() throws Exception {
        Forgiving endpoint = new Forgiving();
        RecordingSession session = new RecordingSession(Map.of("id", "3"));

        handler(endpoint).onText(session, "{oops");

        assertThat(endpoint.failures).singleElement().isInstanceOf(UnreadableJsonException.class);
        assertThat(session.isOpen()).isTrue();
        assertThat(session.texts()).containsExactly("try again");
    }

    @Test
    void failuresAnErrorMethodDoesNotTakeGetTheDefaultTreatment() throws Exception {
        Forgiving endpoint = new Forgiving();
        RecordingSession session = new RecordingSession(Map.of("id", "three"));

        handler(endpoint).onText(session, "{\"x\":1,\"y\":1}");

        assertThat(endpoint.failures).isEmpty();
        assertThat(session.closeCode).isEqualTo(1008);
    }

    @WebSocketEndpoint("/fragile")
    static class Fragile {
        final List<Throwable> handled = new ArrayList<>();

        @OnOpen
        void open() throws Exception {
            throw new java.io.IOException("database down");
        }

        @OnMessage
        String message(String text) {
            if (text.equals("state")) {
                throw new IllegalStateException("bad state");
            }
            throw new IllegalArgumentException("bad argument");
        }

        @OnError
        void error(IllegalStateException failure) {
            handled.add(failure);
        }
    }

    @Test
    void aCallbackThatThrowsGoesToTheErrorMethodWhenItTakesTheFailureElseCloses1011() throws Exception {
        Fragile endpoint = new Fragile();
        WebSocketHandler handler = handler(endpoint);

        RecordingSession handled = new RecordingSession();
        handler.onText(handled, "state");
        assertThat(endpoint.handled).singleElement().extracting(Throwable::getMessage).isEqualTo("bad state");
        assertThat(handled.isOpen()).isTrue();

        RecordingSession unhandled = new RecordingSession();
        handler.onText(unhandled, "argument");
        assertThat(unhandled.closeCode).isEqualTo(1011);
        assertThat(unhandled.closeReason).isEmpty();

        RecordingSession checked = new RecordingSession();
        handler.onOpen(checked);
        assertThat(checked.closeCode).isEqualTo(1011);
        assertThat(endpoint.handled).hasSize(1);
    }

    @WebSocketEndpoint("/clumsy")
    static class Clumsy {
        @OnMessage
        void message(String text) {
            throw new IllegalStateException("first");
        }

        @OnError
        void error(Throwable failure) {
            throw new IllegalStateException("second");
        }
    }

    @Test
    void anErrorMethodThatThrowsClosesWith1011() throws Exception {
        RecordingSession session = new RecordingSession();

        handler(new Clumsy()).onText(session, "hi");

        assertThat(session.closeCode).isEqualTo(1011);
    }

    @Test
    void protocolErrorsTheServerReportsReachTheErrorMethod() {
        Clumsy clumsy = new Clumsy();
        Fragile fragile = new Fragile();
        RecordingSession session = new RecordingSession();

        handler(fragile).onError(session, new IllegalStateException("1009 message too big"));
        handler(fragile).onError(session, new RuntimeException("not taken"));
        handler(clumsy).onError(session, new Exception("1002 protocol error"));

        assertThat(fragile.handled).singleElement().extracting(Throwable::getMessage).isEqualTo("1009 message too big");
        assertThat(session.closeCode).as("an error method that throws still closes").isEqualTo(1011);
    }

    @WebSocketEndpoint("/text-only")
    static class TextOnly {
        @OnMessage
        void text(String text) {
        }
    }

    @WebSocketEndpoint("/nothing")
    static class Nothing {
    }

    @Test
    void aMessageKindTheEndpointHasNoMethodForClosesWith1003() throws Exception {
        RecordingSession binary = new RecordingSession();
        handler(new TextOnly()).onBinary(binary, new byte[] {1});
        assertThat(binary.closeCode).isEqualTo(1003);
        assertThat(binary.closeReason).isEqualTo("Binary messages are not accepted");

        RecordingSession text = new RecordingSession();
        handler(new Nothing()).onText(text, "hello");
        assertThat(text.closeCode).isEqualTo(1003);
        assertThat(text.closeReason).isEqualTo("Text messages are not accepted");
    }

    @WebSocketEndpoint("/replies")
    static class Replies {
        @OnMessage
        Object reply(String kind) {
            return switch (kind) {
                case "text" -> new StringBuilder("built");
                case "binary" -> new byte[] {65};
                case "message" -> WebSocketMessage.text("prepared");
                case "json" -> List.of(1, 2);
                default -> null;
            };
        }
    }

    @Test
    void anObjectResultIsSentByItsRuntimeTypeAndNullSendsNothing() throws Exception {
        WebSocketHandler handler = handler(new Replies());
        RecordingSession session = new RecordingSession();

        for (String kind : List.of("text", "binary", "message", "json", "nothing")) {
            handler.onText(session, kind);
        }

        assertThat(session.sent).containsExactly(
                new RecordingSession.Sent(WebSocketMessage.Type.TEXT, "built"),
                new RecordingSession.Sent(WebSocketMessage.Type.BINARY, "A"),
                new RecordingSession.Sent(WebSocketMessage.Type.TEXT, "prepared"),
                new RecordingSession.Sent(WebSocketMessage.Type.TEXT, "[1,2]"));
    }

    @WebSocketEndpoint("/files/*")
    static class Files {
        @OnOpen
        private String open(@PathVar("*") String rest) {
            return "serving " + rest;
        }
    }

    @Test
    void privateMethodsAndTheWildcardVariableAreSupported() throws Exception {
        RecordingSession session = new RecordingSession(Map.of("*", "docs/guide.md"));

        handler(new Files()).onOpen(session);

        assertThat(session.texts()).containsExactly("serving docs/guide.md");
    }

    @Test
    void closeReasonsAreCutToWhatACloseFrameCarriesAtACharacterBoundary() {
        assertThat(AnnotatedEndpointHandler.truncate("short")).isEqualTo("short");
        assertThat(AnnotatedEndpointHandler.truncate(null)).isEmpty();
        assertThat(AnnotatedEndpointHandler.truncate("a".repeat(123))).isEqualTo("a".repeat(123));
        for (String unit : List.of("a", "é", "€", "😀")) {
            String truncated = AnnotatedEndpointHandler.truncate(unit.repeat(200));
            assertThat(truncated.getBytes(StandardCharsets.UTF_8).length).as(unit).isLessThanOrEqualTo(123);
            assertThat(truncated).as(unit).endsWith("\u2026").startsWith(unit.repeat(10));
            String body = truncated.substring(0, truncated.length() - 1);
            assertThat(body.replace(unit, "")).as("only whole characters of " + unit).isEmpty();
        }
    }

    private WebSocketHandler handler(Object endpoint) {
        return introspector.introspect("endpoint", endpoint).route().handler();
    }
}
