package io.sluice.bench.jmh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.sluice.http.RequestHead;
import io.sluice.http.RequestHeadParser;
import io.sluice.websocket.FrameDecoder;
import io.sluice.websocket.FrameEncoder;
import io.sluice.websocket.FrameSink;
import io.sluice.websocket.Opcodes;
import io.sluice.websocket.Utf8Validator;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The two sides of each benchmark pair do the same work on the same bytes (otherwise their times
 * compare nothing), and every benchmark method runs for every parameter.
 */
@Timeout(60)
class BenchmarkPairsTest {

    @ParameterizedTest
    @ValueSource(strings = {"curl", "browser"})
    void sluiceAndNettyReadTheSameRequest(String kind) throws Exception {
        byte[] bytes = kind.equals("curl") ? Inputs.curlRequest("/api/items?page=1")
                : Inputs.browserRequest("/api/items?page=1");
        RequestHeadParser parser = new RequestHeadParser(8192, 8192, 100);
        RequestHead head = parser.parse(bytes, 0, parser.scan(bytes, 0, bytes.length));

        RequestHeadParseBenchmark.DirectRequestDecoder decoder = new RequestHeadParseBenchmark.DirectRequestDecoder();
        ChannelHandlerContext ctx = new EmbeddedChannel(decoder).pipeline().context(decoder);
        List<Object> out = new ArrayList<>();
        decoder.decodeDirectly(ctx, Unpooled.wrappedBuffer(bytes), out);
        HttpRequest request = (HttpRequest) out.get(0);

        assertThat(request.decoderResult().isSuccess()).isTrue();
        assertThat(head.method()).isEqualTo(request.method().name()).isEqualTo("GET");
        assertThat(head.target()).isEqualTo(request.uri()).isEqualTo("/api/items?page=1");
        assertThat(head.first("Host")).isEqualTo(request.headers().get(HttpHeaderNames.HOST));
        assertThat(head.size()).isEqualTo(request.headers().size()).isEqualTo(kind.equals("curl") ? 3 : 10);
        assertThat(head.contentLength()).isEqualTo(HttpUtil.getContentLength(request, -1L)).isEqualTo(-1L);
        assertThat(head.keepAlive()).isEqualTo(HttpUtil.isKeepAlive(request)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text-125", "binary-4096", "binary-65536"})
    void bothDecodersDeliverTheUnmaskedPayload(String frame) throws Exception {
        byte[] payload = payload(frame);
        byte[] wire = Inputs.maskedClientFrame(isText(frame) ? Opcodes.TEXT : Opcodes.BINARY, payload);

        ByteArrayOutputStream sluicePayload = new ByteArrayOutputStream();
        FrameDecoder sluice = new FrameDecoder(1024 * 1024, false);
        sluice.decode(wire.clone(), 0, wire.length, new FrameSink() {
            @Override
            public void onFrameStart(int opcode, boolean fin, boolean rsv1, long payloadLength) {
            }

            @Override
            public void onPayload(byte[] bytes, int offset, int length) {
                sluicePayload.write(bytes, offset, length);
            }

            @Override
            public void onFrameEnd() {
            }
        });

        WebSocketDecodeBenchmark.DirectFrameDecoder netty = new WebSocketDecodeBenchmark.DirectFrameDecoder(1024 * 1024);
        ChannelHandlerContext ctx = new EmbeddedChannel(netty).pipeline().context(netty);
        List<Object> out = new ArrayList<>();
        netty.decodeDirectly(ctx, Unpooled.wrappedBuffer(wire.clone()), out);
        WebSocketFrame decoded = (WebSocketFrame) out.get(0);

        assertThat(sluice.isFailed()).isFalse();
        assertThat(sluicePayload.toByteArray()).isEqualTo(payload);
        assertThat(decoded).isInstanceOf(isText(frame) ? TextWebSocketFrame.class : BinaryWebSocketFrame.class);
        assertThat(ByteBufUtil.getBytes(decoded.content())).isEqualTo(payload);
        decoded.release();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text-125", "binary-4096", "binary-65536"})
    void bothEncodersWriteTheSameFrame(String frame) throws Exception {
        byte[] payload = payload(frame);
        int opcode = isText(frame) ? Opcodes.TEXT : Opcodes.BINARY;
        ByteBuffer sluice = ByteBuffer.allocate(FrameEncoder.MAX_HEADER_LENGTH + payload.length);
        FrameEncoder.writeHeader(sluice, opcode, true, false, payload.length);
        sluice.put(payload);

        WebSocketEncodeBenchmark.DirectFrameEncoder netty = new WebSocketEncodeBenchmark.DirectFrameEncoder();
        ChannelHandlerContext ctx = new EmbeddedChannel(netty).pipeline().context(netty);
        List<Object> out = new ArrayList<>();
        ByteBuf data = Unpooled.wrappedBuffer(payload);
        netty.encodeDirectly(ctx, isText(frame) ? new TextWebSocketFrame(data) : new BinaryWebSocketFrame(data), out);
        ByteArrayOutputStream nettyBytes = new ByteArrayOutputStream();
        for (Object o : out) {
            ByteBuf buf = (ByteBuf) o;
            nettyBytes.writeBytes(ByteBufUtil.getBytes(buf));
            buf.release();
        }

        assertThat(nettyBytes.toByteArray()).isEqualTo(Arrays.copyOf(sluice.array(), sluice.position()));
        // Both hand a large payload over by reference and copy a small one: one output piece or two.
        assertThat(out).hasSize(payload.length <= 1024 ? 1 : 2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ascii-1024", "ascii-65536", "mixed-1024", "mixed-65536"})
    void allValidatorsAcceptTheTextAndRejectItCorrupted(String text) {
        int size = Integer.parseInt(text.substring(text.indexOf('-') + 1));
        byte[] valid = text.startsWith("ascii") ? Inputs.asciiText(size) : Inputs.mixedText(size);
        assertThat(valid).hasSize(size);
        byte[] invalid = valid.clone();
        invalid[size / 2] = (byte) 0xFF; // never part of well-formed UTF-8

        assertThat(Utf8Validator.isValid(valid, 0, size)).isTrue();
        assertThat(ByteBufUtil.isText(Unpooled.wrappedBuffer(valid), StandardCharsets.UTF_8)).isTrue();
        assertThat(passesNettyFrameValidator(valid)).isTrue();

        assertThat(Utf8Validator.isValid(invalid, 0, size)).isFalse();
        assertThat(ByteBufUtil.isText(Unpooled.wrappedBuffer(invalid), StandardCharsets.UTF_8)).isFalse();
        assertThatThrownBy(() -> passesNettyFrameValidator(invalid)).isInstanceOf(CorruptedWebSocketFrameException.class);
    }

    @Test
    void mixedTextIsMostlyMultiByte() {
        byte[] mixed = Inputs.mixedText(65536);
        long continuationBytes = 0;
        for (byte b : mixed) {
            continuationBytes += (b & 0xC0) == 0x80 ? 1 : 0;
        }
        assertThat(continuationBytes).isGreaterThan(mixed.length / 3);
    }

    /**
     * Runs every {@code @Benchmark} method JMH generated a benchmark for, for every {@code @Param} value,
     * the way JMH does: setup (including the thread check), a few invocations, teardown. The methods throw
     * when a codec refuses its input or the two sides disagree.
     */
    @Test
    void everyBenchmarkRunsForEveryParameter() throws Exception {
        Set<String> listed = jmhBenchmarkList();
        Set<String> ran = new TreeSet<>();
        Throwable[] failure = new Throwable[1];
        // Benchmarks run on Netty FastThreadLocalThreads (see CodecBenchmark); this makes the test thread one.
        FastThreadLocalThread.runWithFastThreadLocal(() -> {
            try {
                for (String className : listed.stream().map(n -> n.substring(0, n.lastIndexOf('.')))
                        .collect(Collectors.toCollection(TreeSet::new))) {
                    runAll(Class.forName(className), ran);
                }
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        if (failure[0] != null) {
            throw new AssertionError("a benchmark failed", failure[0]);
        }
        assertThat(ran).isEqualTo(listed).hasSizeGreaterThanOrEqualTo(19);
    }

    private static void runAll(Class<?> type, Set<String> ran) throws Exception {
        Blackhole bh = new Blackhole(
                "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");
        Field param = null;
        for (Field f : type.getFields()) {
            if (f.isAnnotationPresent(Param.class)) {
                param = f;
            }
        }
        String[] values = param == null ? new String[] {null} : param.getAnnotation(Param.class).value();
        for (String value : values) {
            Object benchmark = type.getDeclaredConstructor().newInstance();
            if (param != null) {
                param.set(benchmark, param.getType() == int.class ? (Object) Integer.parseInt(value) : value);
            }
            invokeAnnotated(benchmark, Setup.class);
            for (Method m : type.getMethods()) {
                if (m.isAnnotationPresent(Benchmark.class)) {
                    for (int i = 0; i < 3; i++) {
                        invoke(benchmark, m, m.getParameterCount() == 1 ? new Object[] {bh} : new Object[0]);
                    }
                    ran.add(type.getName() + "." + m.getName());
                }
            }
            invokeAnnotated(benchmark, TearDown.class);
        }
    }

    private static void invokeAnnotated(Object target, Class<? extends Annotation> annotation)
            throws Exception {
        for (Method m : target.getClass().getMethods()) {
            if (m.isAnnotationPresent(annotation)) {
                invoke(target, m);
            }
        }
    }

    private static void invoke(Object target, Method m, Object... args) throws Exception {
        try {
            m.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw new AssertionError(target.getClass().getSimpleName() + "." + m.getName() + " failed", e.getCause());
        }
    }

    /** "class.method" of each benchmark the annotation processor generated (JMH's own list). */
    private static Set<String> jmhBenchmarkList() throws Exception {
        Set<String> names = new TreeSet<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                BenchmarkPairsTest.class.getResourceAsStream("/META-INF/BenchmarkList"), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                // JMH S <n> <user class> S <n> <generated class> S <n> <method> ...
                String[] tokens = line.split(" ");
                names.add(tokens[3] + "." + tokens[9]);
            }
        }
        return names;
    }

    private static boolean passesNettyFrameValidator(byte[] text) {
        List<Object> received = new ArrayList<>();
        Utf8FrameValidator validator = new Utf8FrameValidator();
        EmbeddedChannel channel = new EmbeddedChannel(validator, new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                received.add(msg);
            }
        });
        try {
            TextWebSocketFrame frame = new TextWebSocketFrame(Unpooled.wrappedBuffer(text));
            validator.channelRead(channel.pipeline().context(validator), frame);
            return received.size() == 1 && received.get(0) == frame;
        } catch (CorruptedWebSocketFrameException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isText(String frame) {
        return frame.startsWith("text");
    }

    private static byte[] payload(String frame) {
        int size = Integer.parseInt(frame.substring(frame.indexOf('-') + 1));
        return isText(frame) ? Inputs.asciiText(size) : Inputs.binary(size);
    }
}
