package io.sluice.websocket;

import java.nio.ByteBuffer;

/**
 * Encodes server-to-client frame headers (RFC 6455 §5.2): never masked (§5.1: a server must not mask),
 * always in the minimal length encoding. Only the header is written, so a session writes the header into
 * its output buffer and then hands the payload over as it is, without copying a large payload next to
 * its header. Close payloads are built here too, since their reason must be cut to fit a control frame.
 *
 * <p>Arguments that would produce an invalid frame are programming errors and throw
 * {@link IllegalArgumentException}; a buffer without room throws
 * {@link java.nio.BufferOverflowException} as usual. Nothing here depends on input from a peer.
 */
public final class FrameEncoder {

    /** Longest header: 2 bytes plus an 8-byte length (a server header has no masking key). */
    public static final int MAX_HEADER_LENGTH = 10;
    /** Largest close reason in UTF-8 bytes: 125 minus the 2-byte code. */
    public static final int MAX_CLOSE_REASON_BYTES = FrameDecoder.MAX_CONTROL_PAYLOAD - 2;

    private static final byte[] EMPTY = new byte[0];

    private FrameEncoder() {
    }

    /** The header length for a payload of {@code payloadLength} bytes: 2, 4 or 10. */
    public static int headerLength(long payloadLength) {
        if (payloadLength < 0) {
            throw new IllegalArgumentException("negative payload length: " + payloadLength);
        }
        return payloadLength <= 125 ? 2 : payloadLength <= 0xFFFF ? 4 : 10;
    }

    /**
     * Writes the header of a frame at {@code out}'s position (advancing it), in network byte order
     * whatever the buffer's order.
     *
     * @param rsv1 the permessage-deflate "compressed" bit: only on the first frame of a data message
     */
    public static void writeHeader(ByteBuffer out, int opcode, boolean fin, boolean rsv1, long payloadLength) {
        int length = headerLength(payloadLength);
        check(opcode, fin, rsv1, payloadLength);
        if (out.remaining() < length) {
            throw new java.nio.BufferOverflowException();
        }
        out.put(firstByte(opcode, fin, rsv1));
        if (length == 2) {
            out.put((byte) payloadLength);
        } else if (length == 4) {
            out.put((byte) 126);
            out.put((byte) (payloadLength >>> 8));
            out.put((byte) payloadLength);
        } else {
            out.put((byte) 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.put((byte) (payloadLength >>> shift));
            }
        }
    }

    /**
     * Writes the header of a frame into {@code out} at {@code offset}.
     *
     * @return the index after the header
     */
    public static int writeHeader(byte[] out, int offset, int opcode, boolean fin, boolean rsv1, long payloadLength) {
        int length = headerLength(payloadLength);
        check(opcode, fin, rsv1, payloadLength);
        ByteBuffer buffer = ByteBuffer.wrap(out, offset, length);
        writeHeader(buffer, opcode, fin, rsv1, payloadLength);
        return offset + length;
    }

    /**
     * Writes a whole control frame (close, ping or pong): a pong echoes a ping's payload, and a close
     * echoing a close without status has an empty one.
     */
    public static void writeControlFrame(ByteBuffer out, int opcode, byte[] payload, int offset, int length) {
        if (!Opcodes.isControl(opcode)) {
            throw new IllegalArgumentException("not a control opcode: " + opcode);
        }
        if (out.remaining() < 2 + length) {
            throw new java.nio.BufferOverflowException();
        }
        writeHeader(out, opcode, true, false, length);
        out.put(payload, offset, length);
    }

    /** Writes a whole close frame with {@code code} and {@code reason} (cut to fit, see {@link #closePayload}). */
    public static void writeCloseFrame(ByteBuffer out, int code, String reason) {
        byte[] payload = closePayload(code, reason);
        writeControlFrame(out, Opcodes.CLOSE, payload, 0, payload.length);
    }

    /**
     * The payload of a close frame: the code, big-endian, then the reason in UTF-8, cut to at most
     * {@value #MAX_CLOSE_REASON_BYTES} bytes on a character boundary (a cut character would make the
     * peer fail the connection with 1007). An unpaired surrogate in the reason is sent as U+FFFD.
     *
     * @param code   a code {@link CloseCodes#isValidOnWire valid on the wire}
     * @param reason the reason, or {@code null} for none
     */
    public static byte[] closePayload(int code, String reason) {
        if (!CloseCodes.isValidOnWire(code)) {
            throw new IllegalArgumentException("close code not allowed on the wire: " + code);
        }
        byte[] reasonBytes = reason == null ? EMPTY : utf8Prefix(reason, MAX_CLOSE_REASON_BYTES);
        byte[] payload = new byte[2 + reasonBytes.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reasonBytes, 0, payload, 2, reasonBytes.length);
        return payload;
    }

    /** The UTF-8 encoding of the longest prefix of whole characters of {@code s} fitting {@code maxBytes}. */
    static byte[] utf8Prefix(String s, int maxBytes) {
        byte[] out = new byte[Math.min(maxBytes, s.length() * 3)];
        int n = 0;
        int i = 0;
        while (i < s.length()) {
            int c = s.codePointAt(i);
            int chars = Character.charCount(c);
            if (c >= 0xD800 && c <= 0xDFFF) {
                c = 0xFFFD;
            }
            int bytes = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
            if (n + bytes > maxBytes) {
                break;
            }
            if (bytes == 1) {
                out[n++] = (byte) c;
            } else if (bytes == 2) {
                out[n++] = (byte) (0xC0 | (c >>> 6));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else if (bytes == 3) {
                out[n++] = (byte) (0xE0 | (c >>> 12));
                out[n++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            } else {
                out[n++] = (byte) (0xF0 | (c >>> 18));
                out[n++] = (byte) (0x80 | ((c >>> 12) & 0x3F));
                out[n++] = (byte) (0x80 | ((c >>> 6) & 0x3F));
                out[n++] = (byte) (0x80 | (c & 0x3F));
            }
            i += chars;
        }
        return n == out.length ? out : java.util.Arrays.copyOf(out, n);
    }

    private static void check(int opcode, boolean fin, boolean rsv1, long payloadLength) {
        if (opcode < 0 || opcode > 0xF || Opcodes.isReserved(opcode)) {
            throw new IllegalArgumentException("invalid opcode: " + opcode);
        }
        if (Opcodes.isControl(opcode)) {
            if (!fin || rsv1 || payloadLength > FrameDecoder.MAX_CONTROL_PAYLOAD) {
                throw new IllegalArgumentException("control frames are final, uncompressed and at most 125 bytes");
            }
        } else if (rsv1 && opcode == Opcodes.CONTINUATION) {
            throw new IllegalArgumentException("RSV1 is only set on the first frame of a message");
        }
    }

    private static byte firstByte(int opcode, boolean fin, boolean rsv1) {
        return (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode);
    }
}
