package io.sluice.sample.chat;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.json.UnreadableJsonException;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.JsonMessages;
import io.sluice.boot.websocket.annotation.OnClose;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import io.sluice.websocket.CloseCodes;
import java.nio.charset.StandardCharsets;

/**
 * Live chat: {@code ws://host/ws/rooms/{room}?name=ada} joins {@code room} (creating it if needed) as
 * {@code ada}. The client sends {@code {"type":"chat","text":"hello"}}; the server sends the
 * {@link ServerEvent}s of the room: every chat message, joins, leaves and the presence list.
 *
 * <ul>
 *   <li>A name or room that is not valid, a full room or a chat at its room limit: an {@code error} message,
 *       then close code 1008 (invalid input) or 1013 (try again later).
 *   <li>A message over the rate limit, one that is not JSON of the expected shape, or an invalid text: an
 *       {@code error} message; the session stays.
 *   <li>A message over {@code sluice.websocket.max-message-size}: the server closes the session with 1009.
 *   <li>A member that stops reading: closed with 1013 once its backlog overflows (see {@link Member}).
 * </ul>
 *
 * <p>Callbacks run on the server's workers, one at a time per session (the server's default). Nothing here
 * blocks, but a room's lock is shared by its members, and workers keep waiting for it off the event loops.
 */
@WebSocketEndpoint("/ws/rooms/{room}")
class ChatEndpoint {

    static final String RATE_LIMITED = "rate-limited";
    static final String BAD_MESSAGE = "bad-message";
    static final String ROOM_FULL = "room-full";
    static final String TOO_MANY_ROOMS = "too-many-rooms";

    /** What a client sends. {@code type} is {@code chat}, the only kind there is today. */
    record ClientMessage(String type, String text) {
    }

    private static final int MAX_CLOSE_REASON_BYTES = 123;
    private static final String MEMBER = Member.class.getName();
    private static final String ROOM = Room.class.getName();

    private final Rooms rooms;
    private final InputRules rules;
    private final JsonCodec codec;
    private final JsonMessages json;
    private final ChatMetrics metrics;
    private final ChatProperties properties;
    /** The answers to a flood and to garbage, encoded once: they are the ones a misbehaving client gets most. */
    private final WebSocketMessage rateLimited;
    private final WebSocketMessage badMessage;

    ChatEndpoint(Rooms rooms, InputRules rules, JsonCodec codec, JsonMessages json, ChatMetrics metrics,
            ChatProperties properties) {
        this.rooms = rooms;
        this.rules = rules;
        this.codec = codec;
        this.json = json;
        this.metrics = metrics;
        this.properties = properties;
        ChatProperties.RateLimit limit = properties.rateLimit();
        this.rateLimited = json.of(new ServerEvent.Problem(RATE_LIMITED, "Too many messages: this one was not sent"
                + " (at most " + decimal(limit.perSecond()) + " a second after a burst of " + limit.burst() + ")"));
        this.badMessage = json.of(new ServerEvent.Problem(BAD_MESSAGE,
                "Send JSON such as {\"type\":\"chat\",\"text\":\"hello\"}"));
    }

    @OnOpen
    void join(WebSocketSession session, @PathVar String room) {
        Room joined;
        String name;
        try {
            name = rules.userName(session.query().first("name"));
            joined = rooms.getOrCreate(rules.roomName(room));
        } catch (InvalidInputException e) {
            refuse(session, e.code(), e.getMessage(), CloseCodes.POLICY_VIOLATION);
            return;
        } catch (Rooms.LimitReached e) {
            refuse(session, TOO_MANY_ROOMS, e.getMessage(), CloseCodes.TRY_AGAIN_LATER);
            return;
        }
        ChatProperties.RateLimit limit = properties.rateLimit();
        Member member = new Member(session, name, new TokenBucket(limit.burst(), limit.perSecond(), System.nanoTime()),
                properties.slowClient().maxBacklog(), metrics::memberDropped);
        if (!joined.join(member)) {
            refuse(session, ROOM_FULL, "The room is full; try again later", CloseCodes.TRY_AGAIN_LATER);
            return;
        }
        session.attributes().put(MEMBER, member);
        session.attributes().put(ROOM, joined);
    }

    @OnMessage
    void message(WebSocketSession session, String text) {
        Member member = (Member) session.attributes().get(MEMBER);
        if (member == null) {
            return;    // refused in join: the client may still send until it has read the close frame
        }
        // Before parsing, so a flood costs as little as possible.
        if (!member.mayPost()) {
            metrics.rateLimited();
            member.deliver(rateLimited);
            return;
        }
        ClientMessage message = read(text);
        if (message == null || !"chat".equals(message.type())) {
            metrics.badMessage();
            member.deliver(badMessage);
            return;
        }
        try {
            ((Room) session.attributes().get(ROOM)).post(member.name(), rules.text(message.text()));
            metrics.postedOverWebSocket();
        } catch (InvalidInputException e) {
            metrics.invalid();
            member.deliver(json.of(new ServerEvent.Problem(e.code(), e.getMessage())));
        }
    }

    @OnClose
    void leave(WebSocketSession session) {
        Member member = (Member) session.attributes().get(MEMBER);
        if (member != null) {
            ((Room) session.attributes().get(ROOM)).leave(member);
        }
    }

    private ClientMessage read(String text) {
        try {
            return codec.read(text.getBytes(StandardCharsets.UTF_8), ClientMessage.class);
        } catch (UnreadableJsonException e) {
            return null;
        }
    }

    private static String decimal(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }

    /** Tells the client why in a message it can show, then closes; the reason repeats it for other clients. */
    private void refuse(WebSocketSession session, String code, String message, int closeCode) {
        session.send(json.of(new ServerEvent.Problem(code, message)));
        session.close(closeCode, closeReason(message));
    }

    /** {@code message} cut to the 123 bytes a close frame can carry. */
    static String closeReason(String message) {
        byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
        if (utf8.length <= MAX_CLOSE_REASON_BYTES) {
            return message;
        }
        int end = MAX_CLOSE_REASON_BYTES;
        while ((utf8[end] & 0xC0) == 0x80) {    // step back to the start of a character
            end--;
        }
        return new String(utf8, 0, end, StandardCharsets.UTF_8);
    }
}
