package io.sluice.websocket;

import static io.sluice.websocket.WsTestSupport.bytes;
import static io.sluice.websocket.WsTestSupport.clientFrame;
import static io.sluice.websocket.WsTestSupport.concat;
import static io.sluice.websocket.WsTestSupport.rawFrame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FrameDecoderTest {

    private static final int KEY = 0x9A3C_51E7;

    /** Records frames as "start …", the payload of each frame, and "end". */
    static final class Frames implements FrameSink {
        final List<String> events = new ArrayList<>();
        final List<byte[]> payloads = new ArrayList<>();
        private ByteArrayOutputStream current;
        boolean stopAfterFrame;
        private boolean stopped;

        @Override
        public void onFrameStart(int opcode, boolean fin, boolean rsv1, long payloadLength) {
            assertThat(current).as("frames do not nest").isNull();
            events.add("start " + opcode + " " + fin + " " + rsv1 + " " + payloadLength);
            current = new ByteArrayOutputStream();
        }

        @Override
        public void onPayload(byte[] bytes, int offset, int length) {
            assertThat(length).isPositive();
            current.write(bytes, offset, length);
        }

        @Override
        public void onFrameEnd() {
            events.add("end");
            payloads.add(current.toByteArray());
            current = null;
            stopped = stopAfterFrame;
        }

        @Override
        public boolean isStopped() {
            return stopped;
        }
    }

    private static FrameDecoder decoder() {
        return new FrameDecoder(1 << 20, false);
    }

    /** Decodes {@code wire} (a copy) in one call; returns the end index. */
    private static int decode(FrameDecoder decoder, byte[] wire, Frames frames) {
        return decoder.decode(wire.clone(), 0, wire.length, frames);
    }

    private static Frames decodeOk(byte[] wire) {
        FrameDecoder decoder = decoder();
        Frames frames = new Frames();
        assertThat(decode(decoder, wire, frames)).isEqualTo(wire.length);
        assertThat(decoder.isFailed()).as("%s", decoder.failureReason()).isFalse();
        assertThat(decoder.isInsideFrame()).isFalse();
        return frames;
    }

    private static FrameDecoder failure(FrameDecoder decoder, byte[] wire, int code) {
        Frames frames = new Frames();
        decode(decoder, wire, frames);
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decoder.closeCode()).isEqualTo(code);
        assertThat(decoder.failureReason()).isNotBlank();
        assertThat(frames.events).as("nothing of a refused frame reaches the sink").isEmpty();
        return decoder;
    }

    private static FrameDecoder failure(byte[] wire, int code) {
        return failure(decoder(), wire, code);
    }

    private static byte[] payload(int length) {
        byte[] payload = new byte[length];
        new Random(length).nextBytes(payload);
        return payload;
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 7, 8, 9, 125, 126, 127, 65535, 65536, 70001})
    void decodesPayloadLengthsWithTheirHeaderLengths(int length) {
        byte[] payload = payload(length);
        byte[] wire = clientFrame(Opcodes.BINARY, true, false, payload, KEY);
        int headerLength = length <= 125 ? 6 : length <= 65535 ? 8 : 14;
        assertThat(wire.length).isEqualTo(headerLength + length);

        Frames frames = decodeOk(wire);
        assertThat(frames.events).containsExactly("start 2 true false " + length, "end");
        assertThat(frames.payloads.get(0)).isEqualTo(payload);
    }

    @Test
    void decodesFramesSplitAtEveryByte() {
        byte[] wire = concat(
                clientFrame(Opcodes.TEXT, false, false, payload(200), KEY),
                clientFrame(Opcodes.PING, true, false, payload(3), 0x01020304),
                clientFrame(Opcodes.CONTINUATION, true, false, payload(0), KEY),
                clientFrame(Opcodes.BINARY, true, false, payload(70000), 0xFFFFFFFF));
        Frames whole = decodeOk(wire);
        assertThat(whole.events).containsExactly("start 1 false false 200", "end", "start 9 true false 3", "end",
                "start 0 true false 0", "end", "start 2 true false 70000", "end");

        FrameDecoder decoder = decoder();
        Frames bytewise = new Frames();
        byte[] copy = wire.clone();
        for (int i = 0; i < copy.length; i++) {
            assertThat(decoder.decode(copy, i, i + 1, bytewise)).isEqualTo(i + 1);
        }
        assertThat(bytewise.events).isEqualTo(whole.events);
        for (int i = 0; i < whole.payloads.size(); i++) {
            assertThat(bytewise.payloads.get(i)).isEqualTo(whole.payloads.get(i));
        }
    }

    @Test
    void unmasksAtEveryOffsetAndPhase() {
        Random random = new Random(42);
        for (int offset = 0; offset < 16; offset++) {
            for (int length = 0; length <= 40; length++) {
                for (int phase = 0; phase < 4; phase++) {
                    int key = random.nextInt();
                    byte[] original = new byte[offset + length + 9];
                    random.nextBytes(original);
                    byte[] expected = original.clone();
                    WsTestSupport.maskReference(expected, offset, length, key, phase);
                    byte[] actual = original.clone();
                    int next = FrameDecoder.unmask(actual, offset, length, key, phase);
                    assertThat(actual).as("offset %d length %d phase %d", offset, length, phase).isEqualTo(expected);
                    assertThat(next).isEqualTo((phase + length) % 4);
                }
            }
        }
    }

    @Test
    void payloadAtEveryBufferOffsetAndSplit() {
        byte[] payload = payload(37);
        byte[] wire = clientFrame(Opcodes.BINARY, true, false, payload, KEY);
        for (int offset = 0; offset < 9; offset++) {
            for (int cut = 6; cut <= wire.length; cut++) {
                byte[] buffer = new byte[offset + wire.length];
                System.arraycopy(wire, 0, buffer, offset, wire.length);
                FrameDecoder decoder = decoder();
                Frames frames = new Frames();
                decoder.decode(buffer, offset, offset + cut, frames);
                decoder.decode(buffer, offset + cut, buffer.length, frames);
                assertThat(frames.payloads.get(0)).isEqualTo(payload);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
    void refusesReservedOpcodes(int opcode) {
        failure(clientFrame(0x80 | opcode, new byte[0], KEY), CloseCodes.PROTOCOL_ERROR);
        failure(clientFrame(0x00 | opcode, new byte[0], KEY), CloseCodes.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {0x20, 0x10, 0x30, 0x70, 0x60, 0x50})
    void refusesRsv2AndRsv3EvenWithAnExtension(int bits) {
        failure(clientFrame(0x80 | bits | Opcodes.TEXT, bytes('a'), KEY), CloseCodes.PROTOCOL_ERROR);
        failure(new FrameDecoder(1 << 20, true), clientFrame(0x80 | bits | Opcodes.TEXT, bytes('a'), KEY),
                CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void rsv1OnlyWithAnExtensionAndOnlyOnTheFirstDataFrame() {
        failure(clientFrame(Opcodes.TEXT, true, true, bytes('a'), KEY), CloseCodes.PROTOCOL_ERROR);
        failure(clientFrame(Opcodes.BINARY, true, true, bytes('a'), KEY), CloseCodes.PROTOCOL_ERROR);

        FrameDecoder deflate = new FrameDecoder(1 << 20, true);
        Frames frames = new Frames();
        byte[] wire = concat(clientFrame(Opcodes.TEXT, false, true, bytes('a'), KEY),
                clientFrame(Opcodes.CONTINUATION, true, false, bytes('b'), KEY),
                clientFrame(Opcodes.BINARY, true, true, bytes('c'), KEY));
        assertThat(decode(deflate, wire, frames)).isEqualTo(wire.length);
        assertThat(frames.events).containsExactly("start 1 false true 1", "end", "start 0 true false 1", "end",
                "start 2 true true 1", "end");

        for (int opcode : new int[] {Opcodes.CONTINUATION, Opcodes.CLOSE, Opcodes.PING, Opcodes.PONG}) {
            failure(new FrameDecoder(1 << 20, true), clientFrame(opcode, true, true, new byte[0], KEY),
                    CloseCodes.PROTOCOL_ERROR);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcodes.CLOSE, Opcodes.PING, Opcodes.PONG})
    void refusesFragmentedOrLongControlFrames(int opcode) {
        failure(clientFrame(opcode, false, false, new byte[0], KEY), CloseCodes.PROTOCOL_ERROR);
        failure(clientFrame(opcode, true, false, payload(126), KEY), CloseCodes.PROTOCOL_ERROR);
        // Refused at the length byte, before any extended length or key arrives.
        FrameDecoder decoder = decoder();
        assertThat(decoder.decode(bytes(0x80 | opcode, 0xFE), 0, 2, new Frames())).isEqualTo(1);
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decodeOk(clientFrame(opcode, true, false, payload(125), KEY)).events)
                .containsExactly("start " + opcode + " true false 125", "end");
    }

    @Test
    void refusesUnmaskedFrames() {
        FrameDecoder decoder = failure(bytes(0x81, 0x01, 'a'), CloseCodes.PROTOCOL_ERROR);
        assertThat(decoder.failureReason()).contains("unmasked");
        failure(bytes(0x81, 0x00), CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void refusesNonMinimalLengths() {
        for (int length : new int[] {0, 1, 125}) {
            byte[] wire = rawFrame(0x82, bytes(0xFE, 0, length), KEY, payload(length));
            failure(wire, CloseCodes.PROTOCOL_ERROR);
        }
        assertThat(decodeOk(rawFrame(0x82, bytes(0xFE, 0, 126), KEY, payload(126))).events)
                .containsExactly("start 2 true false 126", "end");
        for (int length : new int[] {0, 125, 126, 65535}) {
            byte[] wire = rawFrame(0x82, bytes(0xFF, 0, 0, 0, 0, 0, 0, length >>> 8, length), KEY, payload(length));
            failure(wire, CloseCodes.PROTOCOL_ERROR);
        }
        assertThat(decodeOk(rawFrame(0x82, bytes(0xFF, 0, 0, 0, 0, 0, 1, 0, 0), KEY, payload(65536))).events)
                .containsExactly("start 2 true false 65536", "end");
    }

    @Test
    void refusesA64BitLengthWithTheHighBitAtItsFirstByte() {
        FrameDecoder decoder = decoder();
        byte[] wire = bytes(0x82, 0xFF, 0x80, 0, 0, 0, 0, 0, 0, 0);
        assertThat(decoder.decode(wire, 0, wire.length, new Frames())).isEqualTo(2);
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decoder.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        failure(new FrameDecoder(Long.MAX_VALUE, false), bytes(0x82, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
                CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void refusesFramesAboveTheLimitFromTheHeader() {
        FrameDecoder decoder = new FrameDecoder(1000, false);
        Frames frames = new Frames();
        byte[] atLimit = clientFrame(Opcodes.BINARY, true, false, payload(1000), KEY);
        assertThat(decode(decoder, atLimit, frames)).isEqualTo(atLimit.length);
        assertThat(decoder.isFailed()).isFalse();

        byte[] header = bytes(0x82, 0xFE, 1001 >>> 8, 1001 & 0xFF);
        int end = decoder.decode(header, 0, header.length, frames);
        assertThat(decoder.isFailed()).isTrue();
        assertThat(decoder.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        assertThat(end).isEqualTo(3);
        assertThat(frames.events).hasSize(2);

        failure(new FrameDecoder(125, false), bytes(0x82, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF),
                CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void failureIsFinal() {
        FrameDecoder decoder = failure(bytes(0x83, 0x80, 0, 0, 0, 0), CloseCodes.PROTOCOL_ERROR);
        Frames frames = new Frames();
        byte[] good = clientFrame(Opcodes.TEXT, true, false, bytes('a'), KEY);
        assertThat(decoder.decode(good, 0, good.length, frames)).isZero();
        assertThat(frames.events).isEmpty();
        assertThat(decoder.isFailed()).isTrue();
    }

    @Test
    void stopsWhenTheSinkStops() {
        byte[] first = clientFrame(Opcodes.CLOSE, true, false, new byte[0], KEY);
        byte[] wire = concat(first, clientFrame(Opcodes.TEXT, true, false, bytes('a'), KEY));
        Frames frames = new Frames();
        frames.stopAfterFrame = true;
        FrameDecoder decoder = decoder();
        assertThat(decode(decoder, wire, frames)).isEqualTo(first.length);
        assertThat(frames.events).containsExactly("start 8 true false 0", "end");
        assertThat(decoder.decode(wire.clone(), first.length, wire.length, frames)).isEqualTo(first.length);
        assertThat(frames.events).hasSize(2);
    }

    @Test
    void reportsWhetherAFrameIsOpen() {
        FrameDecoder decoder = decoder();
        byte[] wire = clientFrame(Opcodes.TEXT, true, false, bytes('a', 'b'), KEY);
        decoder.decode(wire, 0, 1, new Frames());
        assertThat(decoder.isInsideFrame()).isTrue();
        decoder.decode(wire, 1, wire.length, new Frames());
        assertThat(decoder.isInsideFrame()).isFalse();
    }

    @Test
    void aSmallLimitAppliesToDataFramesOnly() {
        FrameDecoder decoder = new FrameDecoder(10, false);
        Frames frames = new Frames();
        byte[] wire = concat(clientFrame(Opcodes.BINARY, true, false, payload(10), KEY),
                clientFrame(Opcodes.PING, true, false, payload(125), KEY),
                clientFrame(Opcodes.CLOSE, true, false, payload(125), KEY));
        assertThat(decode(decoder, wire, frames)).isEqualTo(wire.length);
        assertThat(frames.events).hasSize(6);

        byte[] tooBig = clientFrame(Opcodes.TEXT, true, false, payload(11), KEY);
        assertThat(new FrameDecoder(10, false).decode(tooBig, 0, tooBig.length, frames)).isEqualTo(1);
        failure(new FrameDecoder(10, false), tooBig, CloseCodes.MESSAGE_TOO_BIG);
        failure(new FrameDecoder(0, false), clientFrame(Opcodes.TEXT, true, false, payload(1), KEY),
                CloseCodes.MESSAGE_TOO_BIG);
        assertThatThrownBy(() -> new FrameDecoder(-1, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
