package io.sluice.websocket;

import static io.sluice.websocket.WsTestSupport.binary;
import static io.sluice.websocket.WsTestSupport.bytes;
import static io.sluice.websocket.WsTestSupport.clientFrame;
import static io.sluice.websocket.WsTestSupport.ping;
import static io.sluice.websocket.WsTestSupport.pong;
import static io.sluice.websocket.WsTestSupport.text;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.Gen;
import io.sluice.testing.PropertyCheck;
import io.sluice.websocket.WsTestSupport.Event;
import io.sluice.websocket.WsTestSupport.Harness;
import io.sluice.websocket.WsTestSupport.IdentityInflater;
import io.sluice.websocket.WsTestSupport.CountingDeflateInflater;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WebSocketCodecProperties {

    private static final Set<Integer> FAILURE_CODES = Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD,
            CloseCodes.MESSAGE_TOO_BIG);

    /** Client bytes and the messages they must produce. */
    record Conversation(byte[] wire, List<Event> expected, boolean endsWithClose) {
    }

    // (a) Valid input decodes to the expected messages, however it is split.

    @Test
    void validFramesYieldTheSameMessagesHoweverSplit() {
        PropertyCheck.forAll(400, random -> {
            boolean deflate = random.nextBoolean();
            Conversation conversation = conversation(random, deflate, true);

            Harness whole = harness(deflate).feed(conversation.wire);
            assertThat(whole.failure()).as("%s", whole.failureReason()).isZero();
            assertThat(whole.events()).isEqualTo(conversation.expected);
            assertThat(whole.assembler.isCloseReceived()).isEqualTo(conversation.endsWithClose);
            if (!conversation.endsWithClose) {
                assertThat(whole.consumed).isEqualTo(conversation.wire.length);
                assertThat(whole.decoder.isInsideFrame()).isFalse();
                assertThat(whole.assembler.isInsideMessage()).isFalse();
            }

            Harness split = harness(deflate).feed(conversation.wire, cuts(random, conversation.wire.length), random);
            assertThat(split.outcome()).isEqualTo(whole.outcome());
            assertThat(split.consumed).isEqualTo(whole.consumed);
        });
    }

    // (b) Garbage and damaged input never throw, and fail only with 1002, 1007 or 1009.

    @Test
    void damagedInputNeverThrowsAndFailsWithAValidCode() {
        PropertyCheck.forAll(4000, random -> {
            int inflaterKind = random.nextInt(3);
            long maxFrame = Gen.oneOf(random, 125L, 300L, 1L << 20);
            int maxMessage = Gen.oneOf(random, 0, 10, 300, 1 << 20);
            byte[] wire = switch (random.nextInt(4)) {
                case 0 -> Gen.bytes(random, 300);
                case 1 -> randomFrames(random);
                default -> mutate(random, conversation(random, inflaterKind != 0, false).wire);
            };
            Harness whole = check(new Harness(maxFrame, maxMessage, inflater(inflaterKind)), wire, new int[0], null);
            Harness split = check(new Harness(maxFrame, maxMessage, inflater(inflaterKind)), wire,
                    cuts(random, wire.length), random);
            if (inflaterKind != 2) {
                // (zlib may report corrupt data a little earlier or later depending on its input pieces)
                assertThat(split.outcome()).isEqualTo(whole.outcome());
            }
        });
    }

    private static Harness check(Harness harness, byte[] wire, int[] cuts, Random random) {
        harness.feed(wire, cuts, random);
        assertThat(harness.consumed).isBetween(0L, (long) wire.length);
        if (harness.failure() != 0) {
            assertThat(FAILURE_CODES).contains(harness.failure());
            assertThat(harness.failureReason()).isNotBlank();
            assertThat(harness.failureReason().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(123);
        } else if (!harness.assembler.isCloseReceived()) {
            assertThat(harness.consumed).isEqualTo(wire.length);
        }
        return harness;
    }

    // (c) Word-wise unmasking equals the byte-by-byte definition.

    @Test
    void wordWiseUnmaskingEqualsTheReference() {
        PropertyCheck.forAll(2000, random -> {
            int length = random.nextInt(10) == 0 ? random.nextInt(5000) : random.nextInt(70);
            int offset = random.nextInt(17);
            byte[] original = new byte[offset + length + random.nextInt(17)];
            random.nextBytes(original);
            int key = random.nextInt();
            int phase = random.nextInt(4);

            byte[] expected = original.clone();
            WsTestSupport.maskReference(expected, offset, length, key, phase);

            byte[] oneCall = original.clone();
            assertThat(FrameDecoder.unmask(oneCall, offset, length, key, phase)).isEqualTo((phase + length) & 3);
            assertThat(oneCall).isEqualTo(expected);

            // In pieces, carrying the phase, as a payload arriving in several reads.
            byte[] pieces = original.clone();
            int p = offset;
            int ph = phase;
            for (int cut : Gen.splitPoints(random, length)) {
                ph = FrameDecoder.unmask(pieces, p, offset + cut - p, key, ph);
                p = offset + cut;
            }
            FrameDecoder.unmask(pieces, p, offset + length - p, key, ph);
            assertThat(pieces).isEqualTo(expected);
        });
    }

    // Generators.

    private static Harness harness(boolean deflate) {
        return new Harness(1 << 20, 1 << 20, deflate ? new IdentityInflater() : null);
    }

    private static MessageInflater inflater(int kind) {
        return switch (kind) {
            case 0 -> null;
            case 1 -> new IdentityInflater();
            default -> new CountingDeflateInflater();
        };
    }

    /** Cut points: a few anywhere, or (for small inputs) many, down to every byte. */
    private static int[] cuts(Random random, int length) {
        if (length < 2) {
            return new int[0];
        }
        if (length < 3000 && random.nextInt(3) == 0) {
            int step = 1 + random.nextInt(7);
            int[] points = new int[(length - 1) / step];
            for (int i = 0; i < points.length; i++) {
                points[i] = (i + 1) * step;
            }
            return points;
        }
        return Gen.splitPoints(random, length);
    }

    /**
     * A valid client conversation: data messages (text or binary, plain or, when {@code deflate}, with
     * RSV1 through the identity inflater), each in one frame or fragmented (empty fragments included,
     * text cut inside characters), control frames between fragments and between messages, and maybe a
     * close frame (followed by bytes that must not be read).
     */
    static Conversation conversation(Random random, boolean deflate, boolean big) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<Event> expected = new ArrayList<>();
        int messages = random.nextInt(6);
        for (int m = 0; m < messages; m++) {
            if (random.nextInt(4) == 0) {
                control(random, wire, expected);
            }
            boolean isText = random.nextBoolean();
            int size = messageSize(random, big);
            byte[] payload;
            if (isText) {
                // Whole characters until the size is reached; fragments below cut inside them too.
                StringBuilder s = new StringBuilder();
                String unit = Gen.unicode(random, 40) + "x";
                int length = 0;
                while (length < size) {
                    String piece = random.nextInt(8) == 0 ? Gen.unicode(random, 40) : unit;
                    s.append(piece);
                    length += piece.getBytes(StandardCharsets.UTF_8).length;
                }
                payload = s.toString().getBytes(StandardCharsets.UTF_8);
            } else {
                payload = new byte[size];
                random.nextBytes(payload);
            }
            boolean compressed = deflate && random.nextBoolean();
            int[] bounds = fragmentBounds(random, payload.length);
            int from = 0;
            for (int f = 0; f < bounds.length; f++) {
                int to = bounds[f];
                boolean fin = f == bounds.length - 1;
                int opcode = f == 0 ? (isText ? Opcodes.TEXT : Opcodes.BINARY) : Opcodes.CONTINUATION;
                wire.writeBytes(clientFrame(opcode, fin, compressed && f == 0,
                        Arrays.copyOfRange(payload, from, to), random.nextInt()));
                from = to;
                if (!fin && random.nextInt(3) == 0) {
                    control(random, wire, expected);
                }
            }
            // The message event comes after any control frames sent between its fragments.
            expected.add(isText ? text(new String(payload, StandardCharsets.UTF_8)) : binary(payload));
        }
        boolean close = random.nextInt(3) == 0;
        if (close) {
            if (random.nextBoolean()) {
                wire.writeBytes(clientFrame(Opcodes.CLOSE, true, new byte[0]));
                expected.add(WsTestSupport.close(CloseCodes.NO_STATUS, ""));
            } else {
                int code = Gen.oneOf(random, 1000, 1001, 1003, 1007, 1011, 1014, 3000, 4999);
                String reason = Gen.unicode(random, 20);
                byte[] payload = FrameEncoder.closePayload(code, reason);
                wire.writeBytes(clientFrame(Opcodes.CLOSE, true, false, payload, random.nextInt()));
                expected.add(WsTestSupport.close(code, new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8)));
            }
            wire.writeBytes(Gen.bytes(random, 20)); // after the close: never read
        }
        return new Conversation(wire.toByteArray(), expected, close);
    }

    private static int messageSize(Random random, boolean big) {
        int pick = random.nextInt(10);
        if (pick < 3) {
            return Gen.oneOf(random, 0, 1, 125, 126, 127);
        } else if (pick == 3 && big) {
            return Gen.oneOf(random, 65535, 65536, 65537);
        } else if (pick < 6) {
            return random.nextInt(3000);
        }
        return random.nextInt(300);
    }

    /** Ends of the fragments of a payload: one frame, or several, empty ones allowed. */
    private static int[] fragmentBounds(Random random, int length) {
        if (random.nextBoolean()) {
            return new int[] {length};
        }
        int fragments = 2 + random.nextInt(5);
        int[] bounds = new int[fragments];
        for (int i = 0; i < fragments - 1; i++) {
            bounds[i] = random.nextInt(length + 1);
        }
        bounds[fragments - 1] = length;
        Arrays.sort(bounds);
        return bounds;
    }

    private static void control(Random random, ByteArrayOutputStream wire, List<Event> expected) {
        byte[] payload = new byte[Gen.oneOf(random, 0, 1, 125, random.nextInt(126))];
        random.nextBytes(payload);
        boolean isPing = random.nextBoolean();
        wire.writeBytes(clientFrame(isPing ? Opcodes.PING : Opcodes.PONG, true, false, payload, random.nextInt()));
        expected.add(isPing ? ping(payload) : pong(payload));
    }

    /** Frames with random header fields: any opcode and RSV bits, masked or not, any length encoding. */
    private static byte[] randomFrames(Random random) {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        int frames = 1 + random.nextInt(6);
        for (int i = 0; i < frames; i++) {
            int first = random.nextInt(4) == 0 ? random.nextInt(256)
                    : (random.nextBoolean() ? 0x80 : 0) | Gen.oneOf(random, 0, 1, 2, 8, 9, 10);
            int length = Gen.oneOf(random, 0, 1, 2, 125, 126, 127, 300, random.nextInt(200));
            byte[] payload = new byte[length];
            if (random.nextBoolean()) {
                random.nextBytes(payload);
            } else {
                Arrays.fill(payload, (byte) 'a');
                if (length >= 2 && random.nextBoolean()) {
                    payload[0] = 0x03;
                    payload[1] = (byte) 0xE8;
                }
            }
            byte[] lengthBytes = switch (random.nextInt(6)) {
                case 0 -> bytes(0xFE, length >>> 8, length); // maybe non-minimal
                case 1 -> bytes(0xFF, 0, 0, 0, 0, 0, 0, length >>> 8, length);
                case 2 -> bytes(random.nextInt(256));
                default -> null;
            };
            byte[] frame = lengthBytes == null ? clientFrame(first, payload, random.nextInt())
                    : WsTestSupport.rawFrame(first, lengthBytes, random.nextInt(), payload);
            if (random.nextInt(8) == 0) {
                frame[1] &= 0x7F; // unmasked
            }
            wire.writeBytes(frame);
        }
        return wire.toByteArray();
    }

    /** One to three random edits: bit flips, byte changes, insertions, deletions, truncation. */
    private static byte[] mutate(Random random, byte[] wire) {
        byte[] result = wire;
        int edits = 1 + random.nextInt(3);
        for (int e = 0; e < edits; e++) {
            int n = result.length;
            switch (random.nextInt(5)) {
                case 0 -> {
                    if (n > 0) {
                        result = result.clone();
                        result[random.nextInt(n)] ^= (byte) (1 << random.nextInt(8));
                    }
                }
                case 1 -> {
                    if (n > 0) {
                        result = result.clone();
                        // Header bytes are where damage is interesting: favour the start.
                        result[random.nextInt(Math.min(n, random.nextBoolean() ? 16 : n))] = (byte) random.nextInt(256);
                    }
                }
                case 2 -> {
                    int at = random.nextInt(n + 1);
                    byte[] insert = Gen.bytes(random, 8);
                    result = WsTestSupport.concat(Arrays.copyOf(result, at), insert, Arrays.copyOfRange(result, at, n));
                }
                case 3 -> {
                    if (n > 0) {
                        int at = random.nextInt(n);
                        int len = 1 + random.nextInt(Math.min(8, n - at));
                        result = WsTestSupport.concat(Arrays.copyOf(result, at), Arrays.copyOfRange(result, at + len, n));
                    }
                }
                default -> result = Arrays.copyOf(result, random.nextInt(n + 1));
            }
        }
        return result;
    }
}
