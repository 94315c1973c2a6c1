package io.sluice.sample.chat;

import io.sluice.boot.web.BadRequestException;

/**
 * A room name, user name or text that the chat does not accept. Over HTTP it answers 400 with its message as
 * the problem's {@code detail}; over WebSocket it becomes an {@code error} message with {@link #code()}. The
 * message is written for the person who typed the value.
 */
public class InvalidInputException extends BadRequestException {

    private final String code;

    InvalidInputException(String code, String message) {
        super(message);
        this.code = code;
    }

    /** A stable name for the mistake, such as {@code invalid-name}. */
    public String code() {
        return code;
    }
}
