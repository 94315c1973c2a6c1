package io.sluice.boot.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.websocket.TestEndpoints.Point;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.context.ApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * What a client of annotated endpoints sees over a real socket. Subclasses decide how the server is run: built by
 * hand from the registrar, or by the starter in a Boot application.
 */
@Timeout(30)
abstract class WebSocketEndpointScenarios {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** A running server and the application context whose endpoints it serves. */
    record Served(int port, ApplicationContext context, List<TestWebSocketClient> clients) {

        TestWebSocketClient connect(String path) throws Exception {
            TestWebSocketClient client = TestWebSocketClient.connect(port, path);
            clients.add(client);
            return client;
        }

        <T> T endpoint(Class<T> type) {
            return context.getBean(type);
        }
    }

    @FunctionalInterface
    interface Scenario {
        void run(Served served) throws Exception;
    }

    /** Runs {@code scenario} against a server that serves {@link TestEndpoints#ALL}. */
    abstract void serve(Scenario scenario) throws Exception;

    /** Runs {@code scenario} on the server at {@code port}, then drops the connections it opened. */
    static void run(Scenario scenario, int port, ApplicationContext context) throws Exception {
        Served served = new Served(port, context, new ArrayList<>());
        try {
            scenario.run(served);
        } finally {
            served.clients().forEach(TestWebSocketClient::abort);
        }
    }

    @Test
    void openTextBinaryAndCloseCallbacksWithPathVariablesAndReplies() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/echo/ada");

            assertThat(client.nextText()).isEqualTo("hello ada");
            client.sendText("hi");
            assertThat(client.nextText()).isEqualTo("ada: hi");
            client.sendBinary(new byte[] {1, 2, 3});
            assertThat(client.nextBinary()).containsExactly(3, 2, 1);

            client.close(4001, "done");
            assertThat(client.nextClose().code()).isEqualTo(4001);
            assertThat(served.endpoint(TestEndpoints.Echo.class).closes.poll(5, TimeUnit.SECONDS))
                    .isEqualTo("ada 4001 done");
        });
    }

    @Test
    void jsonMessagesAreBoundAndObjectRepliesSentAsJson() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/points");

            client.sendText("{\"x\":1,\"y\":41}");

            assertThat(JSON.readValue(client.nextText(), Point.class)).isEqualTo(new Point(2, 42));
        });
    }

    @Test
    void aMessageThatDoesNotBindClosesWith1007() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/points");

            client.sendText("{\"x\": \"left\"}");

            TestWebSocketClient.Closed closed = client.nextClose();
            assertThat(closed.code()).isEqualTo(1007);
            assertThat(closed.reason()).isNotEmpty();
        });
    }

    @Test
    void aMessageKindWithoutAMethodClosesWith1003() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/points");

            client.sendBinary(new byte[] {1});

            assertThat(client.nextClose()).isEqualTo(new TestWebSocketClient.Closed(1003, "Binary messages are not accepted"));
        });
    }

    @Test
    void pathVariablesAreConvertedAndOnesThatDoNotConvertClose1008() throws Exception {
        serve(served -> {
            assertThat(served.connect("/items/42").nextText()).isEqualTo("item 42");

            assertThat(served.connect("/items/forty-two").nextClose().code()).isEqualTo(1008);
        });
    }

    @Test
    void aCallbackThatThrowsClosesWith1011() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/fail");

            client.sendText("now");

            assertThat(client.nextClose()).isEqualTo(new TestWebSocketClient.Closed(1011, ""));
        });
    }

    @Test
    void anErrorMethodAnswersFailuresAndTheSessionGoesOn() throws Exception {
        serve(served -> {
            TestWebSocketClient client = served.connect("/recover");

            client.sendText("first");
            assertThat(client.nextText()).isEqualTo("error: first");
            client.sendText("second");
            assertThat(client.nextText()).isEqualTo("error: second");
        });
    }

    @Test
    void callbacksRunOffTheEventLoopUnlessTheEndpointIsNonBlocking() throws Exception {
        serve(served -> {
            TestWebSocketClient worker = served.connect("/where");
            worker.sendText("?");
            assertThat(worker.nextText()).doesNotStartWith("sluice-loop-");

            TestWebSocketClient loop = served.connect("/loop");
            loop.sendText("?");
            assertThat(loop.nextText()).startsWith("sluice-loop-");
        });
    }

    @Test
    void eachSessionsCallbacksRunOneAtATimeAndInOrder() throws Exception {
        serve(served -> {
            int messages = 300;
            List<TestWebSocketClient> clients = List.of(served.connect("/order"), served.connect("/order"),
                    served.connect("/order"));
            for (int i = 0; i < messages; i++) {
                for (TestWebSocketClient client : clients) {
                    client.sendText(Integer.toString(i));
                }
            }

            for (TestWebSocketClient client : clients) {
                List<String> echoed = new ArrayList<>();
                for (int i = 0; i < messages; i++) {
                    echoed.add(client.nextText());
                }
                assertThat(echoed).isEqualTo(IntStream.range(0, messages).mapToObj(Integer::toString).toList());
            }
            assertThat(served.endpoint(TestEndpoints.Ordered.class).overlaps).hasValue(0);
        });
    }

    @Test
    void anEndpointBroadcastsToOtherSessions() throws Exception {
        serve(served -> {
            TestWebSocketClient ada = served.connect("/rooms/lobby");
            TestWebSocketClient bob = served.connect("/rooms/lobby");
            TestWebSocketClient elsewhere = served.connect("/rooms/kitchen");
            assertThat(ada.nextText()).isEqualTo("joined lobby");
            assertThat(bob.nextText()).isEqualTo("joined lobby");
            assertThat(elsewhere.nextText()).isEqualTo("joined kitchen");

            ada.sendText("{\"from\":\"ada\",\"text\":\"hi all\"}");

            String expected = "{\"from\":\"ada\",\"text\":\"hi all\"}";
            assertThat(ada.nextText()).isEqualTo(expected);
            assertThat(bob.nextText()).isEqualTo(expected);
            elsewhere.sendText("{\"from\":\"cy\",\"text\":\"only here\"}");
            assertThat(elsewhere.nextText()).as("the other room got nothing before its own line")
                    .isEqualTo("{\"from\":\"cy\",\"text\":\"only here\"}");
        });
    }
}
