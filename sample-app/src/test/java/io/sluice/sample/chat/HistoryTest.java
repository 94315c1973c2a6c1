package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryTest {

    private final History history = new History("room", 5);

    @Test
    void anEmptyHistoryHasOneEmptyPage() {
        assertThat(history.page(null, 10)).isEqualTo(new History.Page(List.of(), null));
        assertThat(history.page(7L, 10)).isEqualTo(new History.Page(List.of(), null));
        assertThat(history.size()).isZero();
    }

    @Test
    void pagesGoFromTheNewestBackwards() {
        append(4);
        History.Page first = history.page(null, 3);
        assertThat(ids(first)).containsExactly(4L, 3L, 2L);
        assertThat(first.nextBefore()).isEqualTo(2L);
        History.Page second = history.page(first.nextBefore(), 3);
        assertThat(ids(second)).containsExactly(1L);
        assertThat(second.nextBefore()).isNull();
        assertThat(history.page(null, 4).nextBefore()).as("exactly everything: no next page").isNull();
    }

    @Test
    void aFullHistoryForgetsTheOldest() {
        append(12);
        assertThat(history.size()).isEqualTo(5);
        assertThat(ids(history.page(null, 10))).containsExactly(12L, 11L, 10L, 9L, 8L);
        assertThat(ids(history.page(10L, 10))).containsExactly(9L, 8L);
        assertThat(ids(history.page(8L, 10))).as("older than what is kept").isEmpty();
        assertThat(ids(history.page(100L, 2))).as("a cursor beyond the newest").containsExactly(12L, 11L);
    }

    @Test
    void messagesKeepWhatWasAppended() {
        Instant at = Instant.parse("2025-01-02T03:04:05Z");
        ChatMessage message = history.append("ada", "hello", at);
        assertThat(message).isEqualTo(new ChatMessage(1, "room", "ada", "hello", at));
        assertThat(history.page(null, 1).messages()).containsExactly(message);
    }

    private void append(int count) {
        for (int i = 0; i < count; i++) {
            history.append("ada", "m" + i, Instant.EPOCH);
        }
    }

    private static List<Long> ids(History.Page page) {
        List<Long> ids = new ArrayList<>();
        page.messages().forEach(message -> ids.add(message.id()));
        return ids;
    }
}
