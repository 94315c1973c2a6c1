package io.sluice.boot.conformance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * The suite's only way to reach a server: the JDK's own HTTP/1.1 client, which neither decompresses
 * bodies nor shares code with any server under test, plus plain sockets for "is anything listening".
 * Every call is bounded by {@link #TIMEOUT}.
 */
final class ConformanceClient {

    static final Duration TIMEOUT = Duration.ofSeconds(10);

    /** Between two looks at state the suite cannot wait on (whether a port listens); not a synchronisation. */
    private static final long POLL_INTERVAL_MILLIS = 10;

    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(TIMEOUT)
            .build();

    private final String host;

    ConformanceClient(String host) {
        this.host = host;
    }

    /** Sends a GET; {@code headers} are name/value pairs. */
    HttpResponse<byte[]> get(int port, String... headers) throws Exception {
        return await(getAsync(port, headers));
    }

    /** Sends a POST with {@code body}; {@code headers} are name/value pairs. */
    HttpResponse<byte[]> post(int port, byte[] body, String... headers) throws Exception {
        return await(send(request(port, headers).POST(HttpRequest.BodyPublishers.ofByteArray(body))));
    }

    CompletableFuture<HttpResponse<byte[]>> getAsync(int port, String... headers) {
        return send(request(port, headers).GET());
    }

    /**
     * Starts a GET that the server is expected to hold, with a timeout well beyond {@link #TIMEOUT}: when such
     * a request ends within {@code TIMEOUT} of some event, the server ended it, not the client giving up.
     */
    CompletableFuture<HttpResponse<byte[]>> getHeldAsync(int port) {
        return send(request(port).GET().timeout(TIMEOUT.multipliedBy(3)));
    }

    private HttpRequest.Builder request(int port, String... headers) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/"))
                .timeout(TIMEOUT);
        return headers.length == 0 ? builder : builder.headers(headers);
    }

    private CompletableFuture<HttpResponse<byte[]>> send(HttpRequest.Builder request) {
        return client.sendAsync(request.build(), BodyHandlers.ofByteArray());
    }

    static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Whether a TCP connection to {@code address:port} is accepted (by anyone) within a few seconds. */
    static boolean acceptsConnections(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), 3_000);
            return true;
        } catch (IOException refusedOrUnreachable) {
            return false;
        }
    }

    /**
     * Polls until {@code address:port} refuses connections or {@code deadline} has passed; for a server that
     * stops listening asynchronously, such as during a graceful shutdown.
     */
    static boolean refusesConnectionsWithin(Duration deadline, InetAddress address, int port)
            throws InterruptedException {
        long end = System.nanoTime() + deadline.toNanos();
        while (acceptsConnections(address, port)) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(POLL_INTERVAL_MILLIS);
        }
        return true;
    }

    static byte[] gunzip(byte[] compressed) {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        } catch (IOException ex) {
            throw new UncheckedIOException("response body is not valid gzip", ex);
        }
    }
}
