package io.sluice.bench.jdk;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.bench.Payloads;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;

/**
 * The JDK's {@code com.sun.net.httpserver.HttpServer} on the benchmark HTTP endpoints (it has no
 * WebSocket): {@code JdkBenchServer <port>}.
 *
 * <p>Handlers run on the server's dispatcher thread (no executor), which is the cheapest option for
 * handlers this small; {@code -Dbench.jdk.executor=virtual} runs them on virtual threads instead (Java
 * 21+). {@code sun.net.httpserver.nodelay=true} (TCP_NODELAY), which the JDK leaves off by default.
 * {@code -Dbench.idleTimeout} sets {@code sun.net.httpserver.idleInterval} (default 30 s) and {@code
 * -Dbench.maxConnections} sets {@code sun.net.httpserver.maxIdleConnections} (default 200).
 */
public final class JdkBenchServer {

    private JdkBenchServer() {
    }

    public static void main(String[] args) throws IOException {
        // The server reads these once, when its configuration class loads: set them before creating it.
        setDefault("sun.net.httpserver.nodelay", "true");
        if (Payloads.idleTimeoutSeconds() > 0) {
            setDefault("sun.net.httpserver.idleInterval", Integer.toString(Payloads.idleTimeoutSeconds()));
        }
        if (Payloads.maxConnections() > 0) {
            // Beyond this many idle connections the server closes each connection that goes idle.
            setDefault("sun.net.httpserver.maxIdleConnections", Integer.toString(Payloads.maxConnections()));
        }
        int port = Payloads.port(args);
        HttpServer server = HttpServer.create(new InetSocketAddress(port), 8192);
        server.createContext("/plaintext", exchange -> fixed(exchange, "GET", Payloads.TEXT_PLAIN, Payloads.PLAINTEXT));
        server.createContext("/json", exchange -> fixed(exchange, "GET", Payloads.APPLICATION_JSON, Payloads.JSON));
        server.createContext("/echo", exchange -> {
            try (exchange) {
                if (!"POST".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body;
                try (InputStream in = exchange.getRequestBody()) {
                    body = in.readAllBytes();
                }
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                exchange.getResponseHeaders().set("Content-Type", type != null ? type : Payloads.OCTET_STREAM);
                send(exchange, body);
            }
        });
        if ("virtual".equals(System.getProperty("bench.jdk.executor"))) {
            try {
                server.setExecutor((java.util.concurrent.Executor) java.util.concurrent.Executors.class
                        .getMethod("newVirtualThreadPerTaskExecutor").invoke(null));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("virtual threads need Java 21+", e);
            }
        }
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(0)));
        Payloads.started("jdk-httpserver", port);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }

    private static void fixed(HttpExchange exchange, String method, String type, byte[] body) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getRawPath().equals(exchange.getHttpContext().getPath())) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!method.equals(exchange.getRequestMethod())) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            exchange.getResponseHeaders().set("Content-Type", type);
            send(exchange, body);
        }
    }

    private static void send(HttpExchange exchange, byte[] body) throws IOException {
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
