package io.sluice.bench.netty;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.ChannelMatchers;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.bench.Payloads;
import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.Locale;
import java.util.TimeZone;
import java.util.concurrent.TimeUnit;

/**
 * Netty 4.2 on the benchmark endpoints, configured the way Netty's own high-throughput servers
 * (the TechEmpower entry, the HTTP examples) are:
 *
 * <ul>
 *   <li>{@code MultiThreadIoEventLoopGroup(n, NioIoHandler.newFactory())} or {@code
 *       EpollIoHandler.newFactory()}, one loop per available processor ({@code -Dbench.threads});
 *       on epoll one {@code SO_REUSEPORT} listener per loop;</li>
 *   <li>{@code HttpServerCodec} with its default (validating) decoder limits;</li>
 *   <li>GET responses pre-built: headers are {@code AsciiString} constants in a shared, non-validating
 *       {@code HttpHeaders} rebuilt once a second (new {@code Date}), bodies are unreleasable static
 *       buffers, so encoding is a copy of ready bytes;</li>
 *   <li>{@code ctx.write(response, ctx.voidPromise())} per request and one {@code ctx.flush()} in
 *       {@code channelReadComplete}, so pipelined responses leave in one write;</li>
 *   <li>no {@code HttpObjectAggregator} on the HTTP path: {@code POST /echo} collects its content
 *       into a composite buffer (no copy) itself; the aggregator and {@code
 *       WebSocketServerProtocolHandler} are added only to a connection that asks for {@code
 *       /ws/echo} or {@code /ws/broadcast} (a {@code ChannelGroup} of the handshaken channels,
 *       written with void promises and flushed once per read batch);</li>
 *   <li>leak detection off and buffer bounds/accessibility checks off (as in the TechEmpower entry),
 *       set before Netty's classes load ({@link NettyProperties}).</li>
 * </ul>
 */
