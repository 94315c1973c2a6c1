package io.sluice.demo;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketRoute;
import io.sluice.api.WebSocketSession;
import io.sluice.server.SluiceServer;
import java.nio.charset.StandardCharsets;

/**
 * A runnable demonstration of the engine: {@code ./mvnw -pl engine -am compile exec:java} (see the
 * README). Port from the first argument or {@code PORT}, default 8080.
 */
public final class DemoServer {

    private static final HttpResponse HELLO = HttpResponse.status(200)
            .contentType("text/plain").body("Hello, World!".getBytes(StandardCharsets.US_ASCII));
    private static final HttpResponse JSON = HttpResponse.json("{\"message\":\"Hello, World!\"}");

    private DemoServer() {
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
        SluiceServer server = SluiceServer.builder()
                .port(port)
                .route(Route.of("GET", "/plaintext", request -> HELLO).dispatch(Dispatch.EVENT_LOOP))
                .route(Route.of("GET", "/json", request -> JSON).dispatch(Dispatch.EVENT_LOOP))
                .post("/echo", request -> HttpResponse.status(200)
                        .contentType(contentTypeOr(request.header("Content-Type"))).body(request.body()))
                .get("/hello/{name}", request -> HttpResponse.text("Hello, " + request.pathVariable("name") + "!\n"))
                .get("/stream", request -> {
                    long size = Long.parseLong(orDefault(request.queryParameter("bytes"), "1048576"));
                    return HttpResponse.status(200).contentType("application/octet-stream").stream(size, out -> {
                        byte[] block = new byte[8192];
                        for (long left = size; left > 0; left -= block.length) {
                            out.write(block, 0, (int) Math.min(block.length, left));
                        }
                    });
                })
                .webSocket(WebSocketRoute.of("/ws/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession session, String text) {
                        session.sendText(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession session, byte[] data) {
                        session.sendBinary(data);
                    }
                }).dispatch(Dispatch.EVENT_LOOP))
                .build();
        server.start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> server.shutdownGracefully(java.time.Duration.ofSeconds(10)).join()));
    }

    private static String contentTypeOr(String contentType) {
        return contentType != null ? contentType : "application/octet-stream";
    }

    private static String orDefault(String value, String fallback) {
        return value != null ? value : fallback;
    }
}
