package io.sluice.bench.jmh;

import io.netty.util.concurrent.FastThreadLocalThread;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;

/**
 * The settings every codec benchmark shares (JMH reads class annotations of superclasses): average time
 * per operation in nanoseconds, one fork, and Netty set up as its maintainers do for throughput.
 *
 * <ul>
 *   <li>Leak detection off and buffer bounds/accessibility checks off, as in the peer server
 *       ({@code NettyProperties}) and Netty's TechEmpower entry.
 *   <li>{@code io.netty.noUnsafe=false}: Netty 4.2 stops using {@code sun.misc.Unsafe} by default on
 *       Java 25+, which makes its direct buffers and allocator slower; a tuned Netty deployment turns it
 *       back on, so Netty is measured with it on every JVM (on Java 17 this is already the default).
 *   <li>Benchmark threads are Netty {@code FastThreadLocalThread}s, like event-loop threads, so Netty's
 *       allocator takes its per-thread path ({@link EventLoopThreadExecutor}).
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.buffer.checkBounds=false",
    "-Dio.netty.buffer.checkAccessible=false", "-Dio.netty.noUnsafe=false",
    "-Djmh.executor=CUSTOM", "-Djmh.executor.class=io.sluice.bench.jmh.EventLoopThreadExecutor"})
public abstract class CodecBenchmark {

    /** Refuses to measure Netty on the wrong kind of thread (e.g. when {@code -jvmArgs} on the command line replaced the ones above). */
    @Setup(Level.Trial)
    public void requireEventLoopLikeThread() {
        if (!FastThreadLocalThread.currentThreadWillCleanupFastThreadLocals()) {
            throw new IllegalStateException("benchmark thread is not a FastThreadLocalThread: run with "
                    + "-Djmh.executor=CUSTOM -Djmh.executor.class=" + EventLoopThreadExecutor.class.getName());
        }
    }
}
