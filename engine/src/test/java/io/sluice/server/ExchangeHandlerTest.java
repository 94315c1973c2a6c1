package io.sluice.server;

import static io.sluice.server.TransportTestSupport.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.api.Dispatch;
import io.sluice.api.ExchangeHandler;
import io.sluice.api.HttpExchange;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.server.FlowTestSupport.ManualPublisher;
import io.sluice.testing.RawHttpClient;
import io.sluice.testing.RawHttpClient.Response;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The fallback {@link ExchangeHandler}: what it is given, how it answers, and in which order. */
@Timeout(value = 15, unit = TimeUnit.SECONDS)
class ExchangeHandlerTest {

    private SluiceServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    private int start(ExchangeHandler fallback, Route... routes) throws IOException {
        SluiceServer.Builder builder = TransportTestSupport.testServer().fallback(fallback);
        for (Route route : routes) {
            builder.route(route);
        }
        server = builder.build();
        server.start();
        return server.port();
    }

    private static void echoTarget(HttpExchange exchange) {
        HttpRequest request = exchange.request();
        exchange.respond(HttpResponse.text(request.method() + " " + request.target()));
    }

    @Test
    void getsEveryRequestNoRouteMatchesWhateverItsMethod() throws IOException {
        int port = start(ExchangeHandlerTest::echoTarget,
                Route.of("GET", "/routed", request -> HttpResponse.text("routed")).dispatch(Dispatch.EVENT_LOOP));
        try (RawHttpClient client = new RawHttpClient(port)) {
            assertThat(client.exchange(get("/routed")).bodyText()).isEqualTo("routed");
            assertThat(client.exchange(get("/any/where?q=1")).bodyText()).isEqualTo("GET /any/where?q=1");
            // A path a route serves with another method is the handler's too, not a 405.
            assertThat(client.exchange("DELETE /routed HTTP/1.1\r\nHost: test\r\n\r\n").bodyText())
                    .isEqualTo("DELETE /routed");
            assertThat(client.exchange("PATCH /x HTTP/1.1\r\nHost: test\r\nContent-Length: 0\r\n\r\n").bodyText())
                    .isEqualTo("PATCH /x");
            // The server still answers OPTIONS * itself.
            assertThat(client.exchange("OPTIONS * HTTP/1.1\r\nHost: test\r\n\r\n").status()).isEqualTo(204);
        }
    }

