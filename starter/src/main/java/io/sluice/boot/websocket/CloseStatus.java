package io.sluice.boot.websocket;

/** The close code and reason handed to {@code @OnClose} parameters. */
record CloseStatus(int code, String reason) {
}
