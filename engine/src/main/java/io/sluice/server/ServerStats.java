package io.sluice.server;

import io.sluice.http.RequestError;
import io.sluice.transport.CloseReason;
import java.util.Map;

/**
 * A snapshot of a server's counters since it last started, read without locks: each event loop keeps
 * its own single-writer counters and the snapshot sums them.
 *
 * @param connectionsActive   open connections
 * @param connectionsAccepted connections accepted
 * @param connectionsRejected connections closed at once because {@code maxConnections} was reached
 * @param connectionsClosed   closed connections, by reason
 * @param requestsActive      requests received and not yet answered
 * @param requestsTotal       requests received (including refused ones)
 * @param responsesByClass    responses by status class: index 0 for 1xx … 4 for 5xx
 * @param requestErrors       requests refused before reaching a handler, by kind
 * @param handlerErrors       handlers that threw or failed
 * @param rejectedTasks       requests answered 503 because the worker queue was full
 * @param bytesRead           bytes read from sockets
 * @param bytesWritten        bytes written to sockets
 * @param pendingTasksPerLoop tasks waiting in each loop's queue
 * @param selectorRebuilds    selectors replaced because they kept waking without events (the JDK epoll
 *                            spin) or failed
 * @param webSocket           WebSocket sessions and messages
 */
public record ServerStats(long connectionsActive, long connectionsAccepted, long connectionsRejected,
        Map<CloseReason, Long> connectionsClosed, long requestsActive, long requestsTotal, long[] responsesByClass,
        Map<RequestError, Long> requestErrors, long handlerErrors, long rejectedTasks, long bytesRead,
        long bytesWritten, int[] pendingTasksPerLoop, long selectorRebuilds, WebSocketStats webSocket) {

    /** Closed connections for {@code reason}. */
    public long connectionsClosed(CloseReason reason) {
        return connectionsClosed.getOrDefault(reason, 0L);
    }

    /** Refused requests of {@code kind}. */
    public long requestErrors(RequestError kind) {
        return requestErrors.getOrDefault(kind, 0L);
    }
}
