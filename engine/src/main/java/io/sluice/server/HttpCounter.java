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
    static final int SIZE = ERRORS_BASE + RequestError.values().length;

    private HttpCounter() {
    }

    static int responses(int status) {
        int statusClass = Math.min(Math.max(status / 100, 1), 5);
        return RESPONSES_1XX + statusClass - 1;
    }

    static int error(RequestError error) {
        return ERRORS_BASE + error.ordinal();
    }
}
