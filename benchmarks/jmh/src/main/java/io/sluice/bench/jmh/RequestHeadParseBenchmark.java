package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.http.RequestHead;
import io.sluice.http.RequestHeadParser;
import java.util.ArrayList;
import java.util.List;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Parsing one complete request head into an object a server can dispatch on.
 *
 * <p>Both sides do the same work per operation: find the end of the head, validate it, build the
 * request object, and then read what every server reads for every request: the method, the target as
 * a string, the {@code Host} value as a string, the body length and the keep-alive decision. (Sluice
 * decides length and keep-alive while parsing and creates strings on demand; Netty creates strings while
 * decoding and the handler asks {@code HttpUtil} for length and keep-alive. Either way it is counted.)
 *
 * <p>Two requests that differ only in their query alternate, because Sluice's parser reuses the target
 * strings of the previous request on the same connection when the bytes are equal: a real effect for a
 * client polling one URL, but it would make every operation here a cache hit.
 *
 * <ul>
 *   <li>{@code sluice}: {@link RequestHeadParser#scan} then {@link RequestHeadParser#parse}, as
 *       {@code HttpConnection} does, with the server's default limits.
 *   <li>{@code netty}: {@link HttpRequestDecoder} (default, validating configuration, as in the
 *       peer server) called directly on its decode step: no pipeline, no cumulation buffer; the input is
 *       a heap buffer, on which Netty parses lines straight from the backing array.
 *   <li>{@code nettyEmbedded}: the same decoder in an {@link EmbeddedChannel}: adds pipeline dispatch,
 *       {@code ByteToMessageDecoder}'s cumulation and the channel's message queue. Reported for reference;
 *       the direct path is the one compared.
 * </ul>
 */
@State(Scope.Thread)
public class RequestHeadParseBenchmark extends CodecBenchmark {

    /** {@code curl}: 3 header fields, 93 bytes; {@code browser}: 10 header fields, 519 bytes. */
    @Param({"curl", "browser"})
    public String request;

    private byte[][] requests;
    private ByteBuf[] buffers;
    private int next;

    private RequestHeadParser sluiceParser;

    private DirectRequestDecoder nettyDecoder;
    private ChannelHandlerContext nettyContext;
    private EmbeddedChannel nettyEmbedded;
    private final List<Object> nettyOut = new ArrayList<>(4);

    @Setup(Level.Trial)
    public void setUp() {
        String[] targets = {"/api/items?page=1", "/api/items?page=2"};
        requests = new byte[2][];
        buffers = new ByteBuf[2];
        for (int i = 0; i < 2; i++) {
            requests[i] = request.equals("curl") ? Inputs.curlRequest(targets[i]) : Inputs.browserRequest(targets[i]);
            buffers[i] = Unpooled.wrappedBuffer(requests[i]);
        }
        // SluiceServer's defaults: 8 KiB request line, 8 KiB header section, 100 fields.
        sluiceParser = new RequestHeadParser(8192, 8192, 100);

        nettyDecoder = new DirectRequestDecoder();
        nettyContext = new EmbeddedChannel(nettyDecoder).pipeline().context(nettyDecoder);
        nettyEmbedded = new EmbeddedChannel(new HttpRequestDecoder());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        nettyEmbedded.finishAndReleaseAll();
    }

    @Benchmark
    public void sluice(Blackhole bh) {
        byte[] bytes = requests[next ^= 1];
        RequestHeadParser parser = sluiceParser;
        parser.reset();
        int length = parser.scan(bytes, 0, bytes.length);
        RequestHead head = length > 0 ? parser.parse(bytes, 0, length) : null;
        if (head == null) {
            throw new IllegalStateException("Sluice refused the request: " + parser.error());
        }
        bh.consume(head.method());
        bh.consume(head.target());
        bh.consume(head.first("Host"));
        bh.consume(head.contentLength());
        bh.consume(head.keepAlive());
    }

    @Benchmark
    public void netty(Blackhole bh) throws Exception {
        ByteBuf in = buffers[next ^= 1];
        in.setIndex(0, in.capacity());
        List<Object> out = nettyOut;
        out.clear();
        nettyDecoder.decodeDirectly(nettyContext, in, out);
        consume((HttpRequest) out.get(0), bh);
        if (out.get(1) != LastHttpContent.EMPTY_LAST_CONTENT) {
            throw new IllegalStateException("unexpected content: " + out.get(1));
        }
    }

    @Benchmark
    public void nettyEmbedded(Blackhole bh) {
        ByteBuf in = buffers[next ^= 1];
        in.setIndex(0, in.capacity());
        // The decoder releases its input once consumed; the retain keeps our buffer alive for the next round.
        nettyEmbedded.writeInbound(in.retain());
        consume(nettyEmbedded.readInbound(), bh);
        ReferenceCountUtil.release(nettyEmbedded.readInbound());
    }

    private static void consume(HttpRequest request, Blackhole bh) {
        if (!request.decoderResult().isSuccess()) {
            throw new IllegalStateException("Netty refused the request", request.decoderResult().cause());
        }
        bh.consume(request.method());
        bh.consume(request.uri());
        bh.consume(request.headers().get(HttpHeaderNames.HOST));
        bh.consume(HttpUtil.getContentLength(request, -1L));
        bh.consume(HttpUtil.isKeepAlive(request));
    }

    /** Netty's request decoder with its decode step callable without a channel pipeline around it. */
    static final class DirectRequestDecoder extends HttpRequestDecoder {
        void decodeDirectly(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
            decode(ctx, in, out);
        }
    }
}
