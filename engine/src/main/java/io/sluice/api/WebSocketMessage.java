package io.sluice.api;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * A whole WebSocket data message. Text is encoded to UTF-8 once, when the message is created, so
 * sending one message to many sessions (a broadcast) encodes it once.
 */
public final class WebSocketMessage {

    /** Message kinds; control frames are the server's business. */
    public enum Type { TEXT, BINARY }

    private final Type type;
    private final byte[] data;
    private String text;

    private WebSocketMessage(Type type, byte[] data, String text) {
        this.type = type;
        this.data = data;
        this.text = text;
    }

    public static WebSocketMessage text(CharSequence text) {
        String string = text.toString();
        return new WebSocketMessage(Type.TEXT, string.getBytes(StandardCharsets.UTF_8), string);
    }

    /** A binary message over {@code data}, which must not change afterwards. */
    public static WebSocketMessage binary(byte[] data) {
        return new WebSocketMessage(Type.BINARY, Objects.requireNonNull(data, "data"), null);
    }

    /**
     * A text message over bytes already known to be valid UTF-8 (as the server hands out received
     * messages); not checked again, decoded on first {@link #text()}.
     */
    public static WebSocketMessage textOfValidUtf8(byte[] utf8) {
        return new WebSocketMessage(Type.TEXT, Objects.requireNonNull(utf8, "utf8"), null);
    }

    public Type type() {
        return type;
    }

    public boolean isText() {
        return type == Type.TEXT;
    }

    /** The payload: UTF-8 for text. Never modify the returned array. */
    public byte[] data() {
        return data;
    }

    /** The text of a text message; for a binary message its bytes decoded as UTF-8. */
    public String text() {
        String decoded = text;
        if (decoded == null) {
            decoded = new String(data, StandardCharsets.UTF_8);
            text = decoded;
        }
        return decoded;
    }

    @Override
    public String toString() {
        return "WebSocketMessage[" + type + ", " + data.length + " bytes]";
    }
}
