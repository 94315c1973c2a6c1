package io.sluice.sample.chat;

import java.time.Instant;

/**
 * One line of a room's conversation, as kept in its history and as sent to its members.
 *
 * @param id the room's sequence number, from 1; later messages have larger ids, so an id is also a cursor
 * @param room the room's name
 * @param from the sender's name
 * @param text what they said
 * @param at when the server accepted it
 */
public record ChatMessage(long id, String room, String from, String text, Instant at) implements ServerEvent {
}
