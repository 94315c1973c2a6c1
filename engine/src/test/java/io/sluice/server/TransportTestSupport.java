package io.sluice.server;

import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Shared helpers of the transport/lifecycle integration tests: short-timeout servers, polling waits. */
final class TransportTestSupport {

    private TransportTestSupport() {
    }

    /**
     * A server on 127.0.0.1, any free port, two loops, and every timeout short enough for a test;
     * tests override what they exercise.
     */
    static SluiceServer.Builder testServer() {
        return SluiceServer.builder()
                .address("127.0.0.1")
                .port(0)
                .eventLoops(2)
                .workerThreads(4)
                .headerTimeout(Duration.ofSeconds(5))
                .idleTimeout(Duration.ofSeconds(5))
                .bodyTimeout(Duration.ofSeconds(5))
                .writeTimeout(Duration.ofSeconds(5))
                .lingerTimeout(Duration.ofMillis(200));
    }

    static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: test\r\n\r\n";
    }

    /** Polls {@code condition} every few milliseconds until it holds, failing after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            pause(5);
        }
    }

    /** Like {@link #await}, with the last observed value in the failure message. */
    static <T> void awaitValue(String what, Duration timeout, Supplier<T> value, java.util.function.Predicate<T> accept) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = value.get();
        while (!accept.test(last)) {
            if (System.nanoTime() - deadline > 0) {
                fail("Timed out after " + timeout.toMillis() + " ms waiting for: " + what + " (last value: " + last + ")");
            }
            pause(5);
            last = value.get();
        }
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Opens a plain socket to the server with a small receive buffer (set before connecting). */
    static Socket connectWithReceiveBuffer(int port, int receiveBuffer, int readTimeoutMillis) throws IOException {
        Socket socket = new Socket();
        socket.setReceiveBufferSize(receiveBuffer);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(readTimeoutMillis);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Reads a response head (through the empty line) off {@code in}; returns it as text. */
    static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int last4 = 0;
        while (last4 != 0x0D0A0D0A) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("Connection closed within the response head: " + head);
            }
            head.write(b);
            last4 = (last4 << 8) | b;
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    static long contentLength(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                return Long.parseLong(line.substring(15).trim());
            }
        }
        return -1;
    }

    /**
     * Whether the peer closed (end of stream or reset) within the socket's read timeout, reading and
     * discarding whatever arrives first.
     */
    static boolean closedAfterDraining(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        byte[] sink = new byte[64 * 1024];
        try {
            while (true) {
                if (in.read(sink) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }
}
