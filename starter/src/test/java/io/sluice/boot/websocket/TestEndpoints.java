package io.sluice.boot.websocket;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.annotation.OnClose;
import io.sluice.boot.websocket.annotation.OnError;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Endpoints the socket-level tests talk to; each records what a test cannot see from the client. */
final class TestEndpoints {

    private TestEndpoints() {
    }

    static final Class<?>[] ALL = {Echo.class, Where.class, OnLoop.class, Points.class, Items.class, Failing.class,
            Recovering.class, Ordered.class, Chat.class};

    record Point(int x, int y) {
    }

    @WebSocketEndpoint("/echo/{name}")
    static class Echo {
        final BlockingQueue<String> closes = new LinkedBlockingQueue<>();

        @OnOpen
        String open(@PathVar String name) {
            return "hello " + name;
        }

        @OnMessage
        String text(String text, @PathVar String name) {
            return name + ": " + text;
        }

        @OnMessage
        byte[] binary(byte[] data) {
            byte[] reversed = new byte[data.length];
            for (int i = 0; i < data.length; i++) {
                reversed[i] = data[data.length - 1 - i];
            }
            return reversed;
        }

        @OnClose
        void close(int code, String reason, @PathVar String name) {
            closes.add(name + " " + code + " " + reason);
        }
    }

    /** Answers each message with the name of the thread that handled it. */
    @WebSocketEndpoint("/where")
    static class Where {
        @OnMessage
        String where(String text) {
            return Thread.currentThread().getName();
        }
    }

    @WebSocketEndpoint("/loop")
    @NonBlocking
    static class OnLoop {
        @OnMessage
        String where(String text) {
            return Thread.currentThread().getName();
        }
    }

    @WebSocketEndpoint("/points")
    static class Points {
        @OnMessage
        Point move(Point point) {
            return new Point(point.x() + 1, point.y() + 1);
        }
    }

    @WebSocketEndpoint("/items/{id}")
    static class Items {
        @OnOpen
        String open(@PathVar long id) {
            return "item " + id;
        }
    }

    @WebSocketEndpoint("/fail")
    static class Failing {
        @OnMessage
        void message(String text) {
            throw new IllegalStateException("boom: " + text);
        }
    }

    @WebSocketEndpoint("/recover")
    static class Recovering {
        @OnMessage
        void message(String text) {
            throw new IllegalArgumentException(text);
        }

        @OnError
        String error(IllegalArgumentException failure) {
            return "error: " + failure.getMessage();
        }
    }

    /** Echoes, and counts callbacks of one session that overlapped (there must be none). */
    @WebSocketEndpoint("/order")
    static class Ordered {
        final AtomicInteger overlaps = new AtomicInteger();

        @OnMessage
        String message(WebSocketSession session, String text) {
            AtomicBoolean busy = (AtomicBoolean) session.attributes().computeIfAbsent("busy", key -> new AtomicBoolean());
            if (!busy.compareAndSet(false, true)) {
                overlaps.incrementAndGet();
            }
            try {
                Thread.yield();
                return text;
            } finally {
                busy.set(false);
            }
        }
    }

    /** A chat room: every line is broadcast, as JSON, to every session in the room. */
    @WebSocketEndpoint("/rooms/{room}")
    static class Chat {
        record Line(String from, String text) {
        }

        private final JsonMessages json;
        private final Map<String, Set<WebSocketSession>> rooms = new ConcurrentHashMap<>();

        Chat(JsonMessages json) {
            this.json = json;
        }

        @OnOpen
        String join(WebSocketSession session, @PathVar String room) {
            members(room).add(session);
            return "joined " + room;
        }

        @OnMessage
        void say(Line line, @PathVar String room) {
            WebSocketMessage message = json.of(line);
            for (WebSocketSession member : members(room)) {
                member.send(message);
            }
        }

        @OnClose
        void leave(WebSocketSession session, @PathVar String room) {
            members(room).remove(session);
        }

        private Set<WebSocketSession> members(String room) {
            return rooms.computeIfAbsent(room, name -> ConcurrentHashMap.newKeySet());
        }
    }
}
