package io.sluice.bench.jetty;

import io.sluice.bench.Payloads;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.PreEncodedHttpField;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12 core on the benchmark endpoints: {@code JettyBenchServer <port>}.
 *
 * <p>One {@code Handler.Abstract.NonBlocking} (no servlet) answers all HTTP endpoints: GET responses are
 * pre-encoded header fields and a static read-only body; {@code POST /echo} reads its body
 * asynchronously and writes it back, never blocking. Being non-blocking lets Jetty's adaptive
 * execution strategy run the handler on the selector thread when that is cheaper. {@code /ws/echo} is
 * Jetty's core {@code WebSocketUpgradeHandler} with an auto-demanding listener; {@code /ws/broadcast}
 * sends each text message to every session in a concurrent set. Thread pool, connector (selectors per
 * core) and {@code HttpConfiguration} are Jetty's defaults ({@code Server} and {@code Date} headers
 * on); {@code -Dbench.idleTimeout} replaces the connector's 30 s idle timeout.
 */
public final class JettyBenchServer {

    private static final PreEncodedHttpField TEXT_PLAIN = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Payloads.TEXT_PLAIN);
    private static final PreEncodedHttpField APPLICATION_JSON = new PreEncodedHttpField(HttpHeader.CONTENT_TYPE, Payloads.APPLICATION_JSON);
    private static final PreEncodedHttpField PLAINTEXT_LENGTH = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(Payloads.PLAINTEXT.length));
    private static final PreEncodedHttpField JSON_LENGTH = new PreEncodedHttpField(HttpHeader.CONTENT_LENGTH, Integer.toString(Payloads.JSON.length));
    private static final ByteBuffer PLAINTEXT = ByteBuffer.allocateDirect(Payloads.PLAINTEXT.length).put(Payloads.PLAINTEXT).flip().asReadOnlyBuffer();
    private static final ByteBuffer JSON = ByteBuffer.allocateDirect(Payloads.JSON.length).put(Payloads.JSON).flip().asReadOnlyBuffer();

    private JettyBenchServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = Payloads.port(args);
        Server server = new Server(new QueuedThreadPool());
        HttpConfiguration config = new HttpConfiguration();
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(config));
        connector.setPort(port);
        connector.setAcceptQueueSize(8192);
        if (Payloads.idleTimeoutSeconds() > 0) {
            connector.setIdleTimeout(Payloads.idleTimeoutSeconds() * 1000L); // Jetty's default: 30 s
        }
        server.addConnector(connector);

        WebSocketUpgradeHandler webSocket = WebSocketUpgradeHandler.from(server, container -> {
            container.setMaxTextMessageSize(Payloads.MAX_BODY);
            container.setMaxBinaryMessageSize(Payloads.MAX_BODY);
            container.addMapping("/ws/echo", (upgradeRequest, upgradeResponse, callback) -> new EchoListener());
            Set<Session> broadcastSessions = ConcurrentHashMap.newKeySet();
            container.addMapping("/ws/broadcast",
                    (upgradeRequest, upgradeResponse, callback) -> new BroadcastListener(broadcastSessions));
        });
        webSocket.setHandler(new BenchHandler());
        server.setHandler(webSocket);
        server.start();
        Payloads.started("jetty", port);
        server.join();
    }

    private static final class BenchHandler extends Handler.Abstract.NonBlocking {
        @Override
        public boolean handle(Request request, Response response, Callback callback) {
            String path = Request.getPathInContext(request);
            String method = request.getMethod();
            switch (path) {
                case "/plaintext" -> {
                    if (!"GET".equals(method)) {
                        return false;
                    }
                    response.getHeaders().add(TEXT_PLAIN);
                    response.getHeaders().add(PLAINTEXT_LENGTH);
                    response.write(true, PLAINTEXT.slice(), callback);
                    return true;
                }
                case "/json" -> {
                    if (!"GET".equals(method)) {
                        return false;
                    }
                    response.getHeaders().add(APPLICATION_JSON);
                    response.getHeaders().add(JSON_LENGTH);
                    response.write(true, JSON.slice(), callback);
                    return true;
                }
                case "/echo" -> {
                    if (!"POST".equals(method)) {
                        return false;
                    }
                    if (request.getLength() > Payloads.MAX_BODY) {
                        Response.writeError(request, response, callback, HttpStatus.PAYLOAD_TOO_LARGE_413);
                        return true;
                    }
                    String type = request.getHeaders().get(HttpHeader.CONTENT_TYPE);
                    Content.Source.asByteBuffer(request, Promise.from(body -> {
                        response.getHeaders().put(HttpHeader.CONTENT_TYPE, type != null ? type : Payloads.OCTET_STREAM);
                        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
                        response.write(true, body, callback);
                    }, callback::failed));
                    return true;
                }
                default -> {
                    return false; // Jetty answers 404
                }
            }
        }
    }

    /** Echoes each whole message; the next one is demanded automatically. */
    public static final class EchoListener implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, org.eclipse.jetty.websocket.api.Callback callback) {
            // The payload stays valid until the callback completes, which the send does.
            session.sendBinary(payload, callback);
        }
    }

    /** Sends each text message to every open session of the endpoint, the sender included. */
    public static final class BroadcastListener implements Session.Listener.AutoDemanding {
        private final Set<Session> sessions;
        private Session session;

        BroadcastListener(Set<Session> sessions) {
            this.sessions = sessions;
        }

        @Override
        public void onWebSocketOpen(Session session) {
            this.session = session;
            sessions.add(session);
        }

        @Override
        public void onWebSocketText(String message) {
            for (Session each : sessions) {
                each.sendText(message, org.eclipse.jetty.websocket.api.Callback.NOOP);
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            sessions.remove(session);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            sessions.remove(session);
        }
    }
}
