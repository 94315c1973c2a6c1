package io.sluice.sample.chat;

import io.sluice.boot.web.BadRequestException;
import io.sluice.boot.web.Reply;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The chat over HTTP/JSON:
 *
 * <pre>
 * GET  /api/rooms                               the rooms, by name
 * POST /api/rooms {"name":"ops"}                a new room: 201, or 409 if it exists
 * GET  /api/rooms/{room}                        one room, with who is in it
 * GET  /api/rooms/{room}/messages?before&amp;limit  its history, newest first, a page at a time
 * POST /api/rooms/{room}/messages {"from":"ada","text":"hi"}   a message, broadcast to the room's members
 * </pre>
 *
 * <p>Every mistake is answered with a problem body ({@code application/problem+json}) whose {@code detail}
 * says what to fix: 400 for invalid names, texts and paging values, 404 for an unknown room.
 */
@SluiceController("/api/rooms")
class RoomEndpoints {

    /** A room in the list. */
    record RoomSummary(String name, int members, int messages, Instant createdAt) {
    }

    /** One room, with its members' names. */
    record RoomDetails(String name, List<String> members, int messages, Instant createdAt) {
    }

    record NewRoom(String name) {
    }

    record NewMessage(String from, String text) {
    }

    /**
     * One page of a room's history.
     *
     * @param messages newest first
     * @param nextBefore pass it as {@code before} to read the next, older page; {@code null} on the last page
     */
    record HistoryPage(List<ChatMessage> messages, Long nextBefore) {
    }

    private final Rooms rooms;
    private final InputRules rules;
    private final ChatMetrics metrics;
    private final ChatProperties.History paging;

    RoomEndpoints(Rooms rooms, InputRules rules, ChatMetrics metrics, ChatProperties properties) {
        this.rooms = rooms;
        this.rules = rules;
        this.metrics = metrics;
        this.paging = properties.history();
    }

    @Get
    List<RoomSummary> list() {
        List<RoomSummary> summaries = new ArrayList<>();
        for (Room room : rooms.all()) {
            summaries.add(new RoomSummary(room.name(), room.memberCount(), room.messageCount(), room.createdAt()));
        }
        return summaries;
    }

    @Post
    Reply<RoomSummary> create(@Body NewRoom room) {
        Room created = rooms.create(rules.roomName(room.name()));
        return Reply.created("/api/rooms/" + created.name(),
                new RoomSummary(created.name(), 0, 0, created.createdAt()));
    }

    @Get("/{room}")
    RoomDetails room(@PathVar String room) {
        Room found = find(room);
        return new RoomDetails(found.name(), found.memberNames(), found.messageCount(), found.createdAt());
    }

    /**
     * Newest first. {@code before} is a message id: the page holds messages older than it, so a client reads
     * further back by passing the {@code nextBefore} of the page it has.
     */
    @Get("/{room}/messages")
    HistoryPage history(@PathVar String room, @QueryParam(required = false) Long before,
            @QueryParam(required = false) Integer limit) {
        if (before != null && before < 1) {
            throw new BadRequestException("'before' is a message id, 1 or more");
        }
        int size = limit == null ? paging.defaultPageSize() : limit;
        if (size < 1 || size > paging.maxPageSize()) {
            throw new BadRequestException("'limit' must be 1 to " + paging.maxPageSize());
        }
        History.Page page = find(room).history(before, size);
        return new HistoryPage(page.messages(), page.nextBefore());
    }

    @Post("/{room}/messages")
    Reply<ChatMessage> post(@PathVar String room, @Body NewMessage message) {
        Room target = find(room);
        ChatMessage posted = target.post(rules.userName(message.from()), rules.text(message.text()));
        metrics.postedOverHttp();
        return Reply.status(201).withBody(posted);
    }

    private Room find(String room) {
        return rooms.get(rules.roomName(room));
    }
}
