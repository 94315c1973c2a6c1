package io.sluice.sample.chat;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.websocket.CloseCodes;
import java.util.ArrayDeque;

/**
 * One WebSocket session in one room, and the slow-client policy that keeps it from holding up the others.
 *
 * <p>A message for this member goes straight to the session while the session is writable (below its
 * high-water mark). Once it is not, messages wait in a backlog of at most {@code maxBacklog} and are handed
 * over when the session becomes writable again. A member whose backlog would overflow has fallen too far
 * behind: it is closed with 1013 (try again later), and the page reconnects and reloads the history. So a
 * member that stops reading costs at most the session's buffer plus {@code maxBacklog} messages, and the
 * sender never waits for it.
 *
 * <p>Thread safety: {@link #deliver} is called from any thread (broadcasts come from other sessions' callbacks
 * and from HTTP requests), and the drain runs on the session's event loop. A lock of this member orders them;
 * it is never held while waiting, only while queueing. The rate limit is used by this session's own callbacks
 * only, which the server runs one at a time.
 */
final class Member {

    private final WebSocketSession session;
    private final String name;
    private final TokenBucket rateLimit;
    private final int maxBacklog;
    private final Runnable onDropped;

    private final ArrayDeque<WebSocketMessage> backlog = new ArrayDeque<>();  // guarded by this
    private boolean drainScheduled;                                          // guarded by this
    private boolean dropped;                                                 // guarded by this

    Member(WebSocketSession session, String name, TokenBucket rateLimit, int maxBacklog, Runnable onDropped) {
        this.session = session;
        this.name = name;
        this.rateLimit = rateLimit;
        this.maxBacklog = maxBacklog;
        this.onDropped = onDropped;
    }

    String name() {
        return name;
    }

    String id() {
        return session.id();
    }

    /** Whether this session may send another chat message now; takes one from its rate limit if so. */
    boolean mayPost() {
        return rateLimit.tryTake(System.nanoTime());
    }

    /** Sends {@code message} to this member, now or once it has caught up; never blocks. */
    void deliver(WebSocketMessage message) {
        boolean drainNow = false;
        boolean dropNow = false;
        synchronized (this) {
            if (dropped || !session.isOpen()) {
                return;
            }
            if (backlog.isEmpty() && session.isWritable()) {
                session.send(message);
                return;
            }
            if (backlog.size() < maxBacklog) {
                backlog.addLast(message);
                drainNow = !drainScheduled;
                drainScheduled = true;
            } else {
                dropped = true;
                dropNow = true;
                backlog.clear();
            }
        }
        if (drainNow) {
            scheduleDrain();
        } else if (dropNow) {
            drop();
        }
    }

    private void drop() {
        // Queued behind whatever the session still holds: a client that resumes reading sees why it was closed.
        session.close(CloseCodes.TRY_AGAIN_LATER, "Too slow: more than " + maxBacklog + " messages behind");
        onDropped.run();
    }

    private void scheduleDrain() {
        // Completes at once if the session is writable again (then the drain runs here), or when it closes.
        session.whenWritable().thenRun(this::drain);
    }

    private void drain() {
        synchronized (this) {
            if (dropped || !session.isOpen()) {
                backlog.clear();
                drainScheduled = false;
                return;
            }
            while (!backlog.isEmpty() && session.isWritable()) {
                session.send(backlog.pollFirst());
            }
            drainScheduled = !backlog.isEmpty();
            if (!drainScheduled) {
                return;
            }
        }
        scheduleDrain();
    }
}