public final class NettyBenchServer {

    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached(Payloads.TEXT_PLAIN);
    private static final AsciiString APPLICATION_JSON = AsciiString.cached(Payloads.APPLICATION_JSON);
    private static final ByteBuf PLAINTEXT_BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Payloads.PLAINTEXT.length).writeBytes(Payloads.PLAINTEXT)).asReadOnly();
    private static final ByteBuf JSON_BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Payloads.JSON.length).writeBytes(Payloads.JSON)).asReadOnly();
    private static final AsciiString PLAINTEXT_LENGTH = AsciiString.cached(Integer.toString(Payloads.PLAINTEXT.length));
    private static final AsciiString JSON_LENGTH = AsciiString.cached(Integer.toString(Payloads.JSON.length));

    /** Shared pre-built headers; replaced (never mutated after publication) once a second. */
    private static volatile Prebuilt prebuilt = Prebuilt.now();

    private NettyBenchServer() {
    }

    static void run(String name, int port, boolean epoll) throws InterruptedException {
        int threads = Payloads.ioThreads();
        IoHandlerFactory ioHandler;
        Class<? extends ServerChannel> channelType;
        if (epoll) {
            Epoll.ensureAvailability();
            ioHandler = EpollIoHandler.newFactory();
            channelType = EpollServerSocketChannel.class;
        } else {
            ioHandler = NioIoHandler.newFactory();
            channelType = NioServerSocketChannel.class;
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, ioHandler);
        group.next().scheduleAtFixedRate(() -> prebuilt = Prebuilt.now(), 1000 - System.currentTimeMillis() % 1000,
                1000, TimeUnit.MILLISECONDS);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channelType)
                .option(ChannelOption.SO_BACKLOG, 8192)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        channel.pipeline().addLast("codec", new HttpServerCodec());
                        channel.pipeline().addLast("http", new HttpHandler());
                    }
                });
        Channel first;
        if (epoll) {
            bootstrap.option(EpollChannelOption.SO_REUSEPORT, true);
            first = bootstrap.bind(port).sync().channel();
            for (int i = 1; i < threads; i++) {
                bootstrap.bind(port).sync();
            }
        } else {
            first = bootstrap.bind(port).sync().channel();
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly()));
        Payloads.started(name, port);
        first.closeFuture().sync();
    }

    /** The plaintext and JSON header sets for the current second. */
    private record Prebuilt(HttpHeaders plaintext, HttpHeaders json, AsciiString date) {
        static Prebuilt now() {
            SimpleDateFormat format = new SimpleDateFormat("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);
            format.setTimeZone(TimeZone.getTimeZone("GMT"));
            AsciiString date = new AsciiString(format.format(new Date()));
            return new Prebuilt(headers(TEXT_PLAIN, PLAINTEXT_LENGTH, date), headers(APPLICATION_JSON, JSON_LENGTH, date), date);
        }

        private static HttpHeaders headers(AsciiString type, AsciiString length, AsciiString date) {
            return DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                    .add(HttpHeaderNames.SERVER, SERVER)
                    .add(HttpHeaderNames.DATE, date)
                    .add(HttpHeaderNames.CONTENT_TYPE, type)
                    .add(HttpHeaderNames.CONTENT_LENGTH, length);
        }
    }

    /** GET /plaintext, GET /json, POST /echo; hands a WebSocket upgrade of /ws/echo or /ws/broadcast to Netty's handlers. */
    private static final class HttpHandler extends ChannelInboundHandlerAdapter {

        private CompositeByteBuf echoBody;
        private CharSequence echoType;
        private boolean echoKeepAlive;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest request) {
                if (request.decoderResult().isFailure()) {
                    ReferenceCountUtil.release(msg);
                    respondAndClose(ctx, HttpResponseStatus.BAD_REQUEST);
                    return;
                }
                String uri = request.uri();
                HttpMethod method = request.method();
                if (method == HttpMethod.GET && "/plaintext".equals(uri)) {
                    write(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            PLAINTEXT_BODY.duplicate(), prebuilt.plaintext(), HttpHeaders.EMPTY_HEADERS));
                } else if (method == HttpMethod.GET && "/json".equals(uri)) {
                    write(ctx, request, new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                            JSON_BODY.duplicate(), prebuilt.json(), HttpHeaders.EMPTY_HEADERS));
                } else if (method == HttpMethod.POST && "/echo".equals(uri)) {
                    if (HttpUtil.getContentLength(request, 0L) > Payloads.MAX_BODY) {
                        ReferenceCountUtil.release(msg);
                        respondAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                        return;
                    }
                    echoBody = ctx.alloc().compositeBuffer(64);
                    CharSequence type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
                    echoType = type != null ? type : HttpHeaderValues.APPLICATION_OCTET_STREAM;
                    echoKeepAlive = HttpUtil.isKeepAlive(request);
                    if (HttpUtil.is100ContinueExpected(request)) {
                        ctx.write(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE), ctx.voidPromise());
                    }
                } else if (method == HttpMethod.GET && "/ws/echo".equals(uri)) {
                    upgrade(ctx, msg, "/ws/echo", new WebSocketEcho());
                    return;
                } else if (method == HttpMethod.GET && "/ws/broadcast".equals(uri)) {
                    // Whole messages only: fragments of two senders must not interleave in the others' streams.
                    ctx.pipeline().addAfter("codec", "wsAggregator", new WebSocketFrameAggregator(Payloads.MAX_BODY));
                    upgrade(ctx, msg, "/ws/broadcast", new WebSocketBroadcast());
                    return;
                } else {
                    write(ctx, request, status(HttpResponseStatus.NOT_FOUND));
                }
                if (msg instanceof HttpContent) {
                    handleContent(ctx, (HttpContent) msg);
                }
                return;
            }
            if (msg instanceof HttpContent content) {
                handleContent(ctx, content);
                return;
            }
            ReferenceCountUtil.release(msg);
        }

        /** Hands the upgrade request to Netty's WebSocket handlers; only this connection pays for them. */
        private void upgrade(ChannelHandlerContext ctx, Object request, String path, ChannelHandler endpoint) {
            ChannelPipeline pipeline = ctx.pipeline();
            pipeline.addAfter("codec", "aggregator", new HttpObjectAggregator(65536));
            pipeline.addAfter("aggregator", "ws", new WebSocketServerProtocolHandler(
                    WebSocketServerProtocolConfig.newBuilder().websocketPath(path)
                            .maxFramePayloadLength(Payloads.MAX_BODY).build()));
            pipeline.addLast("endpoint", endpoint);
            pipeline.remove(this);
            pipeline.context("aggregator").fireChannelRead(request);
        }

        private void handleContent(ChannelHandlerContext ctx, HttpContent content) {
            if (echoBody == null) {
                content.release();
                return;
            }
            if (content.content().isReadable()) {
                if (echoBody.readableBytes() + content.content().readableBytes() > Payloads.MAX_BODY) {
                    content.release();
                    echoBody.release();
                    echoBody = null;
                    respondAndClose(ctx, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE);
                    return;
                }
                echoBody.addComponent(true, content.content().retain());
            }
            boolean last = content instanceof LastHttpContent;
            content.release();
            if (last) {
                ByteBuf body = echoBody;
                echoBody = null;
                HttpHeaders headers = DefaultHttpHeadersFactory.headersFactory().withValidation(false).newHeaders()
                        .add(HttpHeaderNames.SERVER, SERVER)
                        .add(HttpHeaderNames.DATE, prebuilt.date())
                        .add(HttpHeaderNames.CONTENT_TYPE, echoType)
                        .add(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes());
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                        body, headers, HttpHeaders.EMPTY_HEADERS);
                if (echoKeepAlive) {
                    ctx.write(response, ctx.voidPromise());
                } else {
                    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                }
            }
        }

        private static void write(ChannelHandlerContext ctx, HttpRequest request, FullHttpResponse response) {
            if (HttpUtil.isKeepAlive(request)) {
                ctx.write(response, ctx.voidPromise());
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        private static FullHttpResponse status(HttpResponseStatus status) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.EMPTY_BUFFER);
            response.headers().set(HttpHeaderNames.SERVER, SERVER).set(HttpHeaderNames.DATE, prebuilt.date())
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, 0);
            return response;
        }

        private static void respondAndClose(ChannelHandlerContext ctx, HttpResponseStatus status) {
            FullHttpResponse response = status(status);
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (echoBody != null) {
                echoBody.release();
                echoBody = null;
            }
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /**
     * Sends every text and binary message to every channel that completed the handshake on {@code
     * /ws/broadcast}, the sender included: a {@link ChannelGroup} (which drops closed channels itself)
     * writes a retained duplicate of the one frame to each, with void promises; the sender's {@code
     * channelReadComplete} flushes them all once per read batch.
     */
    private static final class WebSocketBroadcast extends ChannelInboundHandlerAdapter {
        private static final ChannelGroup SESSIONS = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

        private boolean wrote;

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
                SESSIONS.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(event);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                SESSIONS.write(msg, ChannelMatchers.all(), true); // releases msg once written to all
                wrote = true;
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            if (wrote) {
                wrote = false;
                SESSIONS.flush();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    /** Echoes every data frame (text, binary, continuation) as it came; one flush per read batch. */
    private static final class WebSocketEcho extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame
                    || msg instanceof ContinuationWebSocketFrame) {
                ctx.write(msg, ctx.voidPromise());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
