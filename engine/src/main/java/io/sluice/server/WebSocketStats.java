package io.sluice.server;

import java.util.Map;

/**
 * WebSocket counters of a server, summed over its loops.
 *
 * @param sessionsActive   open sessions
 * @param sessionsOpened   sessions opened (handshakes accepted)
 * @param sessionsClosed   closed sessions by close code: 1000-1015 each, other codes under -1
 * @param textMessagesIn   text messages received
 * @param binaryMessagesIn binary messages received
 * @param textBytesIn      payload bytes of text messages received (after decompression)
 * @param binaryBytesIn    payload bytes of binary messages received (after decompression)
 * @param textMessagesOut  text messages sent
 * @param binaryMessagesOut binary messages sent
 * @param textBytesOut     payload bytes of text messages sent (before compression)
 * @param binaryBytesOut   payload bytes of binary messages sent (before compression)
 */
public record WebSocketStats(long sessionsActive, long sessionsOpened, Map<Integer, Long> sessionsClosed,
        long textMessagesIn, long binaryMessagesIn, long textBytesIn, long binaryBytesIn, long textMessagesOut,
        long binaryMessagesOut, long textBytesOut, long binaryBytesOut) {

    /** Sessions closed with {@code code} (use -1 for codes outside 1000-1015). */
    public long sessionsClosed(int code) {
        return sessionsClosed.getOrDefault(code, 0L);
    }
}
