package io.sluice.boot.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.json.JacksonJsonCodec;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.annotation.OnClose;
import io.sluice.boot.websocket.annotation.OnError;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import io.sluice.routing.PathTemplate;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.convert.ApplicationConversionService;
import tools.jackson.databind.json.JsonMapper;

/** Signature validation: every endpoint that could only fail at run time fails at startup, naming the method. */
@Timeout(10)
class EndpointIntrospectorTest {

    private final EndpointIntrospector introspector = new EndpointIntrospector(
            ApplicationConversionService.getSharedInstance(), new JacksonJsonCodec(JsonMapper.builder().build()));

    record Point(int x, int y) {
    }

    @WebSocketEndpoint(path = "/rooms/{room}", subprotocols = {"chat.v2", "chat.v1"})
    static class Complete {
        @OnOpen
        void open(WebSocketSession session, @PathVar String room) {
        }

        @OnMessage
        String text(String text, @PathVar("room") String name) {
            return text;
        }

        @OnMessage
        byte[] binary(WebSocketSession session, byte[] data) {
            return data;
        }

        @OnClose
        void close(int code, String reason, WebSocketSession session) {
        }

        @OnError
        void error(IllegalStateException failure) {
        }
    }

    @Test
    void anEndpointBecomesARouteOnWorkersWithItsPathAndSubprotocols() {
        EndpointIntrospector.Endpoint endpoint = introspector.introspect("complete", new Complete());

        WebSocketRoute route = endpoint.route();
        assertThat(route.path()).isEqualTo("/rooms/{room}");
        assertThat(route.dispatch()).isEqualTo(Dispatch.WORKER);
        assertThat(route.subprotocols()).containsExactly("chat.v2", "chat.v1");
        assertThat(route.handler()).isInstanceOf(AnnotatedEndpointHandler.class);
    }

    @WebSocketEndpoint("/fast")
    @NonBlocking
    static class Fast {
        @OnMessage
        String echo(String text) {
            return text;
        }
    }

    @Test
    void nonBlockingEndpointsRunOnTheEventLoop() {
        assertThat(introspector.introspect("fast", new Fast()).route().dispatch()).isEqualTo(Dispatch.EVENT_LOOP);
    }

    @Test
    void pathsThatMatchTheSameRequestsShareAShape() {
        assertThat(EndpointIntrospector.shape(PathTemplate.parse("/a/{x}/b")))
                .isEqualTo(EndpointIntrospector.shape(PathTemplate.parse("/a/{y}/b")))
                .isNotEqualTo(EndpointIntrospector.shape(PathTemplate.parse("/a/x/b")));
        assertThat(EndpointIntrospector.shape(PathTemplate.parse("/"))).isEqualTo("/");
        assertThat(EndpointIntrospector.shape(PathTemplate.parse("/files/*"))).isEqualTo("/files/*");
    }

    @WebSocketEndpoint("/two-text")
    static class TwoTextMethods {
        @OnMessage
        void plain(String text) {
        }

        @OnMessage
        void json(Point point) {
        }
    }

    @Test
    void twoMethodsForTextMessagesFail() {
        assertThat(failure(new TwoTextMethods()))
                .contains("'bean'", "two @OnMessage methods for text messages")
                .contains("TwoTextMethods.plain(String)", "TwoTextMethods.json(Point)");
    }

    @WebSocketEndpoint("/two-binary")
    static class TwoBinaryMethods {
        @OnMessage
        void one(byte[] data) {
        }

        @OnMessage
        void two(WebSocketSession session, byte[] data) {
        }
    }

    @Test
    void twoMethodsForBinaryMessagesFail() {
        assertThat(failure(new TwoBinaryMethods())).contains("two @OnMessage methods for binary messages",
                "TwoBinaryMethods.one(byte[])", "TwoBinaryMethods.two(WebSocketSession, byte[])");
    }

    @WebSocketEndpoint("/two-open")
    static class TwoOpenMethods {
        @OnOpen
        void first() {
        }

