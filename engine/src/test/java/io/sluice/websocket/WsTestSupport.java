package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

/** Client-side frame encoding, recording sinks and a decoding harness for the WebSocket codec tests. */
final class WsTestSupport {

    static final int MB = 1 << 20;

    private WsTestSupport() {
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** Byte-by-byte reference masking (RFC 6455 §5.3): byte i is XORed with key byte (phase + i) mod 4. */
    static void maskReference(byte[] bytes, int offset, int length, int maskKey, int phase) {
        for (int i = 0; i < length; i++) {
            int k = (phase + i) & 3;
            bytes[offset + i] ^= (byte) (maskKey >>> (24 - 8 * k));
        }
    }

    /** A frame as a client sends it: masked with {@code maskKey}, minimal length encoding. */
    static byte[] clientFrame(int opcode, boolean fin, boolean rsv1, byte[] payload, int maskKey) {
        return clientFrame((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode, payload, maskKey);
    }

    static byte[] clientFrame(int opcode, boolean fin, byte[] payload) {
        return clientFrame(opcode, fin, false, payload, 0x37FA213D);
    }

    /** A final frame with {@code firstByte} given raw (to set any RSV bits and opcodes). */
    static byte[] clientFrame(int firstByte, byte[] payload, int maskKey) {
        int length = payload.length;
        byte[] lengthBytes;
        if (length <= 125) {
            lengthBytes = bytes(0x80 | length);
        } else if (length <= 0xFFFF) {
            lengthBytes = bytes(0x80 | 126, length >>> 8, length);
        } else {
            lengthBytes = bytes(0x80 | 127, 0, 0, 0, 0, length >>> 24, length >>> 16, length >>> 8, length);
        }
        return rawFrame(firstByte, lengthBytes, maskKey, payload);
    }

    /** A frame with its length bytes (including the mask bit) given raw. */
    static byte[] rawFrame(int firstByte, byte[] lengthBytes, int maskKey, byte[] payload) {
        byte[] masked = payload.clone();
        maskReference(masked, 0, masked.length, maskKey, 0);
        return concat(bytes(firstByte), lengthBytes,
                bytes(maskKey >>> 24, maskKey >>> 16, maskKey >>> 8, maskKey), masked);
    }

    /** A close frame's payload: the code (big-endian) and the raw reason bytes. */
    static byte[] closePayload(int code, byte[] reason) {
        return concat(bytes(code >>> 8, code), reason);
    }

    /** What a {@link MessageSink} saw, as comparable values. */
    record Event(String kind, String value) {
        @Override
        public String toString() {
            return kind + ":" + (value.length() > 60 ? value.substring(0, 60) + "…(" + value.length() + ")" : value);
        }
    }

    static Event text(String s) {
        return new Event("text", s);
    }

    static Event binary(byte[] b) {
        return new Event("binary", Base64.getEncoder().encodeToString(b));
    }

    static Event ping(byte[] b) {
        return new Event("ping", Base64.getEncoder().encodeToString(b));
    }

    static Event pong(byte[] b) {
        return new Event("pong", Base64.getEncoder().encodeToString(b));
    }

    static Event close(int code, String reason) {
        return new Event("close", code + " " + reason);
    }

    /** Records messages. */
    static final class Recorder implements MessageSink {
        final List<Event> events = new ArrayList<>();

        @Override
        public void onText(String text) {
            events.add(text(text));
        }

        @Override
        public void onBinary(byte[] data) {
            events.add(binary(data));
        }

        @Override
        public void onPing(byte[] payload) {
            assertThat(payload.length).isLessThanOrEqualTo(125);
            events.add(ping(payload));
        }

        @Override
        public void onPong(byte[] payload) {
            assertThat(payload.length).isLessThanOrEqualTo(125);
            events.add(pong(payload));
        }

        @Override
        public void onClose(int code, String reason) {
            assertThat(code == CloseCodes.NO_STATUS || CloseCodes.isValidOnWire(code)).isTrue();
            events.add(close(code, reason));
        }
    }

    /** Decodes what it is fed, the way a connection would, and records the outcome. */
    static final class Harness {
        final FrameDecoder decoder;
        final MessageAssembler assembler;
        final Recorder recorder = new Recorder();
        /** Where the last decode call stopped, relative to the start of all bytes fed. */
        long consumed;
        private long fed;

        Harness(long maxFrameSize, int maxMessageSize, MessageInflater inflater) {
            decoder = new FrameDecoder(maxFrameSize, inflater != null);
            assembler = new MessageAssembler(maxMessageSize, inflater, recorder);
        }

        Harness() {
            this(MB, MB, null);
        }

        /** Decodes {@code wire} (copied first: it is unmasked in place) in one call. */
        Harness feed(byte[] wire) {
            return feed(wire, new int[0], null);
        }

        /**
         * Decodes {@code wire} cut at {@code points}, each piece in its own buffer at an offset chosen by
         * {@code random} (or 0), as reads into a reused buffer would present it.
         */
        Harness feed(byte[] wire, int[] points, Random random) {
            int from = 0;
            for (int i = 0; i <= points.length; i++) {
                int to = i < points.length ? points[i] : wire.length;
                int length = to - from;
                int pad = random == null ? 0 : random.nextInt(16);
                byte[] buffer = new byte[pad + length + (random == null ? 0 : random.nextInt(16))];
                System.arraycopy(wire, from, buffer, pad, length);
                int end = decoder.decode(buffer, pad, pad + length, assembler);
                assertThat(end).isBetween(pad, pad + length);
                boolean over = decoder.isFailed() || assembler.isStopped();
                if (!over) {
                    assertThat(end).as("consumes everything until it fails or stops").isEqualTo(pad + length);
                }
                consumed = fed + (end - pad);
                fed += length;
                from = to;
                if (over) {
                    break;
                }
            }
            return this;
        }

        /** The close code the connection fails with: the decoder's or the assembler's, or 0. */
        int failure() {
            if (decoder.isFailed()) {
                assertThat(assembler.isFailed()).isFalse();
                return decoder.closeCode();
            }
            return assembler.closeCode();
        }

        String failureReason() {
            return decoder.isFailed() ? decoder.failureReason() : assembler.failureReason();
        }

        List<Event> events() {
            return recorder.events;
        }

        /** Everything observable, for comparing two runs. */
        String outcome() {
            return recorder.events + " / " + failure() + " " + failureReason() + " / close " + assembler.isCloseReceived();
        }
    }

    /** An "inflater" that passes bytes through unchanged, and checks the call contract. */
    static final class IdentityInflater implements MessageInflater {
        int lastCalls;

        @Override
        public void inflate(byte[] in, int offset, int length, boolean lastOfMessage, InflateOutput out) {
            if (lastOfMessage) {
                lastCalls++;
            } else {
                assertThat(length).isPositive();
            }
            // Hand the output over in pieces, as a real inflater with a small buffer would.
            int p = offset;
            while (p < offset + length) {
                int n = Math.min(7, offset + length - p);
                out.write(in, p, n);
                p += n;
            }
        }
    }

    /** The real permessage-deflate inflater, counting what it produces. */
    static final class CountingDeflateInflater implements MessageInflater {
        private final DeflateInflater inflater = new DeflateInflater(false);
        long produced;

        @Override
        public void inflate(byte[] in, int offset, int length, boolean lastOfMessage, InflateOutput out)
                throws DataFormatException {
            inflater.inflate(in, offset, length, lastOfMessage, (bytes, off, len) -> {
                produced += len;
                out.write(bytes, off, len);
            });
        }
    }

    /**
     * A message compressed as permessage-deflate sends it (raw deflate, sync flush, tail removed), with
     * java.util.zip directly, independently of {@link MessageDeflater}.
     */
    static byte[] deflate(byte[] message) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(message);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        int n;
        do {
            n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        deflater.end();
        byte[] all = out.toByteArray();
        assertThat(Arrays.copyOfRange(all, all.length - 4, all.length)).isEqualTo(bytes(0, 0, 0xFF, 0xFF));
        return Arrays.copyOf(all, all.length - 4);
    }
}
