package io.sluice.boot.docs.snippets;

import io.sluice.api.WebSocketMessage;
import java.util.List;

/** The in-memory message store the replay example of docs/websocket-endpoints.md reads from. */
public interface History {

    /** The messages of {@code room}, oldest first. */
    List<WebSocketMessage> of(String room);
}
