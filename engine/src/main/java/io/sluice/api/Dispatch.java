package io.sluice.api;

/**
 * Where a handler runs. The choice is declared per route, never guessed: a handler that may block
 * must not run on an event loop, because every connection owned by that loop would stall with it.
 */
public enum Dispatch {

    /**
     * On the connection's event-loop thread, inline with parsing. No hand-off, no wakeup: the fastest
     * path, for handlers that never block (compute a response from the request, complete a future).
     */
    EVENT_LOOP,

    /**
     * On the server's worker executor (the default). The response is handed back to the owning event
     * loop, which writes it. Use for anything that blocks: I/O, locks, remote calls.
     */
    WORKER
}
