package io.sluice.bench.starter;

import io.sluice.api.HttpRequest;
import io.sluice.boot.web.Reply;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.SluiceController;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/** The benchmark endpoints, once per dispatch mode; {@code bench.mode} picks which pair is active. */
final class Endpoints {

    private Endpoints() {
    }

    /** The JSON body: a record Jackson serialises on every request, as an application's would be. */
    record Message(String message) {
    }

    private static final Message HELLO = new Message("Hello, World!");

    static Reply<byte[]> echo(HttpRequest request, byte[] body) {
        String type = request.header("Content-Type");
        return Reply.ok(body).withHeader("Content-Type", type != null ? type : "application/octet-stream");
    }

    @SluiceController
    @NonBlocking
    @ConditionalOnProperty(name = "bench.mode", havingValue = "loop")
    static class OnLoop {

        @Get("/plaintext")
        String plaintext() {
            return "Hello, World!";
        }

        @Get("/json")
        Message json() {
            return HELLO;
        }

        @Post("/echo")
        Reply<byte[]> echo(HttpRequest request, @Body byte[] body) {
            return Endpoints.echo(request, body);
        }
    }

    @SluiceController
    @ConditionalOnProperty(name = "bench.mode", havingValue = "worker")
    static class OnWorkers {

        @Get("/plaintext")
        String plaintext() {
            return "Hello, World!";
        }

        @Get("/json")
        Message json() {
            return HELLO;
        }

        @Post("/echo")
        Reply<byte[]> echo(HttpRequest request, @Body byte[] body) {
            return Endpoints.echo(request, body);
        }
    }

    @WebSocketEndpoint("/ws/echo")
    @NonBlocking
    @ConditionalOnProperty(name = "bench.mode", havingValue = "loop")
    static class EchoOnLoop {

        @OnMessage
        String text(String message) {
            return message;
        }

        @OnMessage
        byte[] binary(byte[] message) {
            return message;
        }
    }

    @WebSocketEndpoint("/ws/echo")
    @ConditionalOnProperty(name = "bench.mode", havingValue = "worker")
    static class EchoOnWorkers {

        @OnMessage
        String text(String message) {
            return message;
        }

        @OnMessage
        byte[] binary(byte[] message) {
            return message;
        }
    }
}
