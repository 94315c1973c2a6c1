package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/**
 * Runs a test against a server customized by a context's {@link SluiceServerCustomizer} beans, as the starter
 * would build it, bound to an ephemeral port on the loopback interface and stopped afterwards.
 */
final class ServedContext {

    /** What a test gets: the context, and a client aimed at the server. */
    record Served(AssertableApplicationContext context, Client client) {
    }

    @FunctionalInterface
    interface ServedTest {
        void run(Served served) throws Exception;
    }

    private ServedContext() {
    }

    static void serve(ApplicationContextRunner runner, ServedTest test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            SluiceServer.Builder builder = SluiceServer.builder().port(0).address("127.0.0.1").eventLoops(1)
                    .workerThreads(2);
            ObjectProvider<SluiceServerCustomizer> customizers = context.getBeanProvider(SluiceServerCustomizer.class);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            SluiceServer server = builder.build();
            server.start();
            try {
                test.run(new Served(context, new Client(server.port())));
            } finally {
                server.stop();
            }
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
