package io.sluice.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.api.HttpResponse;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;

/**
 * Whole applications, started and stopped as {@code SpringApplication.run} does: the startup log, graceful and
 * immediate shutdown with a request in flight, and the failure report for a port in use.
 */
@ExtendWith(OutputCaptureExtension.class)
@Timeout(60)
class SluiceLifecycleTest {

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    /** A handler that holds its request until the test releases it. */
    private final SluiceServerCustomizer slowRoute = builder -> builder.get("/slow", request -> {
        entered.countDown();
        release.await();
        return HttpResponse.text("done");
    });

    @AfterEach
    void releaseHandlers() {
        release.countDown();
    }

    @Test
    void logsThePortItStartedOn(CapturedOutput output) {
        try (ConfigurableApplicationContext context = run()) {
            int port = context.getBean(SluiceWebServer.class).getPort();
            assertThat(output).contains("Sluice started on port " + port + " (http)");
        }
    }

    @Test
    void gracefulShutdownLetsTheRequestInFlightFinishAndRefusesNewConnections() throws Exception {
        ConfigurableApplicationContext context = run();
        SluiceWebServer server = context.getBean(SluiceWebServer.class);
        int port = server.getPort();
        CompletableFuture<java.net.http.HttpResponse<String>> inFlight = getAsync(port, "/slow");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        await().atMost(Duration.ofSeconds(10)).until(() -> refusesConnections(port));
        // Draining, and held open by the request in flight.
        assertThat(closing).isNotDone();
        assertThat(inFlight).isNotDone();

        release.countDown();
        java.net.http.HttpResponse<String> response = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("done");
        assertThat(response.headers().firstValue("Connection")).hasValue("close");
        closing.get(10, TimeUnit.SECONDS);
        assertThat(context.isActive()).isFalse();
        assertThat(server.getPort()).isEqualTo(-1);
    }

    @Test
    void immediateShutdownClosesTheRequestInFlight() throws Exception {
        ConfigurableApplicationContext context = run("--server.shutdown=immediate");
        SluiceWebServer server = context.getBean(SluiceWebServer.class);
        int port = server.getPort();
        CompletableFuture<java.net.http.HttpResponse<String>> inFlight = getAsync(port, "/slow");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // Returns although the handler is still held: nothing waits for it.
        context.close();

        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IOException.class);
        assertThat(refusesConnections(port)).isTrue();
        assertThat(server.getPort()).isEqualTo(-1);
    }

    @Test
    void gracefulShutdownEndsWhenTheShutdownPhaseTimesOut() throws Exception {
        ConfigurableApplicationContext context = run("--spring.lifecycle.timeout-per-shutdown-phase=200ms");
        int port = context.getBean(SluiceWebServer.class).getPort();
        CompletableFuture<java.net.http.HttpResponse<String>> inFlight = getAsync(port, "/slow");
        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

        // The handler is never released: the context closes anyway once the phase's time is up.
        context.close();

        assertThat(context.isActive()).isFalse();
        assertThatThrownBy(() -> inFlight.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void aPortInUseFailsTheStartupWithAnAnalysis(CapturedOutput output) throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            assertThatThrownBy(() -> run("--server.port=" + port))
                    .hasCauseInstanceOf(SluicePortInUseException.class)
                    .hasRootCauseInstanceOf(java.net.BindException.class);
            assertThat(output).contains("APPLICATION FAILED TO START")
                    .contains("Sluice failed to start: port " + port + " is already in use.")
                    .contains("Identify and stop the process that is listening on port " + port)
                    .contains("server.port");
        }
    }

    @Test
    void anInvalidPropertyIsReportedByName(CapturedOutput output) {
        assertThatThrownBy(() -> run("--sluice.threads.workers=-1")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("sluice.threads.workers")
                .contains("Must be greater than 0.");
    }

    /** Runs the application, on a free port of the loopback interface unless the arguments say otherwise. */
    private ConfigurableApplicationContext run(String... arguments) {
        SpringApplication application = new SpringApplication(LifecycleApp.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setBannerMode(Banner.Mode.OFF);
        application.setDefaultProperties(Map.of("server.port", "0", "server.address", "127.0.0.1"));
        application.addInitializers(context -> context.getBeanFactory().registerSingleton("slowRoute", slowRoute));
        return application.run(arguments);
    }

    private CompletableFuture<java.net.http.HttpResponse<String>> getAsync(int port, String path) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(20)).build(), BodyHandlers.ofString());
    }

    private static boolean refusesConnections(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
            return false;
        } catch (ConnectException e) {
            return true;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(SluiceAutoConfiguration.class)
    static class LifecycleApp {
    }
}
