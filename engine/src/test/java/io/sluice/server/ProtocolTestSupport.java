package io.sluice.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.RawHttpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;
import java.util.concurrent.locks.LockSupport;

/** Helpers shared by the protocol integration tests: waiting on conditions, never sleeping. */
final class ProtocolTestSupport {

    static final Duration DEFAULT_WAIT = Duration.ofSeconds(5);

    private ProtocolTestSupport() {
    }

    /** Polls {@code condition} until it holds; fails with {@code what} after {@link #DEFAULT_WAIT}. */
    static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + DEFAULT_WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for: " + what);
            }
            LockSupport.parkNanos(200_000);
        }
    }

    /** Waits until {@code counter} reaches at least {@code target}. */
    static void awaitAtLeast(String what, LongSupplier counter, long target) {
        await(what + " >= " + target, () -> counter.getAsLong() >= target);
    }

    /**
     * Sends {@code pieces} one after another, waiting after each until the server has read all bytes
     * sent so far, so the server really sees them as separate reads (needs a server only this client
     * talks to).
     */
    static void sendInSeparateReads(SluiceServer server, RawHttpClient client, byte[]... pieces) throws IOException {
        long expected = server.stats().bytesRead();
        for (byte[] piece : pieces) {
            if (piece.length == 0) {
                continue;
            }
            client.send(piece);
            expected += piece.length;
            awaitAtLeast("server bytesRead", () -> server.stats().bytesRead(), expected);
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The connection is closed by the server (end of stream or reset) within the read timeout. */
    static void assertClosed(RawHttpClient client) throws IOException {
        assertThat(client.isClosedByServer()).as("connection closed by the server").isTrue();
    }
}
