package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameEncoder;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.sluice.websocket.FrameEncoder;
import io.sluice.websocket.Opcodes;
import java.nio.ByteBuffer;
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
 * Turning one server message (unmasked, final) into what goes to the socket.
 *
 * <p>Both sides make the same decision about the payload: both copy a payload of up to 1 KiB next to
 * the header and hand a larger one over by reference for a gathering write.
 *
 * <ul>
 *   <li>{@code sluice}: {@link FrameEncoder#writeHeader} into the connection's reused output buffer, then
 *       the payload as {@code Connection.write} treats it (copied behind the header up to 1 KiB, else
 *       wrapped and queued by reference), as {@code WebSocketConnection.writeFrame} does.
 *   <li>{@code netty}: a new frame around the (unreleasable, shared) payload, as a handler creates one
 *       per message, encoded by {@code WebSocket08FrameEncoder(false)} called directly: a buffer from the
 *       channel's allocator for the header (and the payload up to 1 KiB), the payload retained after it
 *       otherwise; the output buffers are released afterwards.
 * </ul>
 */
@State(Scope.Thread)
public class WebSocketEncodeBenchmark extends CodecBenchmark {

    /** The largest payload {@code Connection.write} copies into its output buffer rather than referencing. */
    private static final int SLUICE_COPY_THRESHOLD = 1024;

    @Param({"text-125", "binary-4096", "binary-65536"})
    public String frame;

    private boolean text;
    private byte[] payload;
    private ByteBuffer sluiceOut;

    private ByteBuf nettyPayload;
    private DirectFrameEncoder nettyEncoder;
    private ChannelHandlerContext nettyContext;
    private final List<Object> nettyOut = new ArrayList<>(2);

    @Setup(Level.Trial)
    public void setUp() {
        text = frame.startsWith("text");
        int size = Integer.parseInt(frame.substring(frame.indexOf('-') + 1));
        payload = text ? Inputs.asciiText(size) : Inputs.binary(size);
        sluiceOut = ByteBuffer.allocate(16 * 1024);
        nettyPayload = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(payload));
        nettyEncoder = new DirectFrameEncoder();
        nettyContext = new EmbeddedChannel(nettyEncoder).pipeline().context(nettyEncoder);
    }

    @Benchmark
    public void sluice(Blackhole bh) {
        ByteBuffer out = sluiceOut;
        out.clear();
        byte[] body = payload;
        FrameEncoder.writeHeader(out, text ? Opcodes.TEXT : Opcodes.BINARY, true, false, body.length);
        if (body.length <= SLUICE_COPY_THRESHOLD) {
            out.put(body);
        } else {
            bh.consume(ByteBuffer.wrap(body));
        }
        bh.consume(out.position());
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        ByteBuf data = nettyPayload.duplicate();
        WebSocketFrame message = text ? new TextWebSocketFrame(data) : new BinaryWebSocketFrame(data);
        List<Object> out = nettyOut;
        out.clear();
        nettyEncoder.encodeDirectly(nettyContext, message, out);
        for (int i = 0; i < out.size(); i++) {
            ByteBuf buf = (ByteBuf) out.get(i);
            bh.consume(buf.readableBytes());
            buf.release();
        }
    }

    /** Netty's server-side frame encoder with its encode step callable without a channel pipeline. */
    static final class DirectFrameEncoder extends WebSocket08FrameEncoder {
        DirectFrameEncoder() {
            super(false);
        }

        void encodeDirectly(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
            encode(ctx, frame, out);
        }
    }
}