    @Test
    void seesTheRequestHead() throws Exception {
        CompletableFuture<String> seen = new CompletableFuture<>();
        int port = start(exchange -> {
            HttpRequest request = exchange.request();
            seen.complete(String.join("|", request.method(), request.rawPath(), request.path(), request.rawQuery(),
                    request.queryParameter("b"), request.header("x-test"), request.version(),
                    String.valueOf(request.remoteAddress().getAddress().isLoopbackAddress()),
                    String.valueOf(request.localAddress().getPort())));
            exchange.respond(HttpResponse.noContent());
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response response = client.exchange("GET /a%20b/c?a=1&b=two HTTP/1.1\r\nHost: test\r\nX-Test: yes\r\n\r\n");
            assertThat(response.status()).isEqualTo(204);
        }
        assertThat(seen.get(5, TimeUnit.SECONDS))
                .isEqualTo("GET|/a%20b/c|/a b/c|a=1&b=two|two|yes|HTTP/1.1|true|" + port);
    }

    @Test
    void theBodyIsReadFromThePublisherOnly() throws Exception {
        AtomicReference<Throwable> aggregated = new AtomicReference<>();
        int port = start(exchange -> {
            try {
                exchange.request().body();
            } catch (IllegalStateException e) {
                aggregated.set(e);
            }
            exchange.respond(HttpResponse.noContent());
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.exchange("POST /x HTTP/1.1\r\nHost: test\r\nContent-Length: 3\r\n\r\nabc");
        }
        assertThat(aggregated.get()).isInstanceOf(IllegalStateException.class).hasMessageContaining("requestBody()");
    }

    @Test
    void responsesLeaveInRequestOrderWhoeverAnswersFirst() throws Exception {
        CountDownLatch fastAnswered = new CountDownLatch(1);
        int port = start(exchange -> {
            if (exchange.request().path().equals("/slow")) {
                // Answers from another thread, and only after the request behind it was answered.
                new Thread(() -> {
                    try {
                        fastAnswered.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    exchange.respond(HttpResponse.text("slow"));
                }).start();
            } else {
                exchange.respond(HttpResponse.text("fast"));
                fastAnswered.countDown();
            }
        }, Route.of("GET", "/routed", request -> HttpResponse.text("routed")));
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/slow") + get("/routed") + get("/fast"));
            assertThat(client.readResponse().bodyText()).isEqualTo("slow");
            assertThat(client.readResponse().bodyText()).isEqualTo("routed");
            assertThat(client.readResponse().bodyText()).isEqualTo("fast");
        }
    }

    @Test
    void headGetsTheHeadOfAPublishedBodyWithoutSubscribing() throws Exception {
        ManualPublisher publisher = new ManualPublisher();
        int port = start(exchange -> exchange.respond(HttpResponse.status(200).contentType("text/plain")
                .publish(11, publisher)));
        try (RawHttpClient client = new RawHttpClient(port)) {
            Response head = client.exchange("HEAD /file HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("11");
            assertThat(head.header("content-type")).isEqualTo("text/plain");
            // Nothing followed the head: the next response is read right after it.
            Response next = client.exchange("HEAD /other HTTP/1.1\r\nHost: test\r\n\r\n");
            assertThat(next.status()).isEqualTo(200);
        }
        assertThat(publisher.subscribed).isNotDone();
    }

    @Test
    void aHandlerThatThrowsIsAnswered500AndTheConnectionGoesOn() throws IOException {
        int port = start(exchange -> {
            if (exchange.request().path().equals("/boom")) {
                throw new IllegalStateException("boom");
            }
            exchange.respond(HttpResponse.text("fine"));
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            assertThat(client.exchange(get("/boom")).status()).isEqualTo(500);
            assertThat(client.exchange(get("/next")).bodyText()).isEqualTo("fine");
        }
        assertThat(server.stats().handlerErrors()).isEqualTo(1);
    }

    @Test
    void anExchangeIsAnsweredOnce() throws Exception {
        CompletableFuture<Throwable> second = new CompletableFuture<>();
        int port = start(exchange -> {
            exchange.respond(HttpResponse.text("first"));
            assertThat(exchange.isAnswered()).isTrue();
            try {
                exchange.respond(HttpResponse.text("second"));
                second.complete(null);
            } catch (IllegalStateException e) {
                second.complete(e);
            }
        });
        try (RawHttpClient client = new RawHttpClient(port)) {
            assertThat(client.exchange(get("/")).bodyText()).isEqualTo("first");
        }
        assertThat(second.get(5, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void completionFollowsTheWrittenResponse() throws Exception {
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = start(received::complete);
        try (RawHttpClient client = new RawHttpClient(port)) {
            client.send(get("/"));
            HttpExchange exchange = received.get(5, TimeUnit.SECONDS);
            CompletableFuture<Void> completion = exchange.completion().toCompletableFuture();
            assertThat(completion).isNotDone();
            exchange.respond(HttpResponse.text("done"));
            assertThat(client.readResponse().bodyText()).isEqualTo("done");
            completion.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aClientThatGoesAwayFailsTheCompletionOfItsParkedExchange() throws Exception {
        CompletableFuture<HttpExchange> received = new CompletableFuture<>();
        int port = start(received::complete);
        RawHttpClient client = new RawHttpClient(port);
        client.send(get("/parked"));
        HttpExchange exchange = received.get(5, TimeUnit.SECONDS);
        client.close();
        assertThatThrownBy(() -> exchange.completion().toCompletableFuture().get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(IOException.class);
        // Answering afterwards is harmless.
        exchange.respond(HttpResponse.text("too late"));
    }

    @Test
    void limitsStillApply() throws IOException {
        server = TransportTestSupport.testServer().maxBodySize(100)
                .fallback(exchange -> exchange.respond(HttpResponse.text("handled"))).build();
        server.start();
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            Response response = client.exchange("POST /big HTTP/1.1\r\nHost: test\r\nContent-Length: 101\r\n\r\n");
            assertThat(response.status()).isEqualTo(413);
        }
        try (RawHttpClient client = new RawHttpClient(server.port())) {
            assertThat(client.exchange("GET /%zz HTTP/1.1\r\nHost: test\r\n\r\n").status()).isEqualTo(400);
        }
    }
}
