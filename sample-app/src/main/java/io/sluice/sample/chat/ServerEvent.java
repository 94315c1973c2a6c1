package io.sluice.sample.chat;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import java.time.Instant;
import java.util.List;

/**
 * What the server sends over {@code /ws/rooms/{room}}: one JSON object per WebSocket message, whose
 * {@code type} says which of these records it is. The page (and any other client) switches on that field.
 *
 * <pre>
 * {"type":"chat","id":7,"room":"lobby","from":"ada","text":"hello","at":"2025-01-01T12:00:00Z"}
 * {"type":"join","room":"lobby","name":"ada","at":"…"}
 * {"type":"leave","room":"lobby","name":"ada","at":"…"}
 * {"type":"presence","room":"lobby","members":["ada","grace"]}
 * {"type":"error","code":"rate-limited","message":"…"}
 * </pre>
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ChatMessage.class, name = "chat"),
        @JsonSubTypes.Type(value = ServerEvent.Join.class, name = "join"),
        @JsonSubTypes.Type(value = ServerEvent.Leave.class, name = "leave"),
        @JsonSubTypes.Type(value = ServerEvent.Presence.class, name = "presence"),
        @JsonSubTypes.Type(value = ServerEvent.Problem.class, name = "error") })
public sealed interface ServerEvent permits ChatMessage, ServerEvent.Join, ServerEvent.Leave, ServerEvent.Presence,
        ServerEvent.Problem {

    /** {@code name} entered {@code room}. */
    record Join(String room, String name, Instant at) implements ServerEvent {
    }

    /** {@code name} left {@code room}: closed the page, lost the connection, or was too slow. */
    record Leave(String room, String name, Instant at) implements ServerEvent {
    }

    /** Everyone in {@code room} now, sorted by name; sent after every join and leave. */
    record Presence(String room, List<String> members) implements ServerEvent {
    }

    /**
     * A message of this session was refused, or the session cannot go on. {@code code} is stable for programs,
     * {@code message} is written for people.
     */
    record Problem(String code, String message) implements ServerEvent {
    }
}
