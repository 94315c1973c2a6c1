package io.sluice.websocket;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Decodes client-to-server WebSocket frames (RFC 6455 §5.2) one byte range at a time, keeping its
 * place across calls, so a frame split at any byte — inside the header as well as the payload —
 * decodes exactly as if it had arrived whole. Payload bytes are unmasked in place and handed on as they
 * arrive; nothing is buffered or allocated here, whatever the declared length.
 *
 * <p>The header is checked completely before any payload is read, and anything the protocol does not
 * allow fails the connection with a close code rather than being guessed at:
 *
 * <ul>
 *   <li>1002 (protocol error): RSV2 or RSV3 set; RSV1 set unless an extension allows it
 *       ({@code allowRsv1}), and even then on a control or continuation frame (RFC 7692 §6: only the
 *       first frame of a data message carries it); a reserved opcode; a control frame that is
 *       fragmented or longer than 125 bytes; an unmasked frame (clients must mask, §5.1); a length in
 *       a longer encoding than needed (§5.2 "the minimal number of bytes MUST be used"); a 64-bit
 *       length with its most significant bit set.
 *   <li>1009 (message too big): a data frame declaring a payload larger than {@code maxFrameSize},
 *       decided from the header, so a huge frame costs nothing but its header.
 * </ul>
 *
 * <p>Failure is a state, not an exception: check {@link #isFailed()} after each call. Message-level
 * rules (fragmentation order, UTF-8, message size) belong to the {@link FrameSink}, usually a
 * {@link MessageAssembler}; when the sink reports itself {@link FrameSink#isStopped() stopped}, decoding
 * stops at once.
 *
 * <p>Unmasking XORs eight bytes at a time with a {@code long} made of the 4-byte key rotated to the
 * payload offset, through a byte-array view (plain unaligned access is allowed on those); only the last
 * 0-7 bytes of each piece are done one by one. The key's phase carries over between pieces.
 */
public final class FrameDecoder {

    private enum State { FIRST_BYTE, LENGTH, EXTENDED_LENGTH, MASK_KEY, PAYLOAD, FAILED }

    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    /** Largest payload of a control frame (§5.5). */
    public static final int MAX_CONTROL_PAYLOAD = 125;

    private final long maxFrameSize;
    private final boolean allowRsv1;

    private State state = State.FIRST_BYTE;
    private int opcode;
    private boolean fin;
    private boolean rsv1;
    private int lengthBytesLeft;
    private boolean eightByteLength;
    private long payloadLength;
    private int maskBytesLeft;
    private int maskKey;
    private int maskPhase;
    private long remaining;
    private int closeCode;
    private String failureReason;

    /**
     * @param maxFrameSize largest data frame payload accepted (1009 beyond). Control frames are limited
     *                     to 125 bytes by the protocol instead, so a small limit never refuses a
     *                     legal ping or close.
     * @param allowRsv1    whether a negotiated extension (permessage-deflate) gives RSV1 a meaning
     */
    public FrameDecoder(long maxFrameSize, boolean allowRsv1) {
        if (maxFrameSize < 0) {
            throw new IllegalArgumentException("maxFrameSize must not be negative: " + maxFrameSize);
        }
        this.maxFrameSize = maxFrameSize;
        this.allowRsv1 = allowRsv1;
    }

    /**
     * Decodes from {@code bytes[from, to)}, unmasking payload bytes in place and passing frames to
     * {@code sink}.
     *
     * @return the index after the last byte consumed: {@code to}, unless decoding failed (then the index
     *     of the byte that showed the failure) or the sink stopped (then the index after the last byte it
     *     was given; the rest was not looked at)
     */
    public int decode(byte[] bytes, int from, int to, FrameSink sink) {
        if (state == State.FAILED || sink.isStopped()) {
            return from;
        }
        int p = from;
        while (p < to) {
            switch (state) {
                case FIRST_BYTE -> {
                    if (!firstByte(bytes[p] & 0xFF)) {
                        return p;
                    }
                    p++;
                    state = State.LENGTH;
                }
                case LENGTH -> {
                    int b = bytes[p] & 0xFF;
                    if ((b & 0x80) == 0) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "unmasked client frame", p);
                    }
                    int length = b & 0x7F;
                    if (length > MAX_CONTROL_PAYLOAD && Opcodes.isControl(opcode)) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "control frame longer than 125 bytes", p);
                    }
                    p++;
                    payloadLength = 0;
                    if (length == 126) {
                        lengthBytesLeft = 2;
                        eightByteLength = false;
                        state = State.EXTENDED_LENGTH;
                    } else if (length == 127) {
                        lengthBytesLeft = 8;
                        eightByteLength = true;
                        state = State.EXTENDED_LENGTH;
                    } else {
                        payloadLength = length;
                        if (length > maxFrameSize && !Opcodes.isControl(opcode)) {
                            return fail(CloseCodes.MESSAGE_TOO_BIG, "frame too big", p - 1);
                        }
                        startMaskKey();
                    }
                }
                case EXTENDED_LENGTH -> {
                    int b = bytes[p] & 0xFF;
                    if (lengthBytesLeft == 8 && b > 0x7F) {
                        return fail(CloseCodes.PROTOCOL_ERROR, "64-bit length with the high bit set", p);
                    }
                    payloadLength = (payloadLength << 8) | b;
                    if (--lengthBytesLeft == 0) {
                        if (payloadLength < (eightByteLength ? 0x10000 : 126)) {
                            return fail(CloseCodes.PROTOCOL_ERROR, "non-minimal length encoding", p);
                        }
                        if (payloadLength > maxFrameSize) {
                            return fail(CloseCodes.MESSAGE_TOO_BIG, "frame too big", p);
                        }
                        startMaskKey();
                    }
                    p++;
                }
                case MASK_KEY -> {
                    maskKey = (maskKey << 8) | (bytes[p++] & 0xFF);
                    if (--maskBytesLeft == 0) {
                        sink.onFrameStart(opcode, fin, rsv1, payloadLength);
                        if (payloadLength == 0) {
                            if (!sink.isStopped()) {
                                sink.onFrameEnd();
                            }
                            state = State.FIRST_BYTE;
                        } else {
                            remaining = payloadLength;
                            maskPhase = 0;
                            state = State.PAYLOAD;
                        }
                        if (sink.isStopped()) {
                            return p;
                        }
                    }
                }
                case PAYLOAD -> {
                    int n = (int) Math.min(remaining, to - p);
                    maskPhase = unmask(bytes, p, n, maskKey, maskPhase);
                    sink.onPayload(bytes, p, n);
                    p += n;
                    remaining -= n;
                    if (remaining == 0) {
                        if (!sink.isStopped()) {
                            sink.onFrameEnd();
                        }
                        state = State.FIRST_BYTE;
                    }
                    if (sink.isStopped()) {
                        return p;
                    }
                }
                case FAILED -> {
                    return p;
                }
            }
        }
        return p;
    }

    /** Checks the FIN/RSV/opcode byte; on failure records it and returns false. */
    private boolean firstByte(int b) {
        fin = (b & 0x80) != 0;
        rsv1 = (b & 0x40) != 0;
        opcode = b & 0x0F;
        if ((b & 0x30) != 0) {
            return failed(CloseCodes.PROTOCOL_ERROR, "RSV2 or RSV3 set");
        }
        if (Opcodes.isReserved(opcode)) {
            return failed(CloseCodes.PROTOCOL_ERROR, "reserved opcode " + opcode);
        }
        if (Opcodes.isControl(opcode)) {
            if (!fin) {
                return failed(CloseCodes.PROTOCOL_ERROR, "fragmented control frame");
            }
            if (rsv1) {
                return failed(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a control frame");
            }
        } else if (rsv1) {
            if (!allowRsv1) {
                return failed(CloseCodes.PROTOCOL_ERROR, "RSV1 set without a negotiated extension");
            }
            if (opcode == Opcodes.CONTINUATION) {
                return failed(CloseCodes.PROTOCOL_ERROR, "RSV1 set on a continuation frame");
            }
        }
        return true;
    }

    private void startMaskKey() {
        maskKey = 0;
        maskBytesLeft = 4;
        state = State.MASK_KEY;
    }

    /**
     * XORs {@code bytes[offset, offset + length)} with the masking key {@code maskKey} (its four bytes,
     * big-endian), starting at key byte {@code phase}.
     *
     * @return the key phase after the last byte, for the next piece of the same payload
     */
    static int unmask(byte[] bytes, int offset, int length, int maskKey, int phase) {
        int key = Integer.rotateLeft(maskKey, phase << 3);
        int i = offset;
        int end = offset + length;
        if (length >= 8) {
            // Eight bytes span the key twice, so the rotated key repeated is the mask for every word.
            long wide = ((long) key << 32) | (key & 0xFFFF_FFFFL);
            int wordsEnd = end - 7;
            while (i < wordsEnd) {
                LONG.set(bytes, i, (long) LONG.get(bytes, i) ^ wide);
                i += 8;
            }
        }
        while (i < end) {
            bytes[i++] ^= (byte) (key >>> 24);
            key = Integer.rotateLeft(key, 8);
        }
        return (phase + length) & 3;
    }

    /** Whether a frame has been started and not finished (a connection closing now ends mid-frame). */
    public boolean isInsideFrame() {
        return state != State.FIRST_BYTE && state != State.FAILED;
    }

    public boolean isFailed() {
        return state == State.FAILED;
    }

    /** The close code to fail the connection with ({@link CloseCodes#PROTOCOL_ERROR} or {@link CloseCodes#MESSAGE_TOO_BIG}), or 0. */
    public int closeCode() {
        return closeCode;
    }

    /** A short reason for the close frame (ASCII, well under 123 bytes), or {@code null}. */
    public String failureReason() {
        return failureReason;
    }

    private boolean failed(int code, String reason) {
        closeCode = code;
        failureReason = reason;
        state = State.FAILED;
        return false;
    }

    private int fail(int code, String reason, int at) {
        failed(code, reason);
        return at;
    }
}
