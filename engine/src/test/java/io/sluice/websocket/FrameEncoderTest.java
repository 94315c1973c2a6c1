package io.sluice.websocket;

import static io.sluice.websocket.WsTestSupport.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FrameEncoderTest {

    private static byte[] header(int opcode, boolean fin, boolean rsv1, long length) {
        ByteBuffer out = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH).order(ByteOrder.LITTLE_ENDIAN);
        FrameEncoder.writeHeader(out, opcode, fin, rsv1, length);
        return Arrays.copyOf(out.array(), out.position());
    }

    @ParameterizedTest
    @CsvSource({
        "0, 80 00", "1, 80 01", "125, 80 7D", "126, 80 7E 00 7E", "65535, 80 7E FF FF",
        "65536, 80 7F 00 00 00 00 00 01 00 00", "4294967296, 80 7F 00 00 00 01 00 00 00 00",
        "9223372036854775807, 80 7F 7F FF FF FF FF FF FF FF",
    })
    void writesTheMinimalLengthEncodingUnmaskedAndBigEndian(long length, String hex) {
        byte[] expected = MessageAssemblerTest.hex(hex);
        expected[0] = (byte) 0x82;
        assertThat(header(Opcodes.BINARY, true, false, length)).isEqualTo(expected);
        assertThat(FrameEncoder.headerLength(length)).isEqualTo(expected.length);
        assertThat(expected[1] & 0x80).as("never masked").isZero();

        byte[] array = new byte[3 + expected.length];
        assertThat(FrameEncoder.writeHeader(array, 3, Opcodes.BINARY, true, false, length)).isEqualTo(array.length);
        assertThat(Arrays.copyOfRange(array, 3, array.length)).isEqualTo(expected);
    }

    @Test
    void writesFinRsv1AndOpcode() {
        assertThat(header(Opcodes.TEXT, false, true, 0)[0]).isEqualTo((byte) 0x41);
        assertThat(header(Opcodes.CONTINUATION, true, false, 0)[0]).isEqualTo((byte) 0x80);
        assertThat(header(Opcodes.PONG, true, false, 0)[0]).isEqualTo((byte) 0x8A);
    }

    @Test
    void refusesInvalidFrames() {
        assertThatThrownBy(() -> header(3, true, false, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(16, true, false, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(Opcodes.PING, false, false, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(Opcodes.PING, true, false, 126)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(Opcodes.CLOSE, true, true, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(Opcodes.CONTINUATION, true, true, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> header(Opcodes.BINARY, true, false, -1)).isInstanceOf(IllegalArgumentException.class);
        ByteBuffer small = ByteBuffer.allocate(3);
        assertThatThrownBy(() -> FrameEncoder.writeHeader(small, Opcodes.BINARY, true, false, 126))
                .isInstanceOf(BufferOverflowException.class);
        assertThat(small.position()).as("nothing half-written").isZero();
        assertThatThrownBy(() -> FrameEncoder.closePayload(1005, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameEncoder.closePayload(999, "")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void writesControlAndCloseFrames() {
        ByteBuffer out = ByteBuffer.allocate(200);
        FrameEncoder.writeCloseFrame(out, 1001, "bye");
        FrameEncoder.writeControlFrame(out, Opcodes.PONG, bytes(0, 1, 2, 3), 1, 2);
        FrameEncoder.writeControlFrame(out, Opcodes.CLOSE, new byte[0], 0, 0);
        assertThat(Arrays.copyOf(out.array(), out.position()))
                .isEqualTo(bytes(0x88, 5, 0x03, 0xE9, 'b', 'y', 'e', 0x8A, 2, 1, 2, 0x88, 0));
    }

    @Test
    void closeReasonsAreCutOnCharacterBoundaries() {
        assertThat(FrameEncoder.closePayload(1000, null)).isEqualTo(bytes(0x03, 0xE8));
        assertThat(FrameEncoder.closePayload(4000, "")).isEqualTo(bytes(0x0F, 0xA0));
        assertThat(reason(FrameEncoder.closePayload(1000, "a".repeat(200)))).isEqualTo("a".repeat(123));
        assertThat(reason(FrameEncoder.closePayload(1000, "é".repeat(62)))).isEqualTo("é".repeat(61));
        assertThat(reason(FrameEncoder.closePayload(1000, "€".repeat(41)))).isEqualTo("€".repeat(41));
        assertThat(reason(FrameEncoder.closePayload(1000, "€".repeat(42)))).isEqualTo("€".repeat(41));
        assertThat(reason(FrameEncoder.closePayload(1000, "𝄞".repeat(31)))).isEqualTo("𝄞".repeat(30));
        assertThat(FrameEncoder.closePayload(1000, "a\uD800b")).isEqualTo(bytes(0x03, 0xE8, 'a', 0xEF, 0xBF, 0xBD, 'b'));
    }

    @Test
    void anyReasonGivesAValidClosePayload() {
        PropertyCheck.forAll(500, random -> {
            String reason = Gen.unicode(random, 90);
            byte[] payload = FrameEncoder.closePayload(3000 + random.nextInt(2000), reason);
            assertThat(payload.length).isLessThanOrEqualTo(125);
            assertThat(Utf8Validator.isValid(payload, 2, payload.length)).isTrue();
            String sent = reason(payload);
            assertThat(reason).startsWith(sent);
            if (sent.length() < reason.length()) {
                int next = reason.codePointAt(sent.length());
                assertThat(payload.length - 2 + new String(Character.toChars(next)).getBytes(StandardCharsets.UTF_8).length)
                        .as("cut only when the next character does not fit").isGreaterThan(123);
            }
            // What we send, we accept.
            WsTestSupport.Harness harness = new WsTestSupport.Harness()
                    .feed(WsTestSupport.clientFrame(Opcodes.CLOSE, true, payload));
            assertThat(harness.events()).containsExactly(WsTestSupport.close(
                    ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF), sent));
        });
    }

    private static String reason(byte[] payload) {
        return new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
}
