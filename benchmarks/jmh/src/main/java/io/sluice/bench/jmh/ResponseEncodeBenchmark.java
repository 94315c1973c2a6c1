package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AsciiString;
import io.sluice.api.HttpResponse;
import io.sluice.http.HttpDate;
import io.sluice.http.ResponseEncoder;
import io.sluice.http.ResponseEncoder.Framing;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding the plaintext response ({@code 200}, {@code Server}, {@code Date}, {@code Content-Type:
 * text/plain}, {@code Content-Length: 13}, body {@code Hello, World!}) into bytes ready for the socket.
 *
 * <ul>
 *   <li>{@code sluice} / {@code netty}: the response is prepared once, as both peer servers do it.
 *       Sluice: a constant {@link HttpResponse}, encoded by {@link ResponseEncoder#encodeHead} into a
 *       reused heap buffer, followed by the body copied behind it (what {@code Connection.write} does
 *       with a body of up to 1 KiB). Netty: a new {@link DefaultFullHttpResponse} per response around a
 *       shared, non-validating header set of {@link AsciiString} constants and an unreleasable body,
 *       encoded by {@link HttpResponseEncoder} (called directly) into a buffer from the channel's
 *       allocator, which is released afterwards. Both produce the same 13 + head bytes, byte for byte
 *       (checked at setup).
 *   <li>{@code sluicePerRequest} / {@code nettyPerRequest}: the response is built per request, as most
 *       application code does: Sluice's builder (which encodes the fields when it builds), Netty's
 *       validating headers set field by field with its own name and value constants.
 * </ul>
 */
@State(Scope.Thread)
public class ResponseEncodeBenchmark extends CodecBenchmark {

    private static final byte[] BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final String SERVER_NAME = "bench";

    private byte[] dateLine;
    private ResponseEncoder sluiceEncoder;
    private HttpResponse sluiceResponse;
    private ByteBuffer sluiceOut;

    private DirectResponseEncoder nettyEncoder;
    private ChannelHandlerContext nettyContext;
    private ByteBuf nettyBody;
    private HttpHeaders nettyHeaders;
    private AsciiString nettyDate;
    private final List<Object> nettyOut = new ArrayList<>(4);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        HttpDate date = new HttpDate();
        date.update(System.currentTimeMillis());
        dateLine = date.line();
        String dateValue = new String(dateLine, 6, dateLine.length - 8, StandardCharsets.US_ASCII);

        sluiceEncoder = new ResponseEncoder(SERVER_NAME);
        sluiceResponse = HttpResponse.status(200).contentType("text/plain").body(BODY);
        sluiceOut = ByteBuffer.allocate(16 * 1024);

        nettyEncoder = new DirectResponseEncoder();
        nettyContext = new EmbeddedChannel(nettyEncoder).pipeline().context(nettyEncoder);
        nettyBody = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(BODY));
        nettyDate = AsciiString.cached(dateValue);
        // Same field names as Sluice writes them, so the output can be compared byte for byte (the case
        // of a name costs nothing either way).
        nettyHeaders = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                .add(AsciiString.cached("Server"), AsciiString.cached(SERVER_NAME))
                .add(AsciiString.cached("Date"), nettyDate)
                .add(AsciiString.cached("Content-Type"), AsciiString.cached("text/plain"))
                .add(AsciiString.cached("Content-Length"), AsciiString.cached(Integer.toString(BODY.length)));

        byte[] sluiceBytes = sluiceBytes();
        byte[] nettyBytes = nettyBytes();
        if (!Arrays.equals(sluiceBytes, nettyBytes)) {
            throw new IllegalStateException("the encoders disagree:\n" + new String(sluiceBytes, StandardCharsets.US_ASCII)
                    + "\n---\n" + new String(nettyBytes, StandardCharsets.US_ASCII));
        }
    }

    @Benchmark
    public void sluice(Blackhole bh) {
        encodeSluice(sluiceResponse, bh);
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                nettyBody.duplicate(), nettyHeaders, EmptyHttpHeaders.INSTANCE);
        encodeNetty(response, bh);
    }

    @Benchmark
    public void sluicePerRequest(Blackhole bh) {
        encodeSluice(HttpResponse.status(200).contentType("text/plain").body(BODY), bh);
    }

    @Benchmark
    public void nettyPerRequest(Blackhole bh) throws Exception {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                nettyBody.duplicate());
        response.headers()
                .set(HttpHeaderNames.SERVER, SERVER_NAME)
                .set(HttpHeaderNames.DATE, nettyDate)
                .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.TEXT_PLAIN)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, BODY.length);
        encodeNetty(response, bh);
    }

    /** What {@code HttpConnection.write} does for a byte body: size the buffer, encode the head, copy the body. */
    private void encodeSluice(HttpResponse response, Blackhole bh) {
        ByteBuffer out = sluiceOut;
        out.clear();
        bh.consume(sluiceEncoder.headSizeBound(response));
        byte[] body = response.body();
        sluiceEncoder.encodeHead(out, response, dateLine, Framing.CONTENT_LENGTH, body.length, 0);
        out.put(body);
        bh.consume(out.position());
    }

    private void encodeNetty(FullHttpResponse response, Blackhole bh) throws Exception {
        List<Object> out = nettyOut;
        out.clear();
        nettyEncoder.encodeDirectly(nettyContext, response, out);
        for (int i = 0; i < out.size(); i++) {
            ByteBuf buf = (ByteBuf) out.get(i);
            bh.consume(buf.readableBytes());
            buf.release();
        }
    }

    private byte[] sluiceBytes() {
        sluiceOut.clear();
        sluiceEncoder.encodeHead(sluiceOut, sluiceResponse, dateLine, Framing.CONTENT_LENGTH, BODY.length, 0);
        sluiceOut.put(BODY);
        return Arrays.copyOf(sluiceOut.array(), sluiceOut.position());
    }

    private byte[] nettyBytes() throws Exception {
        nettyOut.clear();
        nettyEncoder.encodeDirectly(nettyContext, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, nettyBody.duplicate(), nettyHeaders, EmptyHttpHeaders.INSTANCE), nettyOut);
        ByteBuf all = Unpooled.buffer();
        for (Object o : nettyOut) {
            ByteBuf buf = (ByteBuf) o;
            all.writeBytes(buf);
            buf.release();
        }
        byte[] bytes = new byte[all.readableBytes()];
        all.readBytes(bytes);
        return bytes;
    }

    /** Netty's response encoder with its encode step callable without a channel pipeline around it. */
    static final class DirectResponseEncoder extends HttpResponseEncoder {
        void encodeDirectly(ChannelHandlerContext ctx, Object msg, List<Object> out) throws Exception {
            encode(ctx, msg, out);
        }
    }
}
