package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.websocketx.WebSocket08FrameDecoder;
import io.sluice.websocket.UnmaskAccess;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Unmasking a payload alone: XOR with the 4-byte key, in place.
 *
 * <ul>
 *   <li>{@code sluice}: {@code FrameDecoder.unmask} (package-private, reached through
 *       {@link UnmaskAccess}) on a {@code byte[]}, which is where Sluice unmasks: in the read buffer.
 *   <li>{@code netty}: {@code WebSocket08FrameDecoder}'s own private {@code unmask(ByteBuf)}, called
 *       through a method handle (a {@code static final} handle, which the JIT inlines like a direct call)
 *       on a decoder whose {@code mask} field holds the same key, over a heap buffer with the same bytes.
 *   <li>{@code nettyDirect}: the same routine over a direct buffer, which is what Netty's decoder gets
 *       from a pooled allocator in a server.
 *   <li>{@code scalarReference}: the textbook loop, one byte at a time, as a yardstick for both.
 * </ul>
 *
 * <p>The buffers are unmasked in place again on every invocation (flipping between masked and
 * unmasked), which is the same work each time and allocates nothing.
 */
@State(Scope.Thread)
public class UnmaskBenchmark extends CodecBenchmark {

    private static final MethodHandle NETTY_UNMASK;
    private static final VarHandle NETTY_MASK;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(WebSocket08FrameDecoder.class,
                    MethodHandles.lookup());
            NETTY_UNMASK = lookup.findVirtual(WebSocket08FrameDecoder.class, "unmask",
                    MethodType.methodType(void.class, ByteBuf.class));
            NETTY_MASK = lookup.findVarHandle(WebSocket08FrameDecoder.class, "mask", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError("WebSocket08FrameDecoder.unmask(ByteBuf) / mask not found: "
                    + "this benchmark follows Netty 4.2's decoder (" + e + ")");
        }
    }

    @Param({"4096", "65536"})
    public int size;

    private byte[] sluiceBytes;
    private byte[] referenceBytes;
    private byte[] referenceKey;
    private ByteBuf nettyHeap;
    private ByteBuf nettyDirect;
    private WebSocket08FrameDecoder nettyDecoder;

    @Setup(Level.Trial)
    public void setUp() {
        byte[] data = Inputs.binary(size);
        sluiceBytes = data.clone();
        referenceBytes = data.clone();
        referenceKey = new byte[] {(byte) (Inputs.MASK_KEY >>> 24), (byte) (Inputs.MASK_KEY >>> 16),
            (byte) (Inputs.MASK_KEY >>> 8), (byte) Inputs.MASK_KEY};
        nettyHeap = Unpooled.wrappedBuffer(data.clone());
        nettyDirect = Unpooled.directBuffer(size).writeBytes(data);
        nettyDecoder = new WebSocket08FrameDecoder(true, false, 1024 * 1024);
        // The decoder reads the key with readInt(): big-endian, first key byte highest, as Sluice keeps it.
        NETTY_MASK.set(nettyDecoder, Inputs.MASK_KEY);
        checkAgree();
    }

    @Benchmark
    public int sluice() {
        return UnmaskAccess.unmask(sluiceBytes, 0, sluiceBytes.length, Inputs.MASK_KEY, 0);
    }

    @Benchmark
    public void netty(Blackhole bh) throws Throwable {
        NETTY_UNMASK.invokeExact(nettyDecoder, nettyHeap);
        bh.consume(nettyHeap);
    }

    @Benchmark
    public void nettyDirect(Blackhole bh) throws Throwable {
        NETTY_UNMASK.invokeExact(nettyDecoder, nettyDirect);
        bh.consume(nettyDirect);
    }

    @Benchmark
    public void scalarReference(Blackhole bh) {
        xorByteByByte(referenceBytes, referenceKey);
        bh.consume(referenceBytes);
    }

    private static void xorByteByByte(byte[] bytes, byte[] key) {
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] ^= key[i & 3];
        }
    }

    /** All four must compute the same bytes, or the comparison means nothing. */
    private void checkAgree() {
        try {
            sluice();
            NETTY_UNMASK.invokeExact(nettyDecoder, nettyHeap);
            NETTY_UNMASK.invokeExact(nettyDecoder, nettyDirect);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        xorByteByByte(referenceBytes, referenceKey);
        byte[] heap = new byte[size];
        byte[] direct = new byte[size];
        nettyHeap.getBytes(0, heap);
        nettyDirect.getBytes(0, direct);
        if (!Arrays.equals(sluiceBytes, heap) || !Arrays.equals(sluiceBytes, direct)
                || !Arrays.equals(sluiceBytes, referenceBytes)) {
            throw new IllegalStateException("the unmasking routines disagree");
        }
    }
}
