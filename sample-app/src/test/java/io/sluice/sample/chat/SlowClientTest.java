package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;

/**
 * The slow-client policy end to end: a member that stops reading is closed with 1013 and counted once its
 * backlog overflows, while a member that reads gets every message, before and after, and the sender never
 * waits.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "chat.slow-client.max-backlog=8",
        // Large messages, so that the stalled member fills the server's socket buffer (up to 4 MiB on Linux)
        // and its own backlog within a few dozen posts.
        "chat.input.max-text-length=60000",
        "sluice.limits.max-body-size=1MB",
        "chat.history.size=10" })
@Timeout(60)
class SlowClientTest {

    private static final Duration FLOOD_LIMIT = Duration.ofSeconds(30);

    @LocalServerPort
    int port;

    @Autowired
    MeterRegistry registry;

    @Test
    void aMemberThatStopsReadingIsDroppedAndTheOthersKeepReceiving() throws Exception {
        Http http = new Http(port);
        String text = "\u20ac".repeat(60_000);    // 180 KB of UTF-8
        try (ChatClient reader = ChatClient.joined(port, "slow", "reader")) {
            StalledClient stalled = StalledClient.join(port, "slow", "stalled");
            int posted = 0;
            try {
                reader.next(event -> event.get("type").asString().equals("presence") && event.get("members").size() == 2);

                // Each post is answered only once it has been handed to every member, so a sender that waited
                // for the stalled member would never get here.
                long deadline = System.nanoTime() + FLOOD_LIMIT.toNanos();
                while (dropped() == 0) {
                    assertThat(System.nanoTime()).as("the stalled member is dropped within %s (%s posted)", FLOOD_LIMIT,
                            posted).isLessThan(deadline);
                    assertThat(http.postJson("/api/rooms/slow/messages", Map.of("from", "poster", "text", text))
                            .status()).isEqualTo(201);
                    posted++;
                }
                http.postJson("/api/rooms/slow/messages", Map.of("from", "poster", "text", "after the drop"));

                StalledClient.Ending ending = stalled.readUntilClose();
                assertThat(ending.closeCode()).isEqualTo(1013);
                assertThat(ending.closeReason()).isEqualTo("Too slow: more than 8 messages behind");
                assertThat(ending.textMessages()).as("join, presence, and some of the posts").isLessThan(posted + 2);
            } finally {
                stalled.close();    // the session ends, and the room hears that it left
            }

            List<JsonNode> received = reader.chats(posted + 1);
            assertThat(received.subList(0, posted)).allSatisfy(chat -> assertThat(chat.get("text").asString()).isEqualTo(text));
            assertThat(received.get(posted).get("text").asString()).isEqualTo("after the drop");
            assertThat(reader.next("leave").get("name").asString()).isEqualTo("stalled");
            assertThat(ChatClient.names(reader.next("presence").get("members"))).containsExactly("reader");
        }
        assertThat(dropped()).isEqualTo(1);
        assertThat(http.get("/actuator/prometheus").text()).containsPattern("(?m)^chat_members_dropped_total 1\\.0$");
    }

    private double dropped() {
        return registry.get("chat.members.dropped").counter().count();
    }
}
