package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/** The HTTP API over a real socket: rooms, history and its pages, posting, and the answers to mistakes. */
@ChatServerTest
class ChatApiTest {

    @LocalServerPort
    int port;

    private Http http;

    private Http http() {
        if (http == null) {
            http = new Http(port);
        }
        return http;
    }

    @Test
    void roomsAreListedCreatedAndCreatedOnlyOnce() throws Exception {
        Http.Response created = http().postJson("/api/rooms", Map.of("name", "api-new"));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.location()).isEqualTo("/api/rooms/api-new");
        assertThat(created.json().get("name").asString()).isEqualTo("api-new");

        Http.Response list = http().get("/api/rooms");
        assertThat(list.status()).isEqualTo(200);
        assertThat(list.contentType()).startsWith("application/json");
        List<String> names = new ArrayList<>();
        list.json().forEach(room -> names.add(room.get("name").asString()));
        assertThat(names).contains("lobby", "api-new").isSorted();

        Http.Response again = http().postJson("/api/rooms", Map.of("name", "api-new"));
        assertProblem(again, 409, "There is already a room called 'api-new'");
    }

    @Test
    void aRoomShowsWhoIsInIt() throws Exception {
        http().postJson("/api/rooms", Map.of("name", "api-who"));
        ChatClient ada = ChatClient.joined(port, "api-who", "ada");
        try {
            JsonNode room = http().get("/api/rooms/api-who").json();
            assertThat(ChatClient.names(room.get("members"))).containsExactly("ada");
        } finally {
            ada.close();
        }
    }

    @Test
    void unknownRoomsAre404AndInvalidNames400() throws Exception {
        assertProblem(http().get("/api/rooms/api-nowhere"), 404, "There is no room called 'api-nowhere'");
        assertProblem(http().get("/api/rooms/api-nowhere/messages"), 404, "There is no room called 'api-nowhere'");
        assertProblem(http().postJson("/api/rooms", Map.of("name", "two words")), 400,
                "A room name is 1 to 32 letters, digits, '-' or '_'");
        assertProblem(http().postJson("/api/rooms", Map.of("name", "x".repeat(33))), 400,
                "A room name is 1 to 32 letters, digits, '-' or '_'");
        assertProblem(http().post("/api/rooms", ""), 400, "Required request body is missing");
    }

    @Test
    void historyIsNewestFirstAPageAtATime() throws Exception {
        http().postJson("/api/rooms", Map.of("name", "api-pages"));
        for (int i = 1; i <= 7; i++) {
            Http.Response posted = http().postJson("/api/rooms/api-pages/messages", Map.of("from", "ada", "text", "m" + i));
            assertThat(posted.status()).isEqualTo(201);
            assertThat(posted.json().get("id").asLong()).isEqualTo(i);
        }

        JsonNode first = http().get("/api/rooms/api-pages/messages?limit=3").json();
        assertThat(texts(first)).containsExactly("m7", "m6", "m5");
        assertThat(first.get("nextBefore").asLong()).isEqualTo(5);

        JsonNode second = http().get("/api/rooms/api-pages/messages?limit=3&before=5").json();
        assertThat(texts(second)).containsExactly("m4", "m3", "m2");

        JsonNode last = http().get("/api/rooms/api-pages/messages?limit=3&before=" + second.get("nextBefore").asLong())
                .json();
        assertThat(texts(last)).containsExactly("m1");
        assertThat(last.get("nextBefore").isNull()).isTrue();

        JsonNode message = first.get("messages").get(0);
        assertThat(message.get("type").asString()).isEqualTo("chat");
        assertThat(message.get("room").asString()).isEqualTo("api-pages");
        assertThat(message.get("from").asString()).isEqualTo("ada");
        assertThat(message.get("at").asString()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
    }

    @Test
    void historyKeepsTheNewestMessagesOnlyAndPagesAreBounded() throws Exception {
        http().postJson("/api/rooms", Map.of("name", "api-bounded"));
        for (int i = 1; i <= 25; i++) {    // chat.history.size=20
            http().postJson("/api/rooms/api-bounded/messages", Map.of("from", "ada", "text", "m" + i));
        }
        JsonNode page = http().get("/api/rooms/api-bounded/messages").json();     // default-page-size=10
        assertThat(texts(page)).hasSize(10).first().isEqualTo("m25");
        JsonNode widest = http().get("/api/rooms/api-bounded/messages?limit=15&before=12").json();
        assertThat(texts(widest)).containsExactly("m11", "m10", "m9", "m8", "m7", "m6");
        assertThat(widest.get("nextBefore").isNull()).isTrue();
        assertThat(http().get("/api/rooms/api-bounded").json().get("messages").asInt()).isEqualTo(20);

        assertProblem(http().get("/api/rooms/api-bounded/messages?limit=16"), 400, "'limit' must be 1 to 15");
        assertProblem(http().get("/api/rooms/api-bounded/messages?limit=0"), 400, "'limit' must be 1 to 15");
        assertProblem(http().get("/api/rooms/api-bounded/messages?before=0"), 400, "'before' is a message id, 1 or more");
        Http.Response notANumber = http().get("/api/rooms/api-bounded/messages?limit=ten");
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.json().get("detail").asString())
                .startsWith("Query parameter 'limit' has the invalid value 'ten'");
    }

    @Test
    void namesAndTextsAreValidated() throws Exception {
        http().postJson("/api/rooms", Map.of("name", "api-valid"));
        String path = "/api/rooms/api-valid/messages";
        assertProblem(http().postJson(path, Map.of("from", "ada", "text", "ring \u0007 bell")), 400,
                "The text contains a character that is not allowed (U+0007) at position 6");
        assertProblem(http().postJson(path, Map.of("from", "ada", "text", "line\nbreak")), 400,
                "The text contains a character that is not allowed (U+000A) at position 5");
        assertProblem(http().postJson(path, Map.of("from", "ada", "text", "x".repeat(201))), 400,
                "The text may be at most 200 characters long");
        assertProblem(http().postJson(path, Map.of("from", "ada", "text", "   ")), 400, "The text must not be empty");
        assertProblem(http().postJson(path, Map.of("from", " ", "text", "hi")), 400, "The name must not be empty");
        assertProblem(http().postJson(path, Map.of("from", "a\u202Eda", "text", "hi")), 400,
                "The name contains a character that is not allowed (U+202E) at position 2");
        assertProblem(http().postJson(path, Map.of("from", "abcdefghijklm", "text", "hi")), 400,
                "The name may be at most 12 characters long");
        assertProblem(http().post(path, "{\"from\":\"ada\",\"text\":\"\\ud800\"}"), 400,
                "The text contains a character that is not allowed (U+D800) at position 1");

        // What the rules let through: 200 characters of emoji, counted as people count them, and markup as text.
        String emoji = "\uD83D\uDC4B".repeat(200);
        assertThat(http().postJson(path, Map.of("from", "ada", "text", emoji)).status()).isEqualTo(201);
        Http.Response markup = http().postJson(path, Map.of("from", "  ada  ", "text", "<b>hi</b>"));
        assertThat(markup.status()).isEqualTo(201);
        assertThat(markup.json().get("from").asString()).isEqualTo("ada");
        assertThat(markup.json().get("text").asString()).isEqualTo("<b>hi</b>");
        assertThat(texts(http().get(path).json())).containsExactly("<b>hi</b>", emoji);
    }

    @Test
    void healthAndPrometheusAreServed() throws Exception {
        Http.Response health = http().get("/actuator/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.json().get("status").asString()).isEqualTo("UP");

        http().postJson("/api/rooms/lobby/messages", Map.of("from", "ada", "text", "counted"));
        Http.Response scrape = http().get("/actuator/prometheus");
        assertThat(scrape.status()).isEqualTo(200);
        assertThat(scrape.text())
                .containsPattern("(?m)^chat_rooms \\d+")
                .containsPattern("(?m)^chat_messages_posted_total\\{via=\"http\"} [1-9]")
                .contains("chat_members_dropped_total")
                .contains("sluice_connections_active");
    }

    private static List<String> texts(JsonNode page) {
        List<String> texts = new ArrayList<>();
        page.get("messages").forEach(message -> texts.add(message.get("text").asString()));
        return texts;
    }

    private static void assertProblem(Http.Response response, int status, String detail) {
        assertThat(response.status()).as(response.text()).isEqualTo(status);
        assertThat(response.contentType()).startsWith("application/problem+json");
        assertThat(response.json().get("detail").asString()).isEqualTo(detail);
    }
}
