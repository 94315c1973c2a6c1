package io.sluice.server;

import static io.sluice.server.TransportTestSupport.awaitValue;
import static io.sluice.server.TransportTestSupport.get;
import static io.sluice.server.TransportTestSupport.testServer;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.testing.RawHttpClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Many connections at once, and the connection limit. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class TransportConnectionLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(10);

    private SluiceServer server;
    private final List<RawHttpClient> clients = new ArrayList<>();

    @AfterEach
    void tearDown() throws IOException {
        for (RawHttpClient client : clients) {
            client.close();
        }
        if (server != null) {
            server.stop();
        }
    }

    private RawHttpClient open() throws IOException {
        RawHttpClient client = new RawHttpClient(server.port(), 5_000);
        clients.add(client);
        return client;
    }

    @Test
    void thousandConcurrentConnectionsAreAllServed() throws Exception {
        int count = 1000;
        server = testServer().get("/c/{n}", request -> HttpResponse.text(request.pathVariable("n"))).build();
        server.start();

        long started = System.nanoTime();
        for (int i = 0; i < count; i++) {
            open();
        }
        awaitValue("all connections registered", WAIT, () -> server.stats().connectionsActive(), n -> n == count);
        for (int i = 0; i < count; i++) {
            clients.get(i).send(get("/c/" + i));
        }
        for (int i = 0; i < count; i++) {
            RawHttpClient.Response response = clients.get(i).readResponse();
            assertThat(response.status()).isEqualTo(200);
            assertThat(response.bodyText()).isEqualTo(Integer.toString(i));
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertThat(elapsedMillis).as("time for %d connections", count).isLessThan(10_000);

        ServerStats stats = server.stats();
        assertThat(stats.connectionsAccepted()).isEqualTo(count);
        assertThat(stats.connectionsRejected()).isZero();
        assertThat(stats.requestsTotal()).isEqualTo(count);

        // Half the clients leave; the server stops with the other half open and closes them.
        for (int i = 0; i < count / 2; i++) {
            clients.get(i).close();
        }
        awaitValue("half the connections closed", WAIT, () -> server.stats().connectionsActive(), n -> n == count / 2);
        assertThat(server.stats().requestsActive()).isZero();
        server.stop();
        assertThat(server.stats().connectionsActive()).isZero();
        for (int i = count / 2; i < count; i++) {
            clients.get(i).socket().setSoTimeout(2_000);
            assertThat(clients.get(i).isClosedByServer()).as("client %d closed by stop()", i).isTrue();
        }
    }

    @Test
    void connectionsPastTheLimitAreClosedAtOnceUntilOneCloses() throws Exception {
        server = testServer().maxConnections(5).get("/x", request -> HttpResponse.text("ok")).build();
        server.start();
        for (int i = 0; i < 5; i++) {
            assertThat(open().exchange(get("/x")).status()).isEqualTo(200);
        }

        RawHttpClient sixth = open();
        long started = System.nanoTime();
        assertThat(sixth.isClosedByServer()).as("the sixth connection is closed").isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).as("closed at once").isLessThan(2_000);
        awaitValue("rejection counted", WAIT, () -> server.stats().connectionsRejected(), n -> n == 1);
        assertThat(server.stats().connectionsActive()).isEqualTo(5);
        assertThat(server.stats().connectionsAccepted()).isEqualTo(5);

        // The five are still served.
        for (int i = 0; i < 5; i++) {
            assertThat(clients.get(i).exchange(get("/x")).status()).isEqualTo(200);
        }

        clients.get(0).close();
        awaitValue("a slot freed", WAIT, () -> server.stats().connectionsActive(), n -> n == 4);
        assertThat(open().exchange(get("/x")).status()).isEqualTo(200);
        assertThat(server.stats().connectionsRejected()).isEqualTo(1);

        // Full again: the next is rejected too.
        assertThat(open().isClosedByServer()).isTrue();
        awaitValue("second rejection counted", WAIT, () -> server.stats().connectionsRejected(), n -> n == 2);
    }

    @Test
    void connectionLimitHoldsAcrossLoopsWithoutReusePort() throws Exception {
        server = testServer().eventLoops(2).reusePort(false).maxConnections(3)
                .get("/x", request -> HttpResponse.text("ok")).build();
        server.start();
        for (int i = 0; i < 3; i++) {
            assertThat(open().exchange(get("/x")).status()).isEqualTo(200);
        }
        assertThat(open().isClosedByServer()).isTrue();
        awaitValue("rejection counted", WAIT, () -> server.stats().connectionsRejected(), n -> n == 1);
        clients.get(1).close();
        awaitValue("a slot freed", WAIT, () -> server.stats().connectionsActive(), n -> n == 2);
        assertThat(open().exchange(get("/x")).status()).isEqualTo(200);
    }
}
