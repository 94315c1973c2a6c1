package io.sluice.bench.undertow;

import io.sluice.bench.Payloads;
import io.undertow.Handlers;
import io.undertow.Undertow;
import io.undertow.UndertowOptions;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.Methods;
import io.undertow.util.StatusCodes;
import io.undertow.websockets.core.AbstractReceiveListener;
import io.undertow.websockets.core.BufferedBinaryMessage;
import io.undertow.websockets.core.BufferedTextMessage;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Undertow core on the benchmark endpoints: {@code UndertowBenchServer <port>}.
 *
 * <p>Every {@code HttpHandler} runs on the IO thread (Undertow's default, and how its fast
 * benchmark entries run): GETs send a static read-only buffer, {@code POST /echo} receives the body
 * with the non-blocking receiver. One IO thread per processor ({@code -Dbench.threads}); {@code
 * Connection: keep-alive} is not added to HTTP/1.1 responses; pipelined responses are buffered into
 * one write ({@code BUFFER_PIPELINED_DATA}). {@code /ws/echo} is Undertow's core WebSocket handler;
 * {@code /ws/broadcast} encodes each text message once and sends it to every channel in the handler's
 * peer-connection set. {@code -Dbench.idleTimeout} replaces the 60 s {@code NO_REQUEST_TIMEOUT}.
 */
public final class UndertowBenchServer {

    private static final ByteBuffer PLAINTEXT = ByteBuffer.allocateDirect(Payloads.PLAINTEXT.length).put(Payloads.PLAINTEXT).flip().asReadOnlyBuffer();
    private static final ByteBuffer JSON = ByteBuffer.allocateDirect(Payloads.JSON.length).put(Payloads.JSON).flip().asReadOnlyBuffer();

    private UndertowBenchServer() {
    }

    public static void main(String[] args) {
        int port = Payloads.port(args);
        HttpHandler plaintext = exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                notAllowed(exchange);
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.TEXT_PLAIN);
            exchange.getResponseSender().send(PLAINTEXT.duplicate());
        };
        HttpHandler json = exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.GET)) {
                notAllowed(exchange);
                return;
            }
            exchange.getResponseHeaders().put(Headers.CONTENT_TYPE, Payloads.APPLICATION_JSON);
            exchange.getResponseSender().send(JSON.duplicate());
        };
        HttpHandler echo = exchange -> {
            if (!exchange.getRequestMethod().equals(Methods.POST)) {
                notAllowed(exchange);
                return;
            }
            String type = exchange.getRequestHeaders().getFirst(Headers.CONTENT_TYPE);
            exchange.getRequestReceiver().receiveFullBytes((ex, body) -> {
                ex.getResponseHeaders().put(Headers.CONTENT_TYPE, type != null ? type : Payloads.OCTET_STREAM);
                ex.getResponseSender().send(ByteBuffer.wrap(body));
            });
        };
        HttpHandler webSocket = Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    WebSockets.sendText(message.getData(), ch, null);
                }

                @Override
                protected void onFullBinaryMessage(WebSocketChannel ch, BufferedBinaryMessage message) {
                    // Copy out of the pooled buffers and return them at once; the send may finish later.
                    var data = message.getData();
                    ByteBuffer copy;
                    try {
                        copy = WebSockets.mergeBuffers(data.getResource());
                    } finally {
                        data.free();
                    }
                    WebSockets.sendBinary(copy, ch, null);
                }
            });
            channel.resumeReceives();
        });

        // Undertow keeps the sessions of each WebSocket handler in its peer-connection set.
        HttpHandler broadcast = Handlers.websocket((exchange, channel) -> {
            channel.getReceiveSetter().set(new AbstractReceiveListener() {
                @Override
                protected void onFullTextMessage(WebSocketChannel ch, BufferedTextMessage message) {
                    ByteBuffer utf8 = ByteBuffer.wrap(message.getData().getBytes(StandardCharsets.UTF_8));
                    for (WebSocketChannel peer : ch.getPeerConnections()) {
                        WebSockets.sendText(utf8.duplicate(), peer, null);
                    }
                }
            });
            channel.resumeReceives();
        });

        Undertow.Builder builder = Undertow.builder();
        if (Payloads.idleTimeoutSeconds() > 0) {
            builder.setServerOption(UndertowOptions.NO_REQUEST_TIMEOUT, Payloads.idleTimeoutSeconds() * 1000); // default 60 s
        }
        Undertow server = builder
                .addHttpListener(port, "0.0.0.0")
                .setIoThreads(Payloads.ioThreads())
                .setServerOption(UndertowOptions.ALWAYS_SET_KEEP_ALIVE, false)
                .setServerOption(UndertowOptions.BUFFER_PIPELINED_DATA, true)
                .setServerOption(UndertowOptions.MAX_ENTITY_SIZE, (long) Payloads.MAX_BODY)
                .setHandler(Handlers.path()
                        .addExactPath("/plaintext", plaintext)
                        .addExactPath("/json", json)
                        .addExactPath("/echo", echo)
                        .addExactPath("/ws/echo", webSocket)
                        .addExactPath("/ws/broadcast", broadcast))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop));
        Payloads.started("undertow", port);
    }

    private static void notAllowed(HttpServerExchange exchange) {
        exchange.setStatusCode(StatusCodes.METHOD_NOT_ALLOWED);
        exchange.endExchange();
    }
}
