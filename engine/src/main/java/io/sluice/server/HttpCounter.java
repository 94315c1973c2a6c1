package io.sluice.server;

import io.sluice.http.RequestError;

/** Indexes of the HTTP layer's per-loop counters; refused-request kinds follow at {@link #ERRORS_BASE}. */
final class HttpCounter {

    static final int REQUESTS = 0;
    static final int ACTIVE = 1;
    static final int RESPONSES_1XX = 2; // + status / 100 - 1, up to 5xx at index 6
    static final int HANDLER_ERRORS = 7;
    static final int REJECTED_TASKS = 8;
    static final int ERRORS_BASE = 9;

    static final int WS_OPENED = ERRORS_BASE + RequestError.values().length;
    static final int WS_ACTIVE = WS_OPENED + 1;
    /** Messages in: + 0 text, + 1 binary; then bytes in, messages out, bytes out, each text/binary. */
    static final int WS_MESSAGES_IN = WS_ACTIVE + 1;
    static final int WS_BYTES_IN = WS_MESSAGES_IN + 2;
    static final int WS_MESSAGES_OUT = WS_BYTES_IN + 2;
    static final int WS_BYTES_OUT = WS_MESSAGES_OUT + 2;
    /** Sessions closed with codes 1000-1015, one slot each; other codes share the slot after them. */
    static final int WS_CLOSED_BASE = WS_BYTES_OUT + 2;
    static final int WS_CLOSED_OTHER = WS_CLOSED_BASE + 16;
    static final int SIZE = WS_CLOSED_OTHER + 1;

    private HttpCounter() {
    }

    static int responses(int status) {
        int statusClass = Math.min(Math.max(status / 100, 1), 5);
        return RESPONSES_1XX + statusClass - 1;
    }

    static int error(RequestError error) {
        return ERRORS_BASE + error.ordinal();
    }

    static int webSocketClosed(int code) {
        return code >= 1000 && code <= 1015 ? WS_CLOSED_BASE + code - 1000 : WS_CLOSED_OTHER;
    }
}
