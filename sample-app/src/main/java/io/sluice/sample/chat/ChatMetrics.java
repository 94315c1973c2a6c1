package io.sluice.sample.chat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.stereotype.Component;

/**
 * The chat's meters, next to the server's own {@code sluice.*} ones on {@code /actuator/prometheus}:
 *
 * <ul>
 *   <li>{@code chat.members.dropped}: members closed with 1013 because they fell too far behind;
 *   <li>{@code chat.messages.posted}, tagged {@code via} ({@code websocket} or {@code http});
 *   <li>{@code chat.messages.refused}, tagged {@code reason} ({@code rate-limited}, {@code invalid},
 *       {@code bad-message});
 *   <li>{@code chat.rooms} and {@code chat.members}: gauges read at scrape time.
 * </ul>
 */
@Component
class ChatMetrics {

    private final Counter dropped;
    private final Counter postedOverWebSocket;
    private final Counter postedOverHttp;
    private final Counter rateLimited;
    private final Counter invalid;
    private final Counter badMessage;

    ChatMetrics(MeterRegistry registry, Rooms rooms) {
        dropped = Counter.builder("chat.members.dropped")
                .description("Members closed with 1013 because their backlog overflowed (they stopped reading)")
                .register(registry);
        postedOverWebSocket = posted(registry, "websocket");
        postedOverHttp = posted(registry, "http");
        rateLimited = refused(registry, "rate-limited");
        invalid = refused(registry, "invalid");
        badMessage = refused(registry, "bad-message");
        Gauge.builder("chat.rooms", rooms, Rooms::count)
                .description("Rooms that exist")
                .register(registry);
        Gauge.builder("chat.members", rooms, Rooms::memberCount)
                .description("WebSocket sessions in a room, over all rooms")
                .register(registry);
    }

    private static Counter posted(MeterRegistry registry, String via) {
        return Counter.builder("chat.messages.posted")
                .description("Chat messages accepted and broadcast")
                .tag("via", via)
                .register(registry);
    }

    private static Counter refused(MeterRegistry registry, String reason) {
        return Counter.builder("chat.messages.refused")
                .description("Messages from WebSocket sessions that were answered with an error instead")
                .tag("reason", reason)
                .register(registry);
    }

    void memberDropped() {
        dropped.increment();
    }

    void postedOverWebSocket() {
        postedOverWebSocket.increment();
    }

    void postedOverHttp() {
        postedOverHttp.increment();
    }

    void rateLimited() {
        rateLimited.increment();
    }

    void invalid() {
        invalid.increment();
    }

    void badMessage() {
        badMessage.increment();
    }
}
