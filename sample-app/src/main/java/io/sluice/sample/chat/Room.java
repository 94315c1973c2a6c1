package io.sluice.sample.chat;

import io.sluice.api.WebSocketMessage;
import io.sluice.boot.websocket.JsonMessages;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A chat room: its members and its history.
 *
 * <p>Thread safety without a global lock: each room has its own lock, taken to change the room and to publish
 * what changed, so that every member sees the room's events in one order (message ids ascending, each
 * presence after the join or leave it follows). Publishing under the lock is cheap because it never waits:
 * each message is encoded once, and each member only queues it (see {@link Member}). Reads that need no order
 * (counts, the member list of a summary) take no lock.
 */
final class Room {

    private final String name;
    private final Instant createdAt;
    private final int maxMembers;
    private final JsonMessages json;
    private final Clock clock;
    private final History history;                                      // guarded by this
    private final Map<String, Member> members = new ConcurrentHashMap<>(); // changed under this lock

    Room(String name, int historySize, int maxMembers, JsonMessages json, Clock clock) {
        this.name = name;
        this.maxMembers = maxMembers;
        this.json = json;
        this.clock = clock;
        this.createdAt = clock.instant();
        this.history = new History(name, historySize);
    }

    String name() {
        return name;
    }

    Instant createdAt() {
        return createdAt;
    }

    int memberCount() {
        return members.size();
    }

    /** The members' names, sorted; a name appears once per session that uses it. */
    List<String> memberNames() {
        List<String> names = new ArrayList<>(members.size());
        for (Member member : members.values()) {
            names.add(member.name());
        }
        Collections.sort(names);
        return names;
    }

    synchronized int messageCount() {
        return history.size();
    }

    synchronized History.Page history(Long before, int limit) {
        return history.page(before, limit);
    }

    /** Adds {@code text} from {@code from} to the history and sends it to every member. */
    synchronized ChatMessage post(String from, String text) {
        ChatMessage message = history.append(from, text, clock.instant());
        publish(json.of(message));
        return message;
    }

    /**
     * Adds {@code member} and tells everyone, the new member included: a join, then the presence.
     *
     * @return {@code false} if the room is full
     */
    synchronized boolean join(Member member) {
        if (members.size() >= maxMembers) {
            return false;
        }
        members.put(member.id(), member);
        publish(json.of(new ServerEvent.Join(name, member.name(), clock.instant())));
        publish(json.of(new ServerEvent.Presence(name, memberNames())));
        return true;
    }

    /** Removes {@code member}, if it is here, and tells the others: a leave, then the presence. */
    synchronized void leave(Member member) {
        if (members.remove(member.id()) == null) {
            return;
        }
        publish(json.of(new ServerEvent.Leave(name, member.name(), clock.instant())));
        publish(json.of(new ServerEvent.Presence(name, memberNames())));
    }

    private void publish(WebSocketMessage message) {
        for (Member member : members.values()) {
            member.deliver(message);
        }
    }
}