        @OnOpen
        void second(WebSocketSession session) {
        }
    }

    @Test
    void twoOpenMethodsFail() {
        assertThat(failure(new TwoOpenMethods())).contains("two @OnOpen methods", "first()", "second(WebSocketSession)");
    }

    @WebSocketEndpoint("/two-errors")
    static class TwoErrorMethods {
        @OnError
        void first(RuntimeException e) {
        }

        @OnError
        void second(Exception e) {
        }
    }

    @Test
    void twoErrorMethodsFail() {
        assertThat(failure(new TwoErrorMethods())).contains("two @OnError methods");
    }

    @WebSocketEndpoint("/open-extra")
    static class OpenWithMessage {
        @OnOpen
        void open(WebSocketSession session, String greeting) {
        }
    }

    @Test
    void anOpenMethodWithAParameterItCannotGetFails() {
        assertThat(failure(new OpenWithMessage()))
                .contains("OpenWithMessage.open(WebSocketSession, String)", "unsupported parameter 'greeting' of type String")
                .contains("an @OnOpen method takes the WebSocketSession and @PathVar parameters");
    }

    @WebSocketEndpoint("/no-message")
    static class MessageWithoutMessage {
        @OnMessage
        void message(WebSocketSession session) {
        }
    }

    @Test
    void aMessageMethodWithoutAMessageParameterFails() {
        assertThat(failure(new MessageWithoutMessage())).contains("MessageWithoutMessage.message(WebSocketSession)",
                "has no message parameter");
    }

    @WebSocketEndpoint("/two-messages")
    static class MessageWithTwoMessages {
        @OnMessage
        void message(String first, String second) {
        }
    }

    @Test
    void aMessageMethodWithTwoMessageParametersFails() {
        assertThat(failure(new MessageWithTwoMessages())).contains("has two message parameters ('first' and 'second')");
    }

    @WebSocketEndpoint("/buffer")
    static class BufferMessage {
        @OnMessage
        void message(ByteBuffer buffer) {
        }
    }

    @Test
    void aMessageTypeThatOnlyLooksBindableFails() {
        assertThat(failure(new BufferMessage())).contains("BufferMessage.message(ByteBuffer)",
                "message parameter of type ByteBuffer, which is not supported");
    }

    @WebSocketEndpoint("/error-without-throwable")
    static class ErrorWithoutThrowable {
        @OnError
        void error(WebSocketSession session) {
        }
    }

    @Test
    void anErrorMethodWithoutAThrowableFails() {
        assertThat(failure(new ErrorWithoutThrowable())).contains("ErrorWithoutThrowable.error(WebSocketSession)",
                "has no Throwable parameter");
    }

    @WebSocketEndpoint("/close-returns")
    static class CloseReturningValue {
        @OnClose
        String close(int code) {
            return "bye";
        }
    }

    @Test
    void aCloseMethodThatReturnsAValueFails() {
        assertThat(failure(new CloseReturningValue())).contains("CloseReturningValue.close(int)", "returns String",
                "returns void");
    }

    @WebSocketEndpoint("/close-two-codes")
    static class CloseWithTwoCodes {
        @OnClose
        void close(int code, Integer again) {
        }
    }

    @Test
    void aCloseMethodWithTwoCodesFails() {
        assertThat(failure(new CloseWithTwoCodes())).contains("unsupported parameter 'again' of type Integer",
                "@PathVar parameters, an int close code and a String close reason");
    }

    @WebSocketEndpoint("/rooms/{room}")
    static class UnknownVariable {
        @OnOpen
        void open(@PathVar String user) {
        }
    }

    @Test
    void aPathVariableTheTemplateDoesNotHaveFails() {
        assertThat(failure(new UnknownVariable())).contains("UnknownVariable.open(String)",
                "binds path variable 'user', but /rooms/{room} has only [room]");
    }

    static final class Opaque {
    }

