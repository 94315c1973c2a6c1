package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.autoconfigure.SluiceAutoConfiguration;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs a test against the server the starter runs for a context: the auto-configured
 * {@link SluiceWebServer}, shaped by the context's customizers and bound to an ephemeral port on the
 * loopback interface.
 */
final class ServedContext {

    /** What a test gets: the context, and a client aimed at its server. */
    record Served(AssertableApplicationContext context, Client client) {
    }

    @FunctionalInterface
    interface ServedTest {
        void run(Served served) throws Exception;
    }

    private ServedContext() {
    }

    static void serve(ApplicationContextRunner runner, ServedTest test) {
        runner.withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
                .withPropertyValues("server.port=0", "server.address=127.0.0.1", "sluice.threads.selectors=1",
                        "sluice.threads.workers=2")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    test.run(new Served(context, new Client(context.getBean(SluiceWebServer.class).getPort())));
                });
    }

    /** The JDK's client, aimed at one server. */
    static final class Client {

        private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

        private final int port;

        Client(int port) {
            this.port = port;
        }

        HttpRequest.Builder request(String target) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + target)).timeout(Duration.ofSeconds(10));
        }

        HttpResponse<String> get(String target) throws IOException, InterruptedException {
            return send(request(target).GET());
        }

        HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
            return HTTP.send(request.build(), BodyHandlers.ofString());
        }

        HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
            return HTTP.send(request.build(), BodyHandlers.ofByteArray());
        }
    }
}
