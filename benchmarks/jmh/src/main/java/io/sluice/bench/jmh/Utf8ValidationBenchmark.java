package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.sluice.websocket.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Checking a complete text message as well-formed UTF-8.
 *
 * <p>Netty's WebSocket UTF-8 validator ({@code io.netty.handler.codec.http.websocketx.Utf8Validator}) is
 * package-private; what a Netty server runs is the public handler around it, {@link Utf8FrameValidator},
 * which {@code WebSocketServerProtocolHandler} puts behind the frame decoder. (The frame decoder itself
 * does not check text.) So:
 *
 * <ul>
 *   <li>{@code sluice}: {@link Utf8Validator}, reset and run over the message, then asked whether it is
 *       complete, as {@code MessageAssembler} does for a message that arrived in one piece.
 *   <li>{@code netty}: {@link Utf8FrameValidator#channelRead} called directly with a final text frame:
 *       it runs Netty's validator over the payload and passes the frame to the next handler (one
 *       pipeline hop to a handler that ignores it, a few nanoseconds next to the check).
 *   <li>{@code nettyIsText}: {@link ByteBufUtil#isText(ByteBuf, java.nio.charset.Charset)} with UTF-8:
 *       Netty's general-purpose check, a plain static call without any handler around it.
 * </ul>
 *
 * <p>Inputs: printable ASCII (where both skip ahead over ASCII runs, if they can) and a mix of 1- to
 * 4-byte characters, each 1 KiB and 64 KiB. Nothing is modified, so the same bytes serve every call.
 */
@State(Scope.Thread)
public class Utf8ValidationBenchmark extends CodecBenchmark {

    @Param({"ascii-1024", "ascii-65536", "mixed-1024", "mixed-65536"})
    public String text;

    private byte[] bytes;
    private ByteBuf buffer;
    private Utf8Validator sluiceValidator;

    private Utf8FrameValidator nettyValidator;
    private ChannelHandlerContext nettyContext;
    private TextWebSocketFrame nettyFrame;
    private Receiver nettyReceiver;

    @Setup(Level.Trial)
    public void setUp() throws CharacterCodingException {
        int size = Integer.parseInt(text.substring(text.indexOf('-') + 1));
        bytes = text.startsWith("ascii") ? Inputs.asciiText(size) : Inputs.mixedText(size);
        // The JDK's strict decoder throws on anything malformed: every side must see valid text.
        StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
        buffer = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(bytes));
        sluiceValidator = new Utf8Validator();

        nettyValidator = new Utf8FrameValidator();
        nettyReceiver = new Receiver();
        EmbeddedChannel channel = new EmbeddedChannel(nettyValidator, nettyReceiver);
        nettyContext = channel.pipeline().context(nettyValidator);
        nettyFrame = new TextWebSocketFrame(buffer);
    }

    @Benchmark
    public boolean sluice() {
        Utf8Validator validator = sluiceValidator;
        validator.reset();
        return validator.validate(bytes, 0, bytes.length) == bytes.length && validator.isComplete();
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        Receiver receiver = nettyReceiver;
        receiver.received = null;
        nettyValidator.channelRead(nettyContext, nettyFrame);
        if (receiver.received != nettyFrame) {
            throw new IllegalStateException("Netty refused the text");
        }
        bh.consume(receiver.received);
    }

    @Benchmark
    public boolean nettyIsText() {
        return ByteBufUtil.isText(buffer, StandardCharsets.UTF_8);
    }

    /** The next handler: takes the validated frame and keeps it (it is reused, so nothing is released). */
    static final class Receiver extends ChannelInboundHandlerAdapter {
        Object received;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            received = msg;
        }
    }
}
