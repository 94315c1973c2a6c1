package io.sluice.bench.client;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Measures a server's startup: launches it, polls {@code GET /plaintext} every millisecond until the
 * first correct answer, and reads the server's resident memory right then:
 *
 * <pre>StartupProbe PORT LOG_FILE TIMEOUT_S COMMAND [ARGS...]</pre>
 *
 * <p>The clock starts just before the process is launched, so the time includes the JVM's own start.
 * Prints {@code RESULT pid=P startup_ms=T rss_kb=R} ({@code VmRSS} of {@code /proc/P/status}), or
 * {@code RESULT pid=P startup_ms=0 rss_kb=0 error=...} if the server did not answer correctly within
 * {@code TIMEOUT_S} seconds or exited. The server keeps running with its output in {@code LOG_FILE};
 * the probe stays its parent until it exits (stop it by its pid), so that it is reaped and its exit
 * status is reported. Stopping the probe stops the server.
 */
public final class StartupProbe {

    private static final byte[] EXPECTED_BODY = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    private static final int POLL_MILLIS = 1;
    /** Long enough for a server that accepts before it is ready to finish starting. */
    private static final int READ_TIMEOUT_MILLIS = 30_000;

    private StartupProbe() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: StartupProbe PORT LOG_FILE TIMEOUT_S COMMAND [ARGS...]");
            System.exit(2);
        }
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0]));
        File log = new File(args[1]);
        long timeoutNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(args[2]));
        List<String> command = Arrays.asList(args).subList(3, args.length);

        // One attempt before the launch loads and links everything the polling loop uses.
        if (answersCorrectly(address)) {
            System.out.println("RESULT pid=0 startup_ms=0 rss_kb=0 error=port-already-serving");
            System.exit(1);
        }
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        long start = System.nanoTime();
        Process server = builder.start();
        // Stopping the probe stops the server too, so that neither outlives a run that is cut short.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(server)));
        String error = null;
        long elapsed = 0;
        long rss = 0;
        while (true) {
            if (answersCorrectly(address)) {
                elapsed = System.nanoTime() - start;
                rss = residentKilobytes(server.pid());
                break;
            }
            if (!server.isAlive()) {
                error = "exited-" + server.exitValue();
                break;
            }
            if (System.nanoTime() - start > timeoutNanos) {
                error = "timeout";
                break;
            }
            Thread.sleep(POLL_MILLIS);
        }
        // One write, so that a reader polling the output never sees half the line.
        System.out.print(String.format(Locale.ROOT, "RESULT pid=%d startup_ms=%.1f rss_kb=%d%s%n", server.pid(), elapsed / 1e6,
                rss, error == null ? "" : " error=" + error));
        System.out.flush();
        if (error != null) {
            server.destroyForcibly();
        }
        int status = server.waitFor();
        System.out.println("server exited with status " + status);
    }

    private static void stop(Process server) {
        server.destroy();
        try {
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        } catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Whether a {@code GET /plaintext} on a new connection gets {@code 200} and the benchmark body. */
    private static boolean answersCorrectly(InetSocketAddress address) {
        try (Socket socket = new Socket()) {
            socket.connect(address, 1000);
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
            OutputStream out = socket.getOutputStream();
            out.write(("GET /plaintext HTTP/1.1\r\nHost: 127.0.0.1:" + address.getPort() + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream response = new ByteArrayOutputStream();
            in.transferTo(response);
            byte[] bytes = response.toByteArray();
            String text = new String(bytes, StandardCharsets.US_ASCII);
            return text.startsWith("HTTP/1.1 200 ") && text.endsWith(new String(EXPECTED_BODY, StandardCharsets.US_ASCII));
        } catch (IOException e) {
            return false;
        }
    }

    /** {@code VmRSS} of a process, in KiB (0 if it cannot be read). */
    private static long residentKilobytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }
}
