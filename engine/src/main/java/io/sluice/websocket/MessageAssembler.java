package io.sluice.websocket;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;

/**
 * Turns the frames of a {@link FrameDecoder} into complete messages for a {@link MessageSink}, enforcing
 * the message-level rules of RFC 6455 (§5.4 fragmentation, §5.5 control frames, §8.1 UTF-8, §7.4 close
 * codes) and, for compressed messages, RFC 7692 through a pluggable {@link MessageInflater}.
 *
 * <p>Failures fail the connection with a close code, never with an exception (check
 * {@link #isFailed()}); the assembler then ignores everything and reports itself
 * {@link #isStopped() stopped}, so the decoder stops too:
 *
 * <ul>
 *   <li>1002: a continuation frame with no message open; a text or binary frame while a fragmented
 *       message is open; a close frame with a 1-byte payload or a code not valid on the wire.
 *   <li>1007: text (or a close reason) that is not UTF-8 — detected at the first invalid byte, across
 *       fragments and reads — and compressed data the inflater cannot decompress.
 *   <li>1009: a message larger than {@code maxMessageSize}. For a plain frame the declared length
 *       decides it at the frame header; for a compressed message the <em>decompressed</em> bytes count,
 *       as they are produced, so a zip bomb stops at the limit.
 * </ul>
 *
 * <p>Memory: a message's bytes go into an array that starts small and doubles as bytes actually
 * arrive (a declared length is never allocated up front: a peer announcing a large frame and sending
 * nothing costs nothing), never grows past what the message can still need, and is dropped once the
 * message is delivered, so an idle connection holds no message buffer. An empty message allocates
 * nothing. A message that arrives whole in one piece (one frame, one read) needs no buffer: binary is
 * copied once into an array of its size, text is decoded straight from the read buffer. Control frame
 * payloads (at most 125 bytes) are collected in an array of their exact size.
 *
 * <p>After a valid close frame nothing more is read: {@link #isCloseReceived()} and
 * {@link #isStopped()} become true.
 */
public final class MessageAssembler implements FrameSink {

    private static final byte[] EMPTY = new byte[0];
    private static final int INITIAL_CAPACITY = 256;
    private static final int NO_MESSAGE = -1;
    private static final char REPLACEMENT_CHARACTER = '\uFFFD';

    private final int maxMessageSize;
    private final MessageInflater inflater;
    private final MessageSink sink;
    private final Utf8Validator utf8 = new Utf8Validator();
    private final InflateOutput inflateOutput = this::appendInflated;

    /** Opcode of the open data message (text or binary), or {@link #NO_MESSAGE}. */
    private int messageOpcode = NO_MESSAGE;
    private boolean compressed;
    private byte[] message;
    /** The text of a message taken whole from one piece (then {@link #message} is unused), else null. */
    private String wholeText;
    private int messageSize;
    private int lastMessageSize;

    private int frameOpcode;
    private boolean frameFin;
    /** Payload bytes of the current frame still to come, for plain data frames (bounds buffer growth). */
    private long frameRemaining;

    private byte[] control;
    private int controlSize;

    private boolean closeReceived;
    private int closeCode;
    private String failureReason;

    /**
     * @param maxMessageSize largest message accepted, in (decompressed) bytes (1009 beyond)
     * @param inflater       decompresses messages whose first frame has RSV1 set, or {@code null} when
     *                       no compression was negotiated (such messages then fail with 1002)
     * @param sink           receives the messages
     */
    public MessageAssembler(int maxMessageSize, MessageInflater inflater, MessageSink sink) {
        if (maxMessageSize < 0) {
            throw new IllegalArgumentException("maxMessageSize must not be negative: " + maxMessageSize);
        }
        this.maxMessageSize = maxMessageSize;
        this.inflater = inflater;
        this.sink = sink;
    }

