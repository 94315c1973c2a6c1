package io.sluice.websocket;

/**
 * Receives complete, validated messages from {@link MessageAssembler}. Arrays and strings handed over
 * belong to the receiver. Control messages (ping, pong, close) may arrive between the fragments of a
 * data message; they are delivered as soon as their frame ends.
 */
public interface MessageSink {

    /** A complete text message, known to be valid UTF-8. */
    void onText(String text);

    /** A complete binary message (a shared empty array when it has no bytes). */
    void onBinary(byte[] data);

    /** A ping; the payload (at most 125 bytes) is what the pong must echo. */
    void onPing(byte[] payload);

    /** A pong, solicited or not. */
    void onPong(byte[] payload);

    /**
     * A valid close frame. Nothing after it is read.
     *
     * @param code   a code {@link CloseCodes#isValidOnWire valid on the wire}, or
     *               {@link CloseCodes#NO_STATUS} (1005) when the frame had no payload
     * @param reason the reason, valid UTF-8 decoded; empty when absent
     */
    void onClose(int code, String reason);
}
