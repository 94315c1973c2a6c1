package io.sluice.sample.chat;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The chat's own settings, under {@code chat.*}. Every value is checked when the application starts, so a
 * mistake in {@code application.yml} stops it with a message instead of misbehaving later.
 *
 * @param rooms How many rooms there may be, and which exist from the start
 * @param history How much each room remembers, and how much of it one request may read
 * @param input What names and messages may look like
 * @param rateLimit How fast one WebSocket session may send
 * @param slowClient When a member that does not keep up is disconnected
 */
@ConfigurationProperties("chat")
public record ChatProperties(@DefaultValue Rooms rooms, @DefaultValue History history, @DefaultValue Input input,
        @DefaultValue RateLimit rateLimit, @DefaultValue SlowClient slowClient) {

    /**
     * @param max Rooms that may exist at once; creating one more is refused
     * @param maxMembers Sessions one room may hold at once; one more is refused with close code 1013
     * @param initial Rooms that exist from the start
     */
    public record Rooms(@DefaultValue("100") int max, @DefaultValue("1000") int maxMembers,
            @DefaultValue("lobby") List<String> initial) {

        public Rooms {
            positive("chat.rooms.max", max);
            positive("chat.rooms.max-members", maxMembers);
            initial = List.copyOf(initial);
            if (initial.size() > max) {
                throw new IllegalArgumentException("chat.rooms.initial lists more rooms than chat.rooms.max allows");
            }
        }
    }

    /**
     * @param size Messages each room keeps; the oldest are forgotten first
     * @param defaultPageSize Messages a history request returns when it does not say
     * @param maxPageSize Most messages one history request may ask for
     */
    public record History(@DefaultValue("500") int size, @DefaultValue("50") int defaultPageSize,
            @DefaultValue("100") int maxPageSize) {

        public History {
            positive("chat.history.size", size);
            positive("chat.history.max-page-size", maxPageSize);
            if (defaultPageSize < 1 || defaultPageSize > maxPageSize) {
                throw new IllegalArgumentException("chat.history.default-page-size must be 1 to chat.history.max-page-size");
            }
        }
    }

    /**
     * @param maxNameLength Longest user name, in characters (code points)
     * @param maxTextLength Longest message text, in characters (code points); keep it well below
     *     sluice.websocket.max-message-size, which counts bytes of the whole JSON message
     */
    public record Input(@DefaultValue("24") int maxNameLength, @DefaultValue("500") int maxTextLength) {

        public Input {
            positive("chat.input.max-name-length", maxNameLength);
            positive("chat.input.max-text-length", maxTextLength);
        }
    }

    /**
     * A token bucket per WebSocket session: it holds up to {@code burst} messages and refills at
     * {@code perSecond}. A message that finds it empty is refused with an error message, and the session stays.
     *
     * @param burst Messages a session may send at once after a pause
     * @param perSecond Messages per second a session may keep sending
     */
    public record RateLimit(@DefaultValue("10") int burst, @DefaultValue("2") double perSecond) {

        public RateLimit {
            positive("chat.rate-limit.burst", burst);
            if (!(perSecond > 0) || Double.isInfinite(perSecond)) {
                throw new IllegalArgumentException("chat.rate-limit.per-second must be a positive number");
            }
        }
    }

    /**
     * What a member that does not read fast enough may cost. Messages first fill the session's own outbound
     * buffer (up to the server's high-water mark, 64 KiB); beyond that they wait in the member's backlog, and a
     * member whose backlog would exceed {@code maxBacklog} is closed with code 1013 and counted in
     * {@code chat.members.dropped}.
     *
     * @param maxBacklog Messages that may wait for a member that is not keeping up
     */
    public record SlowClient(@DefaultValue("256") int maxBacklog) {

        public SlowClient {
            positive("chat.slow-client.max-backlog", maxBacklog);
        }
    }

    private static void positive(String key, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(key + " must be at least 1, not " + value);
        }
    }
}
