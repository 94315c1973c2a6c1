package io.sluice.bench.jmh;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;

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
 * </ul>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Dio.netty.leakDetection.level=disabled", "-Dio.netty.buffer.checkBounds=false",
    "-Dio.netty.buffer.checkAccessible=false", "-Dio.netty.noUnsafe=false"})
public abstract class CodecBenchmark {
}