    @WebSocketEndpoint("/things/{thing}")
    static class UnconvertibleVariable {
        @OnOpen
        void open(@PathVar Opaque thing) {
        }
    }

    @Test
    void aPathVariableOfATypeStringsDoNotConvertToFails() {
        assertThat(failure(new UnconvertibleVariable())).contains("binds path variable 'thing' to Opaque",
                "cannot convert a String to it");
    }

    @WebSocketEndpoint("/rooms/{room")
    static class InvalidPath {
    }

    @Test
    void anInvalidPathFails() {
        assertThat(failure(new InvalidPath())).contains("'bean'", InvalidPath.class.getName(), "has an invalid path",
                "/rooms/{room");
    }

    @WebSocketEndpoint
    static class NoPath {
    }

    @Test
    void aMissingPathFails() {
        assertThat(failure(new NoPath())).contains("has no path");
    }

    @WebSocketEndpoint(path = "/chat", subprotocols = "chat v1")
    static class InvalidSubprotocol {
    }

    @Test
    void aSubprotocolThatIsNotATokenFails() {
        assertThat(failure(new InvalidSubprotocol())).contains("subprotocol 'chat v1'", "not an HTTP token");
    }

    @WebSocketEndpoint("/static")
    static class StaticCallback {
        @OnOpen
        static void open() {
        }
    }

    @Test
    void aStaticCallbackFails() {
        assertThat(failure(new StaticCallback())).contains("StaticCallback.open()", "is static");
    }

    @WebSocketEndpoint("/deferred")
    static class DeferredReturn {
        @OnMessage
        CompletableFuture<String> message(String text) {
            return CompletableFuture.completedFuture(text);
        }
    }

    @Test
    void anAsynchronousReturnTypeFails() {
        assertThat(failure(new DeferredReturn())).contains("DeferredReturn.message(String)",
                "returns CompletableFuture, which is not supported");
    }

    @WebSocketEndpoint("/blocking-method")
    static class NonBlockingMethod {
        @OnMessage
        @NonBlocking
        void message(String text) {
        }
    }

    @Test
    void nonBlockingOnACallbackMethodFails() {
        assertThat(failure(new NonBlockingMethod())).contains("@NonBlocking on NonBlockingMethod.message(String)",
                "put @NonBlocking on the class");
    }

    @WebSocketEndpoint("/both")
    static class TwoAnnotations {
        @OnOpen
        @OnClose
        void lifecycle() {
        }
    }

    @Test
    void aMethodWithTwoCallbackAnnotationsFails() {
        assertThat(failure(new TwoAnnotations())).contains("TwoAnnotations.lifecycle()", "both @OnOpen and @OnClose");
    }

    @WebSocketEndpoint("/json")
    static class JsonEndpoint {
        @OnMessage
        void message(Point point) {
        }
    }

    @WebSocketEndpoint("/json-reply")
    static class JsonReply {
        @OnMessage
        Point message(String text) {
            return new Point(1, 2);
        }
    }

    @Test
    void jsonWithoutACodecFails() {
        EndpointIntrospector withoutJson = new EndpointIntrospector(ApplicationConversionService.getSharedInstance(), null);

        assertThatThrownBy(() -> withoutJson.introspect("bean", new JsonEndpoint()))
                .isInstanceOf(InvalidWebSocketEndpointException.class)
                .hasMessageContaining("JsonEndpoint.message(Point)")
                .hasMessageContaining("there is no JsonCodec bean");
        assertThatThrownBy(() -> withoutJson.introspect("bean", new JsonReply()))
                .hasMessageContaining("JsonReply.message(String) returns Point")
                .hasMessageContaining("there is no JsonCodec bean");
        assertThat(withoutJson.introspect("fast", new Fast()).route().path()).isEqualTo("/fast");
    }

    private String failure(Object endpoint) {
        return assertThrows(InvalidWebSocketEndpointException.class,
                () -> introspector.introspect("bean", endpoint)).getMessage();
    }
}
