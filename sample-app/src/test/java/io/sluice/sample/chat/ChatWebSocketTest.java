package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** {@code /ws/rooms/{room}} over real sockets: broadcast, presence, and every way a message can be refused. */
@ChatServerTest
class ChatWebSocketTest {

    private static final int MEMBERS = 4;

    @LocalServerPort
    int port;

    @Test
    void everyMemberGetsEveryMessageInTheSameOrder() throws Exception {
        List<ChatClient> members = new ArrayList<>();
        try {
            for (int i = 0; i < MEMBERS; i++) {
                members.add(ChatClient.joined(port, "ws-broadcast", "member" + i));
            }
            for (ChatClient member : members) {
                member.say("hello from " + members.indexOf(member));
            }
            List<JsonNode> seenByFirst = members.get(0).chats(MEMBERS);
            assertThat(seenByFirst).extracting(chat -> chat.get("text").asString())
                    .containsExactlyInAnyOrder("hello from 0", "hello from 1", "hello from 2", "hello from 3");
            assertThat(seenByFirst).extracting(chat -> chat.get("id").asLong()).isSorted();
            for (ChatClient member : members.subList(1, MEMBERS)) {
                assertThat(member.chats(MEMBERS)).as("the same messages in the same order").isEqualTo(seenByFirst);
            }
            for (JsonNode chat : seenByFirst) {
                assertThat(chat.get("room").asString()).isEqualTo("ws-broadcast");
                assertThat(chat.get("text").asString()).isEqualTo("hello from " + chat.get("from").asString().substring(6));
            }
        } finally {
            for (ChatClient member : members) {
                member.close();
            }
        }
    }

    @Test
    void membersSeeJoinsLeavesAndWhoIsPresent() throws Exception {
        try (ChatClient ada = ChatClient.join(port, "ws-presence", "ada")) {
            assertThat(ada.next("join").get("name").asString()).isEqualTo("ada");
            assertThat(ChatClient.names(ada.next("presence").get("members"))).containsExactly("ada");

            ChatClient grace = ChatClient.joined(port, "ws-presence", "grace");
            assertThat(ada.next("join").get("name").asString()).isEqualTo("grace");
            assertThat(ChatClient.names(ada.next("presence").get("members"))).containsExactly("ada", "grace");

            grace.close();
            JsonNode leave = ada.next("leave");
            assertThat(leave.get("name").asString()).isEqualTo("grace");
            assertThat(leave.get("room").asString()).isEqualTo("ws-presence");
            assertThat(ChatClient.names(ada.next("presence").get("members"))).containsExactly("ada");
        }
    }

    @Test
    void messagesPostedOverHttpReachTheRoom() throws Exception {
        try (ChatClient ada = ChatClient.joined(port, "ws-http", "ada")) {
            new Http(port).postJson("/api/rooms/ws-http/messages", Map.of("from", "grace", "text", "by HTTP"));
            JsonNode chat = ada.next("chat");
            assertThat(chat.get("from").asString()).isEqualTo("grace");
            assertThat(chat.get("text").asString()).isEqualTo("by HTTP");
        }
    }

    @Test
    void invalidNamesAndRoomsAreRefusedWithAReason() throws Exception {
        assertRefused(ChatClient.join(port, "ws-refused", ""), "invalid-name", "The name must not be empty");
        assertRefused(ChatClient.connect(port, "/ws/rooms/ws-refused"), "invalid-name", "The name must not be empty");
        assertRefused(ChatClient.join(port, "ws-refused", "bell\u0007"), "invalid-name",
                "The name contains a character that is not allowed (U+0007) at position 5");
        assertRefused(ChatClient.join(port, "no.dots", "ada"), "invalid-room",
                "A room name is 1 to 32 letters, digits, '-' or '_'");
    }

    @Test
    void tooFastASenderGetsAnErrorForEachMessageOverTheLimitAndStays() throws Exception {
        try (ChatClient ada = ChatClient.joined(port, "ws-rate", "ada")) {
            int sent = 20;    // burst=5, per-second=1: the first five go through, most of the rest do not
            for (int i = 0; i < sent; i++) {
                ada.say("flood " + i);
            }
            List<String> chats = new ArrayList<>();
            List<JsonNode> errors = new ArrayList<>();
            while (chats.size() + errors.size() < sent) {    // each message is either broadcast or refused
                JsonNode answer = ada.next(event -> event.get("type").asString().matches("chat|error"));
                if (answer.get("type").asString().equals("chat")) {
                    chats.add(answer.get("text").asString());
                } else {
                    errors.add(answer);
                }
            }
            assertThat(chats).startsWith("flood 0", "flood 1", "flood 2", "flood 3", "flood 4");
            assertThat(errors).isNotEmpty().allSatisfy(error -> assertError(error, "rate-limited",
                    "Too many messages: this one was not sent (at most 1 a second after a burst of 5)"));

            new Http(port).postJson("/api/rooms/ws-rate/messages", Map.of("from", "grace", "text", "still here?"));
            assertThat(ada.next("chat").get("text").asString()).isEqualTo("still here?");
        }
    }

    @Test
    void invalidMessagesAreAnsweredWithAnErrorAndTheSessionStays() throws Exception {
        try (ChatClient ada = ChatClient.joined(port, "ws-invalid", "ada")) {
            ada.say("x".repeat(201));
            assertError(ada.next("error"), "invalid-text", "The text may be at most 200 characters long");
            ada.send("not json");
            assertError(ada.next("error"), "bad-message", "Send JSON such as {\"type\":\"chat\",\"text\":\"hello\"}");
            ada.send("{\"type\":\"shout\",\"text\":\"hi\"}");
            assertError(ada.next("error"), "bad-message", "Send JSON such as {\"type\":\"chat\",\"text\":\"hello\"}");

            ada.say("fine");
            assertThat(ada.next("chat").get("text").asString()).isEqualTo("fine");
        }
    }

    @Test
    void aMessageOverTheServersSizeLimitClosesTheSession() throws Exception {
        try (ChatClient ada = ChatClient.joined(port, "ws-big", "ada")) {
            ada.say("x".repeat(3000));    // sluice.websocket.max-message-size=2KB
            assertThat(ada.awaitClose().code()).isEqualTo(1009);
        }
    }

    private static void assertRefused(ChatClient client, String code, String message) throws Exception {
        try (client) {
            assertError(client.next("error"), code, message);
            assertThat(client.awaitClose()).isEqualTo(new ChatClient.Close(1008, message));
        }
    }

    private static void assertError(JsonNode error, String code, String message) {
        assertThat(error.get("code").asString()).isEqualTo(code);
        assertThat(error.get("message").asString()).isEqualTo(message);
    }
}
