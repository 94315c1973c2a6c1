package io.sluice.websocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

class DeflateCodecTest {

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    static byte[] bytes(int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            b[i] = (byte) values[i];
        }
        return b;
    }

    /** Inflates one whole message given as pieces; the last piece is marked last. */
    static byte[] inflate(DeflateInflater inflater, byte[]... pieces) throws DataFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < pieces.length; i++) {
            inflater.inflate(pieces[i], 0, pieces[i].length, i == pieces.length - 1, out::write);
        }
        return out.toByteArray();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void rfc7692Examples() throws DataFormatException {
        // §7.2.3.1: one compressed "Hello"
        assertThat(inflate(new DeflateInflater(false), bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00))).isEqualTo(HELLO);
        // §7.2.3.2: the second "Hello" refers back into the first
        DeflateInflater shared = new DeflateInflater(false);
        assertThat(inflate(shared, bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00))).isEqualTo(HELLO);
        assertThat(inflate(shared, bytes(0xf2, 0x00, 0x11, 0x00, 0x00))).isEqualTo(HELLO);
        // §7.2.3.3: a stored block
        assertThat(inflate(new DeflateInflater(false),
                bytes(0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00))).isEqualTo(HELLO);
        // §7.2.3.4: a block with BFINAL set
        DeflateInflater bfinal = new DeflateInflater(false);
        assertThat(inflate(bfinal, bytes(0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00))).isEqualTo(HELLO);
        assertThat(inflate(bfinal, bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00))).as("next message").isEqualTo(HELLO);
        // §7.2.3.5: two DEFLATE blocks in one message
        assertThat(inflate(new DeflateInflater(false), bytes(0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca,
                0xc9, 0xc9, 0x07, 0x00))).isEqualTo(HELLO);
        // §7.2.3.6: an empty message
        assertThat(inflate(new DeflateInflater(false), bytes(0x00))).isEmpty();
    }

    @Test
    void deflaterProducesTheRfcBytes() {
        MessageDeflater deflater = new MessageDeflater(Deflater.DEFAULT_COMPRESSION, false);
        assertThat(deflater.deflate(HELLO)).isEqualTo(bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00));
        assertThat(deflater.deflate(HELLO)).isEqualTo(bytes(0xf2, 0x00, 0x11, 0x00, 0x00));
        deflater.release();
    }

    @Test
    void emptyMessages() throws DataFormatException {
        MessageDeflater deflater = new MessageDeflater(6, false);
        DeflateInflater inflater = new DeflateInflater(false);
        assertThat(deflater.deflate(new byte[0])).containsExactly(0x00);
        assertThat(deflater.isAllocated()).as("empty messages need no native deflater").isFalse();
        assertThat(inflate(inflater, deflater.deflate(HELLO))).isEqualTo(HELLO);
        assertThat(inflate(inflater, deflater.deflate(new byte[0]))).isEmpty();
        assertThat(inflate(inflater, new byte[0])).as("no payload at all").isEmpty();
        assertThat(inflate(inflater, deflater.deflate(HELLO), new byte[0])).as("empty last piece").isEqualTo(HELLO);
        assertThat(inflate(inflater, deflater.deflate(HELLO))).isEqualTo(HELLO);
    }

    @Test
    void roundTripsWithEveryContextMode() throws DataFormatException {
        String[] messages = {"The quick brown fox", "The quick brown fox jumps", "", "over the lazy dog",
                "The quick brown fox jumps over the lazy dog".repeat(100), "\u00e9t\u00e9 \ud83d\ude00"};
        for (boolean serverNoContext : new boolean[] {false, true}) {
            for (boolean clientNoContext : new boolean[] {false, true}) {
                MessageDeflater deflater = new MessageDeflater(Deflater.DEFAULT_COMPRESSION, serverNoContext);
                DeflateInflater inflater = new DeflateInflater(clientNoContext || serverNoContext);
                // An inflater keeping context works with a deflater that resets, not the other way round.
                if (!serverNoContext && clientNoContext) {
                    inflater = new DeflateInflater(false);
                }
                for (int round = 0; round < 3; round++) {
                    for (String message : messages) {
                        byte[] compressed = deflater.deflate(text(message));
                        assertThat(inflate(inflater, compressed)).isEqualTo(text(message));
                    }
                }
                deflater.release();
                inflater.release();
            }
        }
    }

    @Test
    void contextTakeoverShrinksRepeatedMessagesAndNoContextTakeoverDoesNot() {
        byte[] message = text("{\"type\":\"chat\",\"room\":\"general\",\"text\":\"hello everyone, how are you?\"}");
        MessageDeflater shared = new MessageDeflater(6, false);
        int first = shared.deflate(message).length;
        int second = shared.deflate(message).length;
        assertThat(second).isLessThan(first / 2);

        MessageDeflater reset = new MessageDeflater(6, true);
        byte[] a = reset.deflate(message);
        byte[] b = reset.deflate(message);
        assertThat(b).isEqualTo(a);
    }

    @Test
    void noContextInflaterResetsBetweenMessages() throws DataFormatException {
        // The second RFC "Hello" refers back into the first message: a resetting inflater must refuse it.
        DeflateInflater reset = new DeflateInflater(true);
        assertThat(inflate(reset, bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00))).isEqualTo(HELLO);
        assertThatThrownBy(() -> inflate(reset, bytes(0xf2, 0x00, 0x11, 0x00, 0x00)))
                .isInstanceOf(DataFormatException.class);
    }

    @Test
    void messagesSplitIntoSingleBytes() throws DataFormatException {
        MessageDeflater deflater = new MessageDeflater(9, false);
        DeflateInflater inflater = new DeflateInflater(false);
        for (int round = 0; round < 3; round++) {
            byte[] message = text(("round " + round + " of a message split into one-byte pieces; ").repeat(50));
            byte[] compressed = deflater.deflate(message);
            byte[][] pieces = new byte[compressed.length][];
            for (int i = 0; i < compressed.length; i++) {
                pieces[i] = new byte[] {compressed[i]};
            }
            assertThat(inflate(inflater, pieces)).isEqualTo(message);
        }
    }

    @Test
    void largeIncompressibleAndCompressibleMessages() throws DataFormatException {
        byte[] random = new byte[300_000];
        new java.util.Random(1).nextBytes(random);
        byte[] zeros = new byte[3_000_000];
        MessageDeflater deflater = new MessageDeflater(1, false);
        DeflateInflater inflater = new DeflateInflater(false);
        for (byte[] message : new byte[][] {random, zeros, random}) {
            byte[] compressed = deflater.deflate(message, 0, message.length);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            inflater.inflate(compressed, 0, compressed.length, true, (b, off, len) -> {
                assertThat(len).isBetween(1, DeflateInflater.CHUNK_SIZE);
                out.write(b, off, len);
            });
            assertThat(out.toByteArray()).isEqualTo(message);
        }
    }

    @Test
    void deflatesASliceOfTheArray() throws DataFormatException {
        byte[] framed = text("xxHelloyy");
        MessageDeflater deflater = new MessageDeflater(6, false);
        byte[] compressed = deflater.deflate(framed, 2, 5);
        byte[] padded = new byte[compressed.length + 6];
        System.arraycopy(compressed, 0, padded, 3, compressed.length);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new DeflateInflater(false).inflate(padded, 3, compressed.length, true, out::write);
        assertThat(out.toByteArray()).isEqualTo(HELLO);
        assertThatThrownBy(() -> deflater.deflate(framed, 5, 5)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void severalFinalBlocksInOneMessage() throws DataFormatException {
        byte[] stream = finishedStream(HELLO);
        byte[] twice = new byte[stream.length * 2];
        System.arraycopy(stream, 0, twice, 0, stream.length);
        System.arraycopy(stream, 0, twice, stream.length, stream.length);
        DeflateInflater inflater = new DeflateInflater(false);
        assertThat(inflate(inflater, twice)).isEqualTo(text("HelloHello"));
        assertThat(inflate(inflater, Arrays.copyOf(twice, stream.length + 3), Arrays.copyOfRange(twice,
                stream.length + 3, twice.length))).isEqualTo(text("HelloHello"));
        assertThat(inflate(inflater, bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00))).isEqualTo(HELLO);
    }

    private static byte[] finishedStream(byte[] data) {
        Deflater d = new Deflater(6, true);
        d.setInput(data);
        d.finish();
        byte[] out = new byte[256];
        int n = d.deflate(out);
        d.end();
        return Arrays.copyOf(out, n);
    }

    @Test
    void invalidDataIsADataFormatException() {
        assertThatThrownBy(() -> inflate(new DeflateInflater(false), bytes(0xff, 0xff, 0xff, 0xff)))
                .isInstanceOf(DataFormatException.class);
        assertThatThrownBy(() -> inflate(new DeflateInflater(false), bytes(0x06)))
                .isInstanceOf(DataFormatException.class); // reserved block type 11
    }

    @Test
    void nativeMemoryIsLazyAndReleased() throws DataFormatException {
        PerMessageDeflate agreed = PerMessageDeflate.negotiate(java.util.List.of("permessage-deflate"),
                PerMessageDeflate.Settings.DEFAULT);
        MessageDeflater deflater = agreed.newDeflater();
        DeflateInflater inflater = agreed.newInflater();
        assertThat(deflater.isAllocated()).isFalse();
        assertThat(inflater.isAllocated()).isFalse();
        inflate(inflater, new byte[0]);
        assertThat(inflater.isAllocated()).as("an empty message allocates nothing").isFalse();

        assertThat(inflate(inflater, deflater.deflate(HELLO))).isEqualTo(HELLO);
        assertThat(deflater.isAllocated()).isTrue();
        assertThat(inflater.isAllocated()).isTrue();

        deflater.release();
        inflater.release();
        deflater.release();
        inflater.release();
        assertThat(deflater.isAllocated()).isFalse();
        assertThat(inflater.isAllocated()).isFalse();
        assertThatThrownBy(() -> deflater.deflate(HELLO)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> inflate(inflater, HELLO)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void zipBombStopsWithinOneChunkOfTheLimit() {
        byte[] bomb = compressedZeros(100L * 1024 * 1024);
        assertThat(bomb.length).isLessThan(200_000);
        long limit = 1024 * 1024;
        long[] produced = {0};
        DeflateInflater inflater = new DeflateInflater(false);
        // fed in frame-sized pieces, like a reader would
        assertThatThrownBy(() -> {
            for (int offset = 0; offset < bomb.length; offset += 4096) {
                int length = Math.min(4096, bomb.length - offset);
                inflater.inflate(bomb, offset, length, offset + length == bomb.length, (b, off, len) -> {
                    produced[0] += len;
                    if (produced[0] > limit) {
                        throw new MessageTooBig();
                    }
                });
            }
        }).isInstanceOf(MessageTooBig.class);
        assertThat(produced[0]).isGreaterThan(limit).isLessThanOrEqualTo(limit + DeflateInflater.CHUNK_SIZE);
        inflater.release();
    }

    /** Raw DEFLATE of {@code count} zero bytes, sync-flushed, without the 00 00 FF FF tail. */
    private static byte[] compressedZeros(long count) {
        Deflater d = new Deflater(9, true);
        byte[] zeros = new byte[1 << 20];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[64 * 1024];
        for (long left = count; left > 0; left -= zeros.length) {
            d.setInput(zeros, 0, (int) Math.min(zeros.length, left));
            while (!d.needsInput()) {
                out.write(buffer, 0, d.deflate(buffer, 0, buffer.length, Deflater.NO_FLUSH));
            }
        }
        int n;
        do {
            n = d.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH);
            out.write(buffer, 0, n);
        } while (n == buffer.length);
        d.end();
        byte[] all = out.toByteArray();
        return Arrays.copyOf(all, all.length - 4);
    }

    private static final class MessageTooBig extends RuntimeException {
    }
}
