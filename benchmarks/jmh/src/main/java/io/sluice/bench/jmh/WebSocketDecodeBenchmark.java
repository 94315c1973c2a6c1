package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sluice.websocket.FrameDecoder;
import io.sluice.websocket.FrameSink;
import io.sluice.websocket.MessageAssembler;
import io.sluice.websocket.MessageSink;
import io.sluice.websocket.Opcodes;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Decoding one complete, masked client frame that arrived in one read: header checks, length, masking
 * key, unmasking the payload.
 *
 * <ul>
 *   <li>{@code sluice}: {@link FrameDecoder} with a sink that looks at each payload piece. This is the
 *       codec on its own: it unmasks in place in the read buffer and hands the bytes on without copying
 *       (a frame that arrived whole is one piece).
 *   <li>{@code netty}: {@link WebSocket08FrameDecoder} ({@code expectMaskedFrames=true},
 *       {@code allowExtensions=false}, the same 1 MiB frame limit), called directly on its decode step.
 *       By design it copies the payload into a new buffer from the channel's allocator, unmasks that and
 *       wraps it in a frame object; the benchmark looks at the payload and releases the frame.
 *   <li>{@code sluiceAssembled}: the decoder feeding Sluice's {@link MessageAssembler}, which is what the
 *       server runs: a binary payload is copied into an array of its exact size (the owned copy Netty's
 *       frame also holds), text is checked as UTF-8 and turned into a {@code String} (decoded straight
 *       from the read buffer, as the frame arrived whole). Netty's frame decoder does neither of the
 *       last two (Netty checks UTF-8 in a separate handler), so for the text frame this variant does
 *       more than {@code netty}.
 * </ul>
 *
 * <p>Each side looks at the same thing: the payload length and its first byte. The input frame is built
 * once; Sluice's in-place unmasking flips the payload between masked and unmasked on every invocation,
 * which is the same work each time (see {@link Inputs#MASK_KEY} for why text stays valid UTF-8).
 */
@State(Scope.Thread)
public class WebSocketDecodeBenchmark extends CodecBenchmark {

    private static final int MAX_FRAME_SIZE = 1024 * 1024;

    /** A 125-byte text frame (ASCII), a 4 KiB and a 64 KiB binary frame. */
    @Param({"text-125", "binary-4096", "binary-65536"})
    public String frame;

    private byte[] wire;
    private ByteBuf nettyIn;

    private FrameDecoder sluiceDecoder;
    private PeekingSink sluiceSink;
    private FrameDecoder assemblerDecoder;
    private MessageAssembler assembler;
    private CountingMessageSink messages;

    private DirectFrameDecoder nettyDecoder;
    private ChannelHandlerContext nettyContext;
    private final List<Object> nettyOut = new ArrayList<>(2);

    @Setup(Level.Trial)
    public void setUp() {
        boolean text = frame.startsWith("text");
        int size = Integer.parseInt(frame.substring(frame.indexOf('-') + 1));
        byte[] payload = text ? Inputs.asciiText(size) : Inputs.binary(size);
        wire = Inputs.maskedClientFrame(text ? Opcodes.TEXT : Opcodes.BINARY, payload);
        nettyIn = Unpooled.wrappedBuffer(wire.clone());

        sluiceDecoder = new FrameDecoder(MAX_FRAME_SIZE, false);
        sluiceSink = new PeekingSink();
        assemblerDecoder = new FrameDecoder(MAX_FRAME_SIZE, false);
        messages = new CountingMessageSink();
        assembler = new MessageAssembler(MAX_FRAME_SIZE, null, messages);

        nettyDecoder = new DirectFrameDecoder(MAX_FRAME_SIZE);
        nettyContext = new EmbeddedChannel(nettyDecoder).pipeline().context(nettyDecoder);
    }

    @Benchmark
    public void sluice(Blackhole bh) {
        PeekingSink sink = sluiceSink;
        sink.bh = bh;
        int end = sluiceDecoder.decode(wire, 0, wire.length, sink);
        if (end != wire.length || sluiceDecoder.isInsideFrame()) {
            throw new IllegalStateException("Sluice did not decode the frame: " + sluiceDecoder.failureReason());
        }
    }

    @Benchmark
    public void sluiceAssembled(Blackhole bh) {
        CountingMessageSink sink = messages;
        sink.bh = bh;
        assemblerDecoder.decode(wire, 0, wire.length, assembler);
        if (sink.delivered != 1 || assembler.isFailed() || assemblerDecoder.isFailed()) {
            throw new IllegalStateException("Sluice did not assemble the message: " + assembler.failureReason());
        }
        sink.delivered = 0;
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        ByteBuf in = nettyIn;
        in.setIndex(0, in.capacity());
        List<Object> out = nettyOut;
        out.clear();
        nettyDecoder.decodeDirectly(nettyContext, in, out);
        WebSocketFrame decoded = (WebSocketFrame) out.get(0);
        ByteBuf content = decoded.content();
        bh.consume(content.readableBytes());
        bh.consume(content.getByte(content.readerIndex()));
        decoded.release();
    }

    /** Looks at what a consumer of the payload would: its length and first byte. */
    static final class PeekingSink implements FrameSink {
        Blackhole bh;

        @Override
        public void onFrameStart(int opcode, boolean fin, boolean rsv1, long payloadLength) {
            bh.consume(opcode);
        }

        @Override
        public void onPayload(byte[] bytes, int offset, int length) {
            bh.consume(length);
            bh.consume(bytes[offset]);
        }

        @Override
        public void onFrameEnd() {
        }
    }

    /** Receives the assembled message and looks at its length and first element. */
    static final class CountingMessageSink implements MessageSink {
        Blackhole bh;
        int delivered;

        @Override
        public void onText(String text) {
            delivered++;
            bh.consume(text.length());
            bh.consume(text.charAt(0));
        }

        @Override
        public void onBinary(byte[] data) {
            delivered++;
            bh.consume(data.length);
            bh.consume(data[0]);
        }

        @Override
        public void onPing(byte[] payload) {
            throw new IllegalStateException("no pings here");
        }

        @Override
        public void onPong(byte[] payload) {
            throw new IllegalStateException("no pongs here");
        }

        @Override
        public void onClose(int code, String reason) {
            throw new IllegalStateException("no close here");
        }
    }

    /** Netty's frame decoder with its decode step callable without a channel pipeline around it. */
    static final class DirectFrameDecoder extends WebSocket08FrameDecoder {
        DirectFrameDecoder(int maxFramePayloadLength) {
            super(true, false, maxFramePayloadLength);
        }

        void decodeDirectly(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }
}
