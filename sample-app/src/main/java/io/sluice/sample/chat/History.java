package io.sluice.sample.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The last messages of one room, in a ring: appending to a full history forgets the oldest message. Ids are
 * consecutive, so the message with a given id is found by arithmetic, and a page is a copy of at most
 * {@code limit} references.
 *
 * <p>Not thread-safe: its {@link Room} guards it.
 */
final class History {

    private final String room;
    private final ChatMessage[] ring;
    /** Id of the newest message; 0 while there is none. */
    private long newestId;

    History(String room, int capacity) {
        this.room = room;
        this.ring = new ChatMessage[capacity];
    }

    ChatMessage append(String from, String text, Instant at) {
        ChatMessage message = new ChatMessage(newestId + 1, room, from, text, at);
        ring[slot(message.id())] = message;
        newestId = message.id();
        return message;
    }

    /**
     * Up to {@code limit} messages older than {@code before}, newest first; from the newest message when
     * {@code before} is {@code null}.
     */
    Page page(Long before, int limit) {
        long oldestId = oldestId();
        long from = before == null ? newestId : Math.min(before - 1, newestId);
        List<ChatMessage> messages = new ArrayList<>((int) Math.max(0, Math.min(limit, from - oldestId + 1)));
        long id = from;
        for (; id >= oldestId && messages.size() < limit; id--) {
            messages.add(ring[slot(id)]);
        }
        Long older = id >= oldestId ? id + 1 : null;    // the oldest returned, as the cursor for the next page
        return new Page(messages, older);
    }

    int size() {
        return (int) (newestId - oldestId() + 1);
    }

    private long oldestId() {
        return Math.max(1, newestId - ring.length + 1);
    }

    private int slot(long id) {
        return (int) (id % ring.length);
    }

    /**
     * One page of a history.
     *
     * @param messages newest first
     * @param nextBefore the {@code before} that reads the next, older page; {@code null} when there is none
     */
    record Page(List<ChatMessage> messages, Long nextBefore) {
    }
}
