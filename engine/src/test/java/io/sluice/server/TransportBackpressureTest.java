package io.sluice.server;

import static io.sluice.server.TransportTestSupport.await;
import static io.sluice.server.TransportTestSupport.awaitValue;
import static io.sluice.server.TransportTestSupport.connectWithReceiveBuffer;
import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.testing.RawHttpClient;
import io.sluice.transport.CloseReason;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Backpressure both ways over real sockets: a streamed body never runs ahead of a slow reader by more
 * than the buffers in between, a client that stops reading stops being read, and a client that goes
 * away mid-response costs nothing but its connection.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportBackpressureTest {

    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int PIECE = 8192;

    private SluiceServer server;
    /** Anything thrown out of a worker thread: there must be none. */
    private final List<Throwable> escaped = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() {
        if (server != null) {
            server.stop();
        }
        assertThat(escaped).as("exceptions escaping worker threads").isEmpty();
    }

    private SluiceServer.Builder builder() {
        return testServer().workerThreadFactory(runnable -> {
            Thread thread = new Thread(runnable, "test-worker");
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> escaped.add(e));
            return thread;
        });
    }

    private SluiceServer start(SluiceServer.Builder builder) throws IOException {
        server = builder.build();
        server.start();
        return server;
    }

    /** Piece {@code index} of a streamed body: bytes that tell where they belong. */
    private static void fill(byte[] piece, long index) {
        for (int j = 0; j < piece.length; j++) {
            piece[j] = (byte) (index * 7 + j);
        }
    }

    private static byte expectedAt(long position) {
        return (byte) ((position / PIECE) * 7 + position % PIECE);
    }

    @Test
    void hundredMebibytesReachASlowReaderCompleteWhileTheWriterIsHeldBack() throws Exception {
        long size = 100L << 20;
        AtomicLong produced = new AtomicLong();
        AtomicReference<Thread> writer = new AtomicReference<>();
        CompletableFuture<Throwable> writerOutcome = new CompletableFuture<>();
        start(builder().writeTimeout(Duration.ofSeconds(10)).get("/big", request ->
                HttpResponse.status(200).stream(size, out -> {
                    writer.set(Thread.currentThread());
                    byte[] piece = new byte[PIECE];
                    try {
                        for (long i = 0; i < size / PIECE; i++) {
                            fill(piece, i);
                            out.write(piece);
                            produced.addAndGet(PIECE);
                        }
                        writerOutcome.complete(null);
                    } catch (IOException e) {
                        writerOutcome.complete(e);
                        throw e;
                    }
                })));

        // Socket buffers on both ends (on Linux the server's send buffer autotunes up to tcp_wmem's
        // maximum, 4 MiB by default; the client's receive buffer is small) plus the connection's water
        // marks and the stream's hand-off window: a few MiB, never close to the 100 MiB body.
        long bound = maxSendBuffer() + (2L << 20);
        long maxGap = 0;
        try (Socket socket = connectWithReceiveBuffer(server.port(), 32 * 1024, 10_000)) {
            socket.getOutputStream().write(get("/big").getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            String head = TransportTestSupport.readHead(in);
            assertThat(head).startsWith("HTTP/1.1 200");
            assertThat(TransportTestSupport.contentLength(head)).isEqualTo(size);

            long[] pauses = {1L << 20, 40L << 20, 90L << 20};
            int nextPause = 0;
            byte[] buffer = new byte[64 * 1024];
            long read = 0;
            while (read < size) {
                if (nextPause < pauses.length && read >= pauses[nextPause]) {
                    nextPause++;
                    awaitWriterHeldBack(writer, produced);
                    long gap = produced.get() - read;
                    assertThat(gap).as("bytes produced but not read while the reader pauses").isLessThan(bound);
                    maxGap = Math.max(maxGap, gap);
                }
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, size - read));
                assertThat(n).as("end of stream after %d of %d bytes", read, size).isPositive();
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != expectedAt(read + i)) {
                        throw new AssertionError("wrong byte at " + (read + i));
                    }
                }
                read += n;
                maxGap = Math.max(maxGap, produced.get() - read);
            }
            assertThat(read).isEqualTo(size);
            assertThat(writerOutcome.get(5, TimeUnit.SECONDS)).isNull();
            assertThat(maxGap).as("largest lead of the writer over the reader").isLessThan(bound);

        }
        awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
    }

    /** The largest send buffer the kernel may autotune a socket to (Linux), at least 4 MiB. */
    private static long maxSendBuffer() {
        long fallback = 4L << 20;
        try {
            String[] wmem = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/net/ipv4/tcp_wmem"))
                    .trim().split("\\s+");
            return Math.max(fallback, Long.parseLong(wmem[2]));
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
    }

    /** Waits until the writer thread is parked in the stream and has produced nothing for 100 ms. */
    private static void awaitWriterHeldBack(AtomicReference<Thread> writer, AtomicLong produced) {
        long[] last = {-1, System.nanoTime()};
        await("the writer blocked by backpressure", WAIT, () -> {
            long now = System.nanoTime();
            long value = produced.get();
            if (value != last[0]) {
                last[0] = value;
                last[1] = now;
                return false;
            }
            Thread thread = writer.get();
            return thread != null && thread.getState() == Thread.State.WAITING
                    && TimeUnit.NANOSECONDS.toMillis(now - last[1]) >= 100;
        });
    }

    @Test
    void clientResettingMidResponseCostsOnlyItsConnection() throws Exception {
        long size = 64L << 20;
        AtomicLong produced = new AtomicLong();
        CompletableFuture<Throwable> writerOutcome = new CompletableFuture<>();
        start(builder().get("/small", request -> HttpResponse.text("small")).get("/huge", request ->
                HttpResponse.status(200).stream(size, out -> {
                    byte[] piece = new byte[PIECE];
                    try {
                        for (long i = 0; i < size / PIECE; i++) {
                            out.write(piece);
                            produced.addAndGet(PIECE);
                        }
                        writerOutcome.complete(null);
                    } catch (IOException e) {
                        writerOutcome.complete(e);
                        throw e;
                    }
                })));
        try (RawHttpClient other = new RawHttpClient(server.port(), 5_000)) {
            assertThat(other.exchange(get("/small")).status()).isEqualTo(200);

            Socket resetter = connectWithReceiveBuffer(server.port(), 32 * 1024, 5_000);
            resetter.getOutputStream().write(get("/huge").getBytes(StandardCharsets.US_ASCII));
            InputStream in = resetter.getInputStream();
            TransportTestSupport.readHead(in);
            byte[] sink = new byte[64 * 1024];
            long read = 0;
            while (read < (1 << 20)) {
                int n = in.read(sink);
                assertThat(n).isPositive();
                read += n;
            }
            resetter.setSoLinger(true, 0);
            resetter.close(); // RST with data in flight both ways

            assertThat(writerOutcome.get(5, TimeUnit.SECONDS)).as("the writer learns the client is gone")
                    .isInstanceOf(IOException.class);
            awaitValue("IO_ERROR close counted", WAIT,
                    () -> server.stats().connectionsClosed(CloseReason.IO_ERROR), n -> n == 1);
            awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
            assertThat(produced.get()).isLessThan(size);

            // The other client was never disturbed, and new ones are served.
            assertThat(other.exchange(get("/small")).bodyText()).isEqualTo("small");
            try (RawHttpClient fresh = new RawHttpClient(server.port(), 5_000)) {
                assertThat(fresh.exchange(get("/small")).bodyText()).isEqualTo("small");
            }
        }
        awaitValue("no connection left", WAIT, () -> server.stats().connectionsActive(), n -> n == 0);
        assertThat(server.stats().handlerErrors()).isZero();
    }

    @Test
    void pipeliningClientThatNeverReadsIsNotReadEitherAndIsClosedAfterTheWriteTimeout() throws Exception {
        byte[] body = new byte[64 * 1024];
        int requests = 4000;
        start(builder().writeTimeout(Duration.ofMillis(500))
                .route(Route.of("GET", "/chunk", request -> HttpResponse.status(200).body(body))
                        .dispatch(Dispatch.EVENT_LOOP))
                .get("/small", request -> HttpResponse.text("small")));
        byte[] request = get("/chunk").getBytes(StandardCharsets.US_ASCII);
        byte[] pipeline = new byte[request.length * requests];
        for (int i = 0; i < requests; i++) {
            System.arraycopy(request, 0, pipeline, i * request.length, request.length);
        }
        try (Socket stuck = connectWithReceiveBuffer(server.port(), 16 * 1024, 5_000)) {
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = stuck.getOutputStream();
                    out.write(pipeline); // may block: the server stops reading
                } catch (IOException e) {
                    // closed by the server
                }
            });
            // Output stops growing once the buffers are full: the server stopped reading requests.
            awaitOutputSettled();
            long written = server.stats().bytesWritten();
            assertThat(written).as("bytes written to a client that reads nothing").isLessThan(16L << 20);
            assertThat(server.stats().bytesRead()).as("request bytes read").isLessThan(pipeline.length);

            // Meanwhile other clients are served.
            try (RawHttpClient other = new RawHttpClient(server.port(), 5_000)) {
                assertThat(other.exchange(get("/small")).bodyText()).isEqualTo("small");
            }

            awaitValue("WRITE_TIMEOUT close counted", WAIT,
                    () -> server.stats().connectionsClosed(CloseReason.WRITE_TIMEOUT), n -> n == 1);
            awaitValue("no request active", WAIT, () -> server.stats().requestsActive(), n -> n == 0);
            assertThat(TransportTestSupport.closedAfterDraining(stuck)).isTrue();
            sending.get(5, TimeUnit.SECONDS);
        }
    }

    private void awaitOutputSettled() {
        long[] last = {-1, System.nanoTime()};
        await("bytesWritten settled", WAIT, () -> {
            long now = System.nanoTime();
            long value = server.stats().bytesWritten();
            if (value != last[0]) {
                last[0] = value;
                last[1] = now;
                return false;
            }
            return value > 0 && TimeUnit.NANOSECONDS.toMillis(now - last[1]) >= 150;
        });
    }

    @Test
    void manyPipelinedRequestsInOneWriteAreAllAnsweredInOrderOnTheLoop() throws Exception {
        start(builder().route(Route.of("GET", "/n/{n}", request -> HttpResponse.text(request.pathVariable("n")))
                .dispatch(Dispatch.EVENT_LOOP)));
        assertPipelinedAnsweredInOrder(300);
    }

    @Test
    void manyPipelinedRequestsInOneWriteAreAllAnsweredInOrderOnWorkers() throws Exception {
        start(builder().get("/n/{n}", request -> HttpResponse.text(request.pathVariable("n"))));
        assertPipelinedAnsweredInOrder(300);
    }

    private void assertPipelinedAnsweredInOrder(int count) throws IOException {
        StringBuilder pipeline = new StringBuilder();
        for (int i = 0; i < count; i++) {
            pipeline.append(get("/n/" + i));
        }
        try (RawHttpClient client = new RawHttpClient(server.port(), 3_000)) {
            client.send(pipeline.toString());
            for (int i = 0; i < count; i++) {
                RawHttpClient.Response response = client.readResponse();
                assertThat(response.status()).as("response %d", i).isEqualTo(200);
                assertThat(response.bodyText()).as("response %d", i).isEqualTo(Integer.toString(i));
            }
            // Nothing more: no duplicated answers.
            client.socket().setSoTimeout(300);
            assertThat(client.isClosedByServer()).isFalse();
        }
        assertThat(server.stats().requestsTotal()).isEqualTo(count);
    }
}
