package io.sluice.websocket;

import static io.sluice.websocket.WsTestSupport.binary;
import static io.sluice.websocket.WsTestSupport.bytes;
import static io.sluice.websocket.WsTestSupport.clientFrame;
import static io.sluice.websocket.WsTestSupport.close;
import static io.sluice.websocket.WsTestSupport.closePayload;
import static io.sluice.websocket.WsTestSupport.concat;
import static io.sluice.websocket.WsTestSupport.ping;
import static io.sluice.websocket.WsTestSupport.pong;
import static io.sluice.websocket.WsTestSupport.text;
import static io.sluice.websocket.WsTestSupport.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.websocket.WsTestSupport.Harness;
import io.sluice.websocket.WsTestSupport.IdentityInflater;
import io.sluice.websocket.WsTestSupport.CountingDeflateInflater;
import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageAssemblerTest {

    private static final int T = Opcodes.TEXT;
    private static final int B = Opcodes.BINARY;
    private static final int C = Opcodes.CONTINUATION;

    private static byte[] frame(int opcode, boolean fin, byte[] payload) {
        return clientFrame(opcode, fin, payload);
    }

    private static byte[] compressedFrame(int opcode, boolean fin, byte[] payload) {
        return clientFrame(opcode, fin, true, payload, 0x11223344);
    }

    private static Harness ok(byte[] wire) {
        Harness harness = new Harness().feed(wire);
        assertThat(harness.failure()).as("%s", harness.failureReason()).isZero();
        return harness;
    }

    private static Harness failing(byte[] wire, int code) {
        return failing(new Harness(), wire, code);
    }

    private static Harness failing(Harness harness, byte[] wire, int code) {
        harness.feed(wire);
        assertThat(harness.failure()).as("%s", harness.outcome()).isEqualTo(code);
        assertThat(harness.failureReason()).isNotBlank();
        assertThat(harness.assembler.isStopped()).isEqualTo(harness.assembler.isFailed());
        return harness;
    }

    @Test
    void deliversWholeMessages() {
        Harness harness = ok(concat(frame(T, true, utf8("héllo €𝄞")), frame(B, true, bytes(1, 2, 3))));
        assertThat(harness.events()).containsExactly(text("héllo €𝄞"), binary(bytes(1, 2, 3)));
        assertThat(harness.assembler.bufferCapacity()).as("released after the message").isZero();
    }

    @Test
    void assemblesFragmentsWithControlFramesBetween() {
        byte[] wire = concat(
                frame(T, false, utf8("one ")),
                frame(Opcodes.PING, true, bytes(9)),
                frame(C, false, new byte[0]),
                frame(Opcodes.PONG, true, new byte[0]),
                frame(C, true, utf8("two")),
                frame(B, false, bytes(1)),
                frame(C, false, bytes(2)),
                frame(C, true, bytes(3)));
        assertThat(ok(wire).events()).containsExactly(ping(bytes(9)), pong(new byte[0]), text("one two"),
                binary(bytes(1, 2, 3)));
    }

    @Test
    void emptyMessagesAllocateNothing() {
        Harness harness = new Harness();
        harness.feed(concat(frame(T, false, new byte[0]), frame(C, true, new byte[0])));
        harness.feed(frame(B, true, new byte[0]));
        assertThat(harness.events()).containsExactly(text(""), binary(new byte[0]));
        assertThat(harness.assembler.bufferCapacity()).isZero();
    }

    @Test
    void aDeclaredLengthIsNotAllocatedUpFront() {
        Harness harness = new Harness(16 * WsTestSupport.MB, 16 * WsTestSupport.MB, null);
        byte[] wire = frame(B, true, new byte[8 * WsTestSupport.MB]);
        harness.feed(Arrays.copyOf(wire, 14 + 10));
        assertThat(harness.assembler.bufferCapacity()).isBetween(10, 256);
    }

    @Test
    void aSingleFrameMessageIsHeldAtItsExactSize() {
        Harness harness = new Harness();
        byte[] payload = new byte[100_000];
        byte[] wire = frame(B, true, payload);
        harness.feed(Arrays.copyOf(wire, 5000));
        harness.feed(Arrays.copyOfRange(wire, 5000, wire.length - 1));
        assertThat(harness.assembler.bufferCapacity()).isLessThanOrEqualTo(payload.length);
        harness.feed(Arrays.copyOfRange(wire, wire.length - 1, wire.length));
        assertThat(harness.events()).containsExactly(binary(payload));
    }

    @Test
    void aMessageInOnePieceIsDeliveredWithoutAMessageBuffer() {
        byte[] data = new byte[3000];
        new Random(1).nextBytes(data);
        String text = "héllo €𝄞 ".repeat(100);
        Harness harness = ok(concat(frame(B, true, data), frame(T, true, utf8(text)), frame(T, true, utf8("\uFFFD"))));
        assertThat(harness.events()).containsExactly(binary(data), text(text), text("\uFFFD"));
        assertThat(harness.assembler.bufferCapacity()).isZero();
        assertThat(harness.assembler.lastMessageSize()).isEqualTo(3);
    }

    @Test
    void aBinaryMessageInOnePieceIsTheReceiversOwnCopy() {
        List<byte[]> received = new ArrayList<>();
        MessageAssembler assembler = new MessageAssembler(1000, null, new MessageSink() {
            @Override
            public void onBinary(byte[] data) {
                received.add(data);
            }

            @Override
            public void onText(String text) {
                throw new AssertionError(text);
            }

            @Override
            public void onPing(byte[] payload) {
                throw new AssertionError();
            }

            @Override
            public void onPong(byte[] payload) {
                throw new AssertionError();
            }

            @Override
            public void onClose(int code, String reason) {
                throw new AssertionError(code);
            }
        });
        byte[] read = frame(B, true, bytes(1, 2, 3, 4, 5));
        new FrameDecoder(1000, false).decode(read, 0, read.length, assembler);
        Arrays.fill(read, (byte) 0); // the connection reuses its read buffer
        assertThat(received).hasSize(1);
        assertThat(received.get(0)).containsExactly(1, 2, 3, 4, 5);
    }

    /**
     * A text message taken whole from one read is decoded in the same pass that checks it; it must
     * come out exactly as the same bytes arriving in pieces (checked byte by byte as they come): the
     * same string, or 1007, for text that contains U+FFFD too, rightly or next to damage.
     */
    @Test
    void textInOnePieceIsJudgedLikeTextInPieces() {
        PropertyCheck.forAll(2000, random -> {
            byte[] text = damagedText(random);
            byte[] wire = frame(T, true, text);
            Harness whole = new Harness().feed(wire);
            Harness pieces = new Harness().feed(wire, new int[] {wire.length - text.length / 2 - 1}, random);
            assertThat(whole.outcome()).isEqualTo(pieces.outcome());
            if (jdkAccepts(text)) {
                assertThat(whole.events()).containsExactly(text(new String(text, StandardCharsets.UTF_8)));
            } else {
                assertThat(whole.failure()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
                assertThat(whole.events()).isEmpty();
            }
        });
    }

    /** Text with U+FFFD now and then, and often one damaged or stray byte. */
    private static byte[] damagedText(Random random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int pieces = Gen.size(random, 1, 12);
        for (int i = 0; i < pieces; i++) {
            switch (random.nextInt(6)) {
                case 0 -> out.writeBytes(utf8("\uFFFD"));
                case 1 -> out.write(Gen.oneOf(random, 0x80, 0xBF, 0xC0, 0xC1, 0xE0, 0xED, 0xF0, 0xF4, 0xF5, 0xFF));
                case 2 -> out.write(random.nextInt(256));
                default -> out.writeBytes(utf8(Gen.unicode(random, 20)));
            }
        }
        return out.toByteArray();
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void refusesAContinuationWithoutAMessage() {
        failing(frame(C, true, utf8("x")), CloseCodes.PROTOCOL_ERROR);
        failing(concat(frame(T, true, utf8("a")), frame(C, true, utf8("x"))), CloseCodes.PROTOCOL_ERROR);
    }

    @ParameterizedTest
    @ValueSource(ints = {Opcodes.TEXT, Opcodes.BINARY})
    void refusesANewMessageInsideAFragmentedOne(int second) {
        failing(concat(frame(T, false, utf8("a")), frame(second, true, utf8("b"))), CloseCodes.PROTOCOL_ERROR);
        failing(concat(frame(B, false, utf8("a")), frame(second, false, utf8("b"))), CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void refusesMessagesAboveTheLimitAsSoonAsAFrameHeaderSaysSo() {
        Harness atLimit = new Harness(1000, 1000, null)
                .feed(concat(frame(B, false, new byte[600]), frame(C, true, new byte[400])));
        assertThat(atLimit.events()).containsExactly(binary(new byte[1000]));

        byte[] first = frame(B, false, new byte[600]);
        byte[] second = frame(C, true, new byte[401]);
        Harness over = failing(new Harness(1000, 1000, null), concat(first, second), CloseCodes.MESSAGE_TOO_BIG);
        assertThat(over.consumed).as("stopped at the header, before the payload").isEqualTo(first.length + 8);
        assertThat(over.assembler.bufferCapacity()).isZero();
    }

    @Test
    void zeroMessageLimitAcceptsOnlyEmptyMessages() {
        Harness harness = new Harness(125, 0, null).feed(concat(frame(T, true, new byte[0]), frame(B, true, bytes(1))));
        assertThat(harness.events()).containsExactly(text(""));
        assertThat(harness.failure()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
    }

    @Test
    void validatesUtf8AcrossFragmentsAndReads() {
        byte[] euro = utf8("€"); // E2 82 AC
        byte[] wire = concat(frame(T, false, bytes(euro[0])), frame(C, false, bytes(euro[1])),
                frame(C, true, concat(bytes(euro[2]), utf8("𝄞"))));
        for (int cut = 1; cut < wire.length; cut++) {
            Harness harness = new Harness().feed(wire, new int[] {cut}, null);
            assertThat(harness.events()).containsExactly(text("€𝄞"));
        }
    }

    @Test
    void failsAtTheFirstInvalidByteNotAtTheMessageEnd() {
        // E2 then 28: invalid in the second fragment of a message that has not ended.
        byte[] first = frame(T, false, bytes(0xE2));
        byte[] second = frame(C, false, bytes(0x28, 'a', 'b'));
        Harness harness = failing(concat(first, second), CloseCodes.INVALID_PAYLOAD);
        assertThat(harness.events()).isEmpty();

        // Within one frame whose end has not arrived.
        byte[] frame = frame(T, true, concat(utf8("abc"), bytes(0xC0, 0x80), new byte[1000]));
        Harness partial = new Harness().feed(Arrays.copyOf(frame, 8 + 10));
        assertThat(partial.failure()).isEqualTo(CloseCodes.INVALID_PAYLOAD);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "C0 80", "C1 BF", "E0 80 80", "E0 9F BF", "F0 80 80 80", "F0 8F BF BF", // overlong
        "ED A0 80", "ED AF BF", "ED B0 80", "ED BF BF",                           // surrogates
        "F4 90 80 80", "F5 80 80 80", "FF", "FE",                                // above U+10FFFF, never used
        "80", "BF", "C2 41", "E1 80 41", "F1 80 80 41",                          // bad continuation
        "C2", "E1 80", "F0 90 80",                                                // truncated at message end
    })
    void refusesInvalidUtf8WhereverItIsSplit(String hex) {
        byte[] bad = hex(hex);
        byte[] text = concat(utf8("ok "), bad);
        for (int cut = 0; cut <= text.length; cut++) {
            byte[] wire = concat(frame(T, false, Arrays.copyOf(text, cut)),
                    frame(C, true, Arrays.copyOfRange(text, cut, text.length)));
            for (int read = 1; read < wire.length; read += 3) {
                Harness harness = new Harness().feed(wire, new int[] {read}, null);
                assertThat(harness.failure()).as("cut %d read %d", cut, read).isEqualTo(CloseCodes.INVALID_PAYLOAD);
                assertThat(harness.events()).isEmpty();
            }
        }
    }

    @Test
    void closeWithoutPayloadReportsNoStatus() {
        Harness harness = ok(frame(Opcodes.CLOSE, true, new byte[0]));
        assertThat(harness.events()).containsExactly(close(1005, ""));
        assertThat(harness.assembler.isCloseReceived()).isTrue();
        assertThat(harness.assembler.isStopped()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999})
    void acceptsValidCloseCodes(int code) {
        Harness harness = ok(frame(Opcodes.CLOSE, true, closePayload(code, utf8("bye ✓"))));
        assertThat(harness.events()).containsExactly(close(code, "bye ✓"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 0xFFFF})
    void refusesInvalidCloseCodes(int code) {
        failing(frame(Opcodes.CLOSE, true, closePayload(code, new byte[0])), CloseCodes.PROTOCOL_ERROR);
    }

    @Test
    void refusesAOneByteClosePayloadAndAnInvalidReason() {
        failing(frame(Opcodes.CLOSE, true, bytes(0x03)), CloseCodes.PROTOCOL_ERROR);
        failing(frame(Opcodes.CLOSE, true, closePayload(1000, bytes('a', 0xC3))), CloseCodes.INVALID_PAYLOAD);
        failing(frame(Opcodes.CLOSE, true, closePayload(1000, bytes(0xED, 0xA0, 0x80))), CloseCodes.INVALID_PAYLOAD);
        Harness maximal = ok(frame(Opcodes.CLOSE, true, closePayload(1000, utf8("r".repeat(123)))));
        assertThat(maximal.events()).containsExactly(close(1000, "r".repeat(123)));
    }

    @Test
    void nothingIsReadAfterAClose() {
        byte[] close = frame(Opcodes.CLOSE, true, closePayload(1000, new byte[0]));
        Harness harness = ok(concat(frame(T, false, utf8("a")), close, frame(C, true, utf8("b")), bytes(0xFF, 0xFF)));
        assertThat(harness.events()).containsExactly(close(1000, ""));
        assertThat(harness.consumed).isEqualTo(7 + close.length);
        assertThat(harness.assembler.isInsideMessage()).isTrue();
    }

    @Test
    void deliversPingsAndPongsOfEverySize() {
        for (int length : new int[] {0, 1, 124, 125}) {
            byte[] payload = new byte[length];
            Arrays.fill(payload, (byte) length);
            Harness harness = ok(concat(frame(Opcodes.PING, true, payload), frame(Opcodes.PONG, true, payload)));
            assertThat(harness.events()).containsExactly(ping(payload), pong(payload));
        }
    }

    @Test
    void compressedMessagesGoThroughTheInflater() {
        IdentityInflater inflater = new IdentityInflater();
        Harness harness = new Harness(WsTestSupport.MB, 100, inflater);
        byte[] wire = concat(
                compressedFrame(T, false, utf8("compressed ")),
                frame(Opcodes.PING, true, new byte[0]),
                frame(C, true, utf8("text")),
                frame(B, true, bytes(1, 2)),
                compressedFrame(B, true, new byte[0]));
        harness.feed(wire, new int[] {3, 20, 21}, null);
        assertThat(harness.failure()).isZero();
        assertThat(harness.events()).containsExactly(ping(new byte[0]), text("compressed text"), binary(bytes(1, 2)),
                binary(new byte[0]));
        assertThat(inflater.lastCalls).as("one final call per compressed message").isEqualTo(2);
    }

    @Test
    void theDecompressedSizeCountsAgainstTheLimit() {
        Harness harness = new Harness(WsTestSupport.MB, 10, new IdentityInflater());
        failing(harness, compressedFrame(B, true, new byte[11]), CloseCodes.MESSAGE_TOO_BIG);

        // A zip bomb: 1 MB of compressed zeros would inflate to far more than allowed; inflation stops at the limit.
        byte[] bomb = WsTestSupport.deflate(new byte[64 * WsTestSupport.MB]);
        assertThat(bomb.length).isLessThan(100_000);
        CountingDeflateInflater zip = new CountingDeflateInflater();
        Harness bombed = new Harness(WsTestSupport.MB, 100_000, zip);
        failing(bombed, compressedFrame(B, true, bomb), CloseCodes.MESSAGE_TOO_BIG);
        assertThat(zip.produced).as("stopped within a chunk of the limit").isLessThanOrEqualTo(100_000 + DeflateInflater.CHUNK_SIZE);
    }

    @Test
    void realDeflateRoundTrip() {
        String message = "The quick brown fox ✓ jumps over the lazy dog 𝄞. ".repeat(300);
        byte[] compressed = WsTestSupport.deflate(utf8(message));
        int third = compressed.length / 3;
        byte[] wire = concat(
                compressedFrame(T, false, Arrays.copyOf(compressed, third)),
                frame(Opcodes.PING, true, bytes(7)),
                frame(C, false, Arrays.copyOfRange(compressed, third, 2 * third)),
                frame(C, true, Arrays.copyOfRange(compressed, 2 * third, compressed.length)),
                compressedFrame(B, true, WsTestSupport.deflate(bytes(1, 2, 3))));
        for (int cut = 1; cut < wire.length; cut += 17) {
            Harness harness = new Harness(WsTestSupport.MB, WsTestSupport.MB, new CountingDeflateInflater())
                    .feed(wire, new int[] {cut}, null);
            assertThat(harness.failure()).isZero();
            assertThat(harness.events()).containsExactly(ping(bytes(7)), text(message), binary(bytes(1, 2, 3)));
        }
    }

    @Test
    void compressedTextIsValidatedAfterInflation() {
        byte[] compressed = WsTestSupport.deflate(bytes('a', 0xED, 0xA0, 0x80));
        failing(new Harness(WsTestSupport.MB, WsTestSupport.MB, new CountingDeflateInflater()), compressedFrame(T, true, compressed),
                CloseCodes.INVALID_PAYLOAD);
    }

    @Test
    void undecompressableDataFailsWith1007() {
        failing(new Harness(WsTestSupport.MB, WsTestSupport.MB, new CountingDeflateInflater()),
                compressedFrame(B, true, bytes(0xFF, 0xFF, 0xFF, 0xFF)), CloseCodes.INVALID_PAYLOAD);
        MessageInflater throwing = (in, offset, length, last, out) -> {
            throw new DataFormatException("bad");
        };
        failing(new Harness(WsTestSupport.MB, WsTestSupport.MB, throwing), compressedFrame(T, true, new byte[0]),
                CloseCodes.INVALID_PAYLOAD);
    }

    @Test
    void compressionWithoutAnInflaterIsAProtocolError() {
        // The decoder allows RSV1 (it was told so), but the assembler has nothing to decompress with.
        FrameDecoder decoder = new FrameDecoder(WsTestSupport.MB, true);
        WsTestSupport.Recorder recorder = new WsTestSupport.Recorder();
        MessageAssembler assembler = new MessageAssembler(WsTestSupport.MB, (MessageInflater) null, recorder);
        byte[] wire = compressedFrame(T, true, utf8("x"));
        decoder.decode(wire, 0, wire.length, assembler);
        assertThat(assembler.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
        assertThat(recorder.events).isEmpty();
    }

    @Test
    void worksWithTheDeflateInflaterAndMessageDeflaterDirectly() {
        WsTestSupport.Recorder recorder = new WsTestSupport.Recorder();
        DeflateInflater inflater = new DeflateInflater(true);
        MessageAssembler assembler = new MessageAssembler(1000, inflater, recorder);
        FrameDecoder decoder = new FrameDecoder(WsTestSupport.MB, true);
        MessageDeflater deflater = new MessageDeflater(6, true);
        String big = "ab".repeat(501);
        byte[] wire = concat(compressedFrame(T, true, deflater.deflate(utf8("first"))),
                compressedFrame(B, true, deflater.deflate(new byte[0])),
                compressedFrame(T, true, deflater.deflate(utf8(big))));
        decoder.decode(wire, 0, wire.length, assembler);
        assertThat(recorder.events).containsExactly(text("first"), binary(new byte[0]));
        assertThat(assembler.closeCode()).isEqualTo(CloseCodes.MESSAGE_TOO_BIG);
        inflater.release();
        deflater.release();

        MessageAssembler plain = new MessageAssembler(10, (MessageInflater) null, recorder);
        FrameDecoder plainDecoder = new FrameDecoder(10, false);
        byte[] compressed = compressedFrame(T, true, utf8("x"));
        plainDecoder.decode(compressed, 0, compressed.length, plain);
        assertThat(plainDecoder.closeCode()).isEqualTo(CloseCodes.PROTOCOL_ERROR);
    }

    static byte[] hex(String hex) {
        String[] parts = hex.trim().split(" ");
        byte[] b = new byte[parts.length];
        for (int i = 0; i < parts.length; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }
}
