package io.sluice.sample.chat;

import io.sluice.boot.web.annotation.ErrorStatus;
import io.sluice.boot.websocket.JsonMessages;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Every room of the chat, by name. Rooms are kept for the life of the application (their histories are what
 * a newcomer reads), so their number is bounded by {@code chat.rooms.max}.
 *
 * <p>Looking a room up takes no lock. Creating one is rare and takes this registry's lock, which makes the
 * bound exact.
 */
@Component
class Rooms {

    private final Map<String, Room> rooms = new ConcurrentHashMap<>();
    private final ChatProperties.Rooms limits;
    private final int historySize;
    private final JsonMessages json;
    private final Clock clock;

    Rooms(ChatProperties properties, InputRules rules, JsonMessages json, Clock clock) {
        this.limits = properties.rooms();
        this.historySize = properties.history().size();
        this.json = json;
        this.clock = clock;
        for (String name : limits.initial()) {
            try {
                getOrCreate(rules.roomName(name));
            } catch (InvalidInputException e) {
                throw new IllegalArgumentException("chat.rooms.initial: '" + name + "': " + e.getMessage(), e);
            }
        }
    }

    /** The rooms, sorted by name. */
    List<Room> all() {
        List<Room> all = new ArrayList<>(rooms.values());
        all.sort(Comparator.comparing(Room::name));
        return all;
    }

    int count() {
        return rooms.size();
    }

    int memberCount() {
        int members = 0;
        for (Room room : rooms.values()) {
            members += room.memberCount();
        }
        return members;
    }

    /** The room called {@code name} (already validated). */
    Room get(String name) {
        Room room = rooms.get(name);
        if (room == null) {
            throw new NotFound(name);
        }
        return room;
    }

    /** A new room called {@code name} (already validated). */
    synchronized Room create(String name) {
        if (rooms.containsKey(name)) {
            throw new AlreadyExists(name);
        }
        return add(name);
    }

    /** The room called {@code name} (already validated), created if there is none. */
    Room getOrCreate(String name) {
        Room room = rooms.get(name);
        if (room != null) {
            return room;
        }
        synchronized (this) {
            room = rooms.get(name);
            return room != null ? room : add(name);
        }
    }

    private Room add(String name) {
        if (rooms.size() >= limits.max()) {
            throw new LimitReached(limits.max());
        }
        Room room = new Room(name, historySize, limits.maxMembers(), json, clock);
        rooms.put(name, room);
        return room;
    }

    @ErrorStatus(404)
    static final class NotFound extends RuntimeException {

        NotFound(String name) {
            super("There is no room called '" + name + "'");
        }
    }

    @ErrorStatus(409)
    static final class AlreadyExists extends RuntimeException {

        AlreadyExists(String name) {
            super("There is already a room called '" + name + "'");
        }
    }

    @ErrorStatus(409)
    static final class LimitReached extends RuntimeException {

        LimitReached(int max) {
            super("The chat already has " + max + " rooms, the most it may have");
        }
    }
}
