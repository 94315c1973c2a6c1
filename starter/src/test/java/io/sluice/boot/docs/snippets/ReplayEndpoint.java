package io.sluice.boot.docs.snippets;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import java.util.Iterator;

@WebSocketEndpoint("/ws/replay/{room}")
public class ReplayEndpoint {

    private final History history;

    public ReplayEndpoint(History history) {
        this.history = history;
    }

    @OnOpen
    void replay(WebSocketSession session, @PathVar String room) {
        send(session, history.of(room).iterator());
    }

    /** Sends while the client keeps up; continues once it has caught up. */
    private static void send(WebSocketSession session, Iterator<WebSocketMessage> messages) {
        while (messages.hasNext() && session.isWritable()) {
            session.send(messages.next());
        }
        if (messages.hasNext() && session.isOpen()) {
            // Runs on the session's event loop: fine for in-memory data, never for anything that blocks.
            session.whenWritable().thenRun(() -> send(session, messages));
        }
    }
}
