package io.sluice.bench;

import java.nio.charset.StandardCharsets;

/** The bodies every peer serves, byte for byte, and small helpers shared by the peer main classes. */
public final class Payloads {

    public static final String SERVER_NAME = "bench";
    public static final byte[] PLAINTEXT = "Hello, World!".getBytes(StandardCharsets.US_ASCII);
    public static final byte[] JSON = "{\"message\":\"Hello, World!\"}".getBytes(StandardCharsets.US_ASCII);
    public static final String TEXT_PLAIN = "text/plain";
    public static final String APPLICATION_JSON = "application/json";
    public static final String OCTET_STREAM = "application/octet-stream";
    /** Largest POST body the peers aggregate (the echo scenario sends 4 KiB). */
    public static final int MAX_BODY = 1024 * 1024;

    private Payloads() {
    }

    /** The port from the first argument, else {@code PORT}, else 8080. */
    public static int port(String[] args) {
        if (args.length > 0) {
            return Integer.parseInt(args[0]);
        }
        return Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    }

    /** Event loops / IO threads: {@code -Dbench.threads=N}, default one per available processor. */
    public static int ioThreads() {
        return Integer.getInteger("bench.threads", Runtime.getRuntime().availableProcessors());
    }

    /**
     * The keep-alive idle timeout in seconds from {@code -Dbench.idleTimeout}, or 0 when not set: the
     * peers whose defaults close idle connections (Sluice, Jetty, Undertow, the JDK server, Tomcat) use it
     * instead, so that the idle-connection scenario can outlast their defaults of 30 to 60 s. The peers
     * without a default idle timeout (Netty, Reactor Netty) stay without one.
     */
    public static int idleTimeoutSeconds() {
        return Integer.getInteger("bench.idleTimeout", 0);
    }

    /**
     * The most connections to keep from {@code -Dbench.maxConnections}, or 0 when not set: the peers with
     * a default cap (Sluice 16,384 connections, the JDK server 200 idle ones, Tomcat 8,192) use it
     * instead; the others have none.
     */
    public static int maxConnections() {
        return Integer.getInteger("bench.maxConnections", 0);
    }

    /** Logs the start for people; the runner does not read it (it polls {@code /plaintext}). */
    public static void started(String name, int port) {
        System.out.println(name + " listening on port " + port + " (pid " + ProcessHandle.current().pid()
                + ", " + Runtime.getRuntime().availableProcessors() + " CPUs, Java " + Runtime.version() + ")");
    }
}