    @Override
    public void onFrameStart(int opcode, boolean fin, boolean rsv1, long payloadLength) {
        if (isStopped()) {
            return;
        }
        frameOpcode = opcode;
        frameFin = fin;
        if (Opcodes.isControl(opcode)) {
            // The decoder already refuses these; checked again because a sink may be fed by anything.
            if (!fin || rsv1 || payloadLength > FrameDecoder.MAX_CONTROL_PAYLOAD || Opcodes.isReserved(opcode)) {
                fail(CloseCodes.PROTOCOL_ERROR, "invalid control frame");
                return;
            }
            control = payloadLength == 0 ? EMPTY : new byte[(int) payloadLength];
            controlSize = 0;
            return;
        }
        if (opcode == Opcodes.CONTINUATION) {
            if (messageOpcode == NO_MESSAGE) {
                fail(CloseCodes.PROTOCOL_ERROR, "continuation frame without a message");
                return;
            }
            if (rsv1) {
                fail(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a continuation frame");
                return;
            }
        } else if (opcode == Opcodes.TEXT || opcode == Opcodes.BINARY) {
            if (messageOpcode != NO_MESSAGE) {
                fail(CloseCodes.PROTOCOL_ERROR, "new message inside a fragmented message");
                return;
            }
            if (rsv1 && inflater == null) {
                fail(CloseCodes.PROTOCOL_ERROR, "RSV1 set without a negotiated extension");
                return;
            }
            messageOpcode = opcode;
            compressed = rsv1;
        } else {
            fail(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode);
            return;
        }
        frameRemaining = payloadLength;
        if (!compressed && payloadLength > maxMessageSize - messageSize) {
            fail(CloseCodes.MESSAGE_TOO_BIG, "message too big");
        }
    }

    @Override
    public void onPayload(byte[] bytes, int offset, int length) {
        if (isStopped()) {
            return;
        }
        if (Opcodes.isControl(frameOpcode)) {
            if (length > control.length - controlSize) {
                fail(CloseCodes.PROTOCOL_ERROR, "control frame longer than declared");
                return;
            }
            System.arraycopy(bytes, offset, control, controlSize, length);
            controlSize += length;
        } else if (compressed) {
            inflate(bytes, offset, length, false);
        } else {
            frameRemaining -= length;
            if (frameFin && frameRemaining == 0 && messageSize == 0) {
                takeWholeMessage(bytes, offset, length);
            } else {
                append(bytes, offset, length);
            }
        }
    }

    @Override
    public void onFrameEnd() {
        if (isStopped()) {
            return;
        }
        if (!Opcodes.isControl(frameOpcode)) {
            if (frameFin) {
                endMessage();
            }
            return;
        }
        byte[] payload = control;
        control = null;
        if (controlSize != payload.length) {
            fail(CloseCodes.PROTOCOL_ERROR, "control frame shorter than declared");
            return;
        }
        switch (frameOpcode) {
            case Opcodes.PING -> sink.onPing(payload);
            case Opcodes.PONG -> sink.onPong(payload);
            default -> close(payload);
        }
    }

    /** Failed, or a close frame was received: the decoder must not feed more frames. */
    @Override
    public boolean isStopped() {
        return closeCode != 0 || closeReceived;
    }

    /** Whether a valid close frame was received (and delivered). */
    public boolean isCloseReceived() {
        return closeReceived;
    }

    /** Whether a data message has begun and not ended (a connection closing now ends mid-message). */
    public boolean isInsideMessage() {
        return messageOpcode != NO_MESSAGE;
    }

    /** Payload bytes of the last complete data message (after decompression), for statistics. */
    public int lastMessageSize() {
        return lastMessageSize;
    }

    public boolean isFailed() {
        return closeCode != 0;
    }

    /** The close code to fail the connection with (1002, 1007 or 1009), or 0. */
    public int closeCode() {
        return closeCode;
    }

    /** A short reason for the close frame (ASCII, well under 123 bytes), or {@code null}. */
    public String failureReason() {
        return failureReason;
    }

    private void close(byte[] payload) {
        if (payload.length == 0) {
            closeReceived = true;
            sink.onClose(CloseCodes.NO_STATUS, "");
            return;
        }
        if (payload.length == 1) {
            fail(CloseCodes.PROTOCOL_ERROR, "close frame with a 1-byte payload");
            return;
        }
        int code = ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF);
        if (!CloseCodes.isValidOnWire(code)) {
            fail(CloseCodes.PROTOCOL_ERROR, "invalid close code " + code);
            return;
        }
        if (!Utf8Validator.isValid(payload, 2, payload.length)) {
            fail(CloseCodes.INVALID_PAYLOAD, "close reason is not UTF-8");
            return;
        }
        closeReceived = true;
        sink.onClose(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8));
    }

    /** The capacity of the message buffer (0 when none is held); for tests. */
    int bufferCapacity() {
        return message == null ? 0 : message.length;
    }

    private void inflate(byte[] bytes, int offset, int length, boolean last) {
        try {
            inflater.inflate(bytes, offset, length, last, inflateOutput);
        } catch (InflateStopped e) {
            // The message failed on output from the inflater (see appendInflated); already recorded.
        } catch (DataFormatException e) {
            if (!isFailed()) {
                fail(CloseCodes.INVALID_PAYLOAD, "invalid compressed data");
            }
        }
    }

    /** Output of the inflater: appended, or, once the message has failed, the inflater is stopped. */
    private void appendInflated(byte[] bytes, int offset, int length) {
        if (!append(bytes, offset, length)) {
            throw InflateStopped.INSTANCE;
        }
    }

    /** Adds message bytes (plain payload or inflater output); false if the message failed. */
    private boolean append(byte[] bytes, int offset, int length) {
        if (isStopped()) {
            return false;
        }
        if (length == 0) {
            return true;
        }
        int room = maxMessageSize - messageSize;
        // Whichever comes first in the byte stream decides: an invalid UTF-8 byte before the limit,
        // or the byte past it. (So the outcome does not depend on how the bytes were split.)
        int valid = Math.min(length, room);
        if (messageOpcode == Opcodes.TEXT && utf8.validate(bytes, offset, offset + valid) != offset + valid) {
            fail(CloseCodes.INVALID_PAYLOAD, "text is not UTF-8");
            return false;
        }
        if (length > room) {
            fail(CloseCodes.MESSAGE_TOO_BIG, "message too big");
            return false;
        }
        int needed = messageSize + length;
        if (message == null || needed > message.length) {
            grow(needed);
        }
        System.arraycopy(bytes, offset, message, messageSize, length);
        messageSize = needed;
        return true;
    }

    /**
     * The whole message is in one piece of the caller's buffer (the common case: a message in one frame
     * that arrived in one read), and its size was checked at the frame header: take it in one step.
     * Binary: one exact copy ({@code copyOfRange}: C2 does not zero an array it fills at once). Text: decoded
     * straight from the buffer, with no copy to hold it; the JDK's decoder replaces every malformed
     * sequence with U+FFFD (its UTF-8 is as strict as RFC 3629: no overlong forms, surrogates or code
     * points above U+10FFFF), so a string without U+FFFD proves the bytes were well-formed, and only
     * text that contains one, rightly or not, is checked again by the validator.
     */
    private void takeWholeMessage(byte[] bytes, int offset, int length) {
        if (messageOpcode == Opcodes.TEXT) {
            String text = new String(bytes, offset, length, StandardCharsets.UTF_8);
            int end = offset + length;
            if (text.indexOf(REPLACEMENT_CHARACTER) >= 0 && utf8.validate(bytes, offset, end) != end) {
                fail(CloseCodes.INVALID_PAYLOAD, "text is not UTF-8");
                return;
            }
            wholeText = text;
        } else {
            message = Arrays.copyOfRange(bytes, offset, offset + length);
        }
        messageSize = length;
    }

    private void grow(int needed) {
        // Double, but never past what the message may still need: the limit, or, on the last frame of a
        // plain message, exactly its end (so a message that ends on its first frame is usually held in
        // an array of its exact size, handed over without a copy).
        long cap = maxMessageSize;
        if (frameFin && !compressed && !Opcodes.isControl(frameOpcode)) {
            cap = Math.min(cap, needed + frameRemaining);
        }
        int current = message == null ? 0 : message.length;
        long doubled = Math.max((long) current * 2, INITIAL_CAPACITY);
        int capacity = (int) Math.max(needed, Math.min(doubled, cap));
        message = message == null ? new byte[capacity] : Arrays.copyOf(message, capacity);
    }

    private void endMessage() {
        if (compressed) {
            inflate(EMPTY, 0, 0, true);
            if (isFailed()) {
                return;
            }
        }
        if (messageOpcode == Opcodes.TEXT && !utf8.isComplete()) {
            fail(CloseCodes.INVALID_PAYLOAD, "text ends inside a UTF-8 sequence");
            return;
        }
        int opcode = messageOpcode;
        byte[] bytes = message;
        String text = wholeText;
        int size = messageSize;
        lastMessageSize = size;
        message = null;
        wholeText = null;
        messageSize = 0;
        messageOpcode = NO_MESSAGE;
        compressed = false;
        utf8.reset();
        if (opcode == Opcodes.TEXT) {
            sink.onText(text != null ? text : size == 0 ? "" : new String(bytes, 0, size, StandardCharsets.UTF_8));
        } else {
            sink.onBinary(size == 0 ? EMPTY : size == bytes.length ? bytes : Arrays.copyOf(bytes, size));
        }
    }

    /**
     * Thrown through the inflater to stop it when the message fails, as {@link InflateOutput} asks.
     * Preallocated and without a stack trace: it only unwinds to {@link #inflate}.
     */
    private static final class InflateStopped extends RuntimeException {
        static final InflateStopped INSTANCE = new InflateStopped();

        private InflateStopped() {
            super("inflation stopped: the message failed", null, false, false);
        }
    }

    private void fail(int code, String reason) {
        closeCode = code;
        failureReason = reason;
        message = null;
        wholeText = null;
        control = null;
    }
}
