package io.sluice.boot.conformance;

import static io.sluice.boot.conformance.ConformanceClient.TIMEOUT;
import static io.sluice.boot.conformance.ConformanceClient.acceptsConnections;
import static io.sluice.boot.conformance.ConformanceClient.await;
import static io.sluice.boot.conformance.ConformanceClient.gunzip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.web.server.Compression;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.unit.DataSize;
import reactor.core.publisher.Sinks;

/**
 * What Spring Boot expects of every reactive web server, checked over real sockets against the factory a
 * subclass supplies. It is written against Boot's server SPI only, so the same checks run against Reactor
 * Netty (the {@code benchmarks/reactor-netty-conformance} module, which is how we know the checks themselves
 * are right) and against Sluice.
 *
 * <p>Servers bind 127.0.0.1 and, unless a check is about a fixed port, port 0. The client is the JDK's
 * {@code HttpClient}; every wait is bounded, and tests wait for events (a request reaching the handler, a
 * callback firing), never for time to pass. SSL and HTTP/2 are not covered: Sluice rejects both up front.
 */
@Timeout(60)
@ExtendWith(OutputCaptureExtension.class)
public abstract class ReactiveWebServerFactoryConformanceTests {

    private static final InetAddress LOOPBACK = address("127.0.0.1");

    /** Three thousand bytes: above Boot's default minimum response size for compression (2 KiB). */
    private static final int TEXT_LENGTH = 3000;

    private static final String ACCEPT_GZIP = "gzip";

    private final ConformanceClient client = new ConformanceClient(LOOPBACK.getHostAddress());

    private WebServer webServer;

    /** A new factory for the server under test, with its defaults; the suite sets port, address and the rest. */
    protected abstract AbstractReactiveWebServerFactory createFactory();

    /** The server's name as its start-up log line spells it: {@code "<name> started on port N (http)"}. */
    protected abstract String serverName();

    @AfterEach
    void stopServer() {
        if (webServer != null) {
            try {
                webServer.stop();
            } finally {
                webServer.destroy();
            }
        }
    }

    // ---- Ports and lifecycle -------------------------------------------------------------------------

    @Test
    void portZeroBindsAnEphemeralPortWhenTheServerStarts() throws Exception {
        WebServer server = create(factory(), new EchoHandler());
        assertThat(server.getPort()).as("port before start()").isEqualTo(-1);

        server.start();

        assertThat(server.getPort()).isPositive();
        assertEchoes(server.getPort(), bytes("Hello World"));
    }

    @Test
    void aFixedPortIsBoundByStartAndNotBefore() throws Exception {
        int port = freePort();
        AbstractReactiveWebServerFactory factory = factory();
        factory.setPort(port);
        WebServer server = create(factory, new EchoHandler());
        assertThat(acceptsConnections(LOOPBACK, port)).as("listening before start()").isFalse();

        server.start();

        assertThat(server.getPort()).isEqualTo(port);
        assertEchoes(port, bytes("Hello World"));
    }

    @Test
    void aMebibyteRequestBodyIsEchoedIntact() throws Exception {
        byte[] body = new byte[1024 * 1024];
        new Random(7).nextBytes(body);

        assertEchoes(start(factory(), new EchoHandler()).getPort(), body);
    }

    @Test
    void theServerCanBeStartedAgainAfterStop() throws Exception {
        WebServer server = start(factory(), new EchoHandler());
        int firstPort = server.getPort();
        assertEchoes(firstPort, bytes("before"));

        server.stop();
        assertThat(acceptsConnections(LOOPBACK, firstPort)).as("listening after stop()").isFalse();

        server.start();
        // A fresh client: the first one's pooled connection died with the first run.
        HttpResponse<byte[]> response = new ConformanceClient(LOOPBACK.getHostAddress())
                .post(server.getPort(), bytes("after"));
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response.body())).isEqualTo("after");
    }

    @Test
    void portIsMinusOneAfterDestroy() throws Exception {
        WebServer server = start(factory(), new EchoHandler());
        assertEchoes(server.getPort(), bytes("Hello"));

        server.destroy();

        assertThat(server.getPort()).isEqualTo(-1);
    }

    @Test
    void startUpIsLoggedWithServerNameAndPort(CapturedOutput output) {
        WebServer server = start(factory(), new EchoHandler());

        assertThat(output).contains(serverName() + " started on port " + server.getPort() + " (http)");
    }

    // ---- Response compression (server.compression.*) --------------------------------------------------

    @Test
    void aGetResponseAboveTheMinimumSizeIsGzipped() throws Exception {
        int port = start(compressing(compression -> { }), text("text/plain")).getPort();

        assertGzipped(client.get(port, "Accept-Encoding", ACCEPT_GZIP));
    }

    @Test
    void aPostResponseAboveTheMinimumSizeIsGzipped() throws Exception {
        int port = start(compressing(compression -> { }), text("text/plain")).getPort();

        assertGzipped(client.post(port, bytes("a request body"), "Accept-Encoding", ACCEPT_GZIP));
    }

    @Test
    void aResponseBelowTheMinimumSizeIsNotCompressed() throws Exception {
        AbstractReactiveWebServerFactory factory = compressing(
                compression -> compression.setMinResponseSize(DataSize.ofBytes(TEXT_LENGTH + 1)));
        int port = start(factory, text("text/plain")).getPort();

        assertNotCompressed(client.get(port, "Accept-Encoding", ACCEPT_GZIP));
    }

    @Test
    void aResponseOfAMimeTypeNotListedIsNotCompressed() throws Exception {
        AbstractReactiveWebServerFactory factory = compressing(
                compression -> compression.setMimeTypes(new String[] { "application/json" }));
        int port = start(factory, text("text/plain")).getPort();

        assertNotCompressed(client.get(port, "Accept-Encoding", ACCEPT_GZIP));
    }

    @Test
    void aResponseToAnExcludedUserAgentIsNotCompressed() throws Exception {
        AbstractReactiveWebServerFactory factory = compressing(
                compression -> compression.setExcludedUserAgents(new String[] { "Legacy-Agent/1.0" }));
        int port = start(factory, text("text/plain")).getPort();

        assertNotCompressed(client.get(port, "Accept-Encoding", ACCEPT_GZIP, "User-Agent", "Legacy-Agent/1.0"));
        assertGzipped(client.get(port, "Accept-Encoding", ACCEPT_GZIP, "User-Agent", "Modern-Agent/2.0"));
    }

    /**
     * A {@code Content-Type} that cannot be parsed says nothing about the body, so the server must neither
     * guess (a prefix match would call this {@code text/plain}) nor fail the response.
     */
    @Test
    void aResponseWithAnInvalidContentTypeIsNotCompressed() throws Exception {
        int port = start(compressing(compression -> { }), text("text/plain/not-a-media-type")).getPort();

        assertNotCompressed(client.get(port, "Accept-Encoding", ACCEPT_GZIP));
    }

    // ---- Graceful shutdown (server.shutdown) -----------------------------------------------------------

    @Test
    void gracefulShutdownWithNoRequestInFlightReportsIdle() throws Exception {
        WebServer server = start(graceful(), new EchoHandler());
        assertEchoes(server.getPort(), bytes("Hello"));

        assertThat(await(shutDownGracefully(server))).isEqualTo(GracefulShutdownResult.IDLE);
    }

    @Test
    void gracefulShutdownLetsAnInFlightRequestCompleteThenReportsIdle() throws Exception {
        ParkingHandler handler = new ParkingHandler();
        WebServer server = start(graceful(), handler);
        CompletableFuture<HttpResponse<byte[]>> inFlight = client.getHeldAsync(server.getPort());
        Sinks.Empty<Void> release = handler.awaitParked();

        CompletableFuture<GracefulShutdownResult> result = shutDownGracefully(server);
        assertThat(result).as("graceful shutdown with a request in flight").isNotDone();

        release.tryEmitEmpty();
        HttpResponse<byte[]> response = await(inFlight);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(text(response.body())).isEqualTo(ParkingHandler.RELEASED);
        assertThat(await(result)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    /** Boot's promise for the grace period: no new requests, so that a load balancer moves on. */
    @Test
    void gracefulShutdownStopsAcceptingConnectionsWhileARequestIsInFlight() throws Exception {
        ParkingHandler handler = new ParkingHandler();
        WebServer server = start(graceful(), handler);
        int port = server.getPort();
        CompletableFuture<HttpResponse<byte[]>> inFlight = client.getHeldAsync(port);
        Sinks.Empty<Void> release = handler.awaitParked();

        CompletableFuture<GracefulShutdownResult> result = shutDownGracefully(server);

        assertThat(ConformanceClient.refusesConnectionsWithin(TIMEOUT, LOOPBACK, port))
                .as("new connections refused during the grace period").isTrue();
        assertThat(result).as("graceful shutdown with a request in flight").isNotDone();
        release.tryEmitEmpty();
        assertThat(await(inFlight).statusCode()).isEqualTo(200);
        assertThat(await(result)).isEqualTo(GracefulShutdownResult.IDLE);
    }

    @Test
    void stopDuringTheGracePeriodReportsRequestsActive() throws Exception {
        ParkingHandler handler = new ParkingHandler();
        WebServer server = start(graceful(), handler);
        client.getHeldAsync(server.getPort());
        handler.awaitParked();
        CompletableFuture<GracefulShutdownResult> result = shutDownGracefully(server);
        assertThat(result).as("graceful shutdown with a request in flight").isNotDone();

        server.stop();

        assertThat(await(result)).isEqualTo(GracefulShutdownResult.REQUESTS_ACTIVE);
    }

    @Test
    void stopCompletesWhileARequestIsParkedDuringGracefulShutdown() throws Exception {
        ParkingHandler handler = new ParkingHandler();
        WebServer server = start(graceful(), handler);
        CompletableFuture<HttpResponse<byte[]>> parked = client.getHeldAsync(server.getPort());
        handler.awaitParked();
        shutDownGracefully(server);

        assertStopCompletes(server, parked);
    }

    @Test
    void stopCompletesWhileARequestIsParkedWithoutGracefulShutdown() throws Exception {
        AbstractReactiveWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.IMMEDIATE);
        ParkingHandler handler = new ParkingHandler();
        WebServer server = start(factory, handler);
        CompletableFuture<HttpResponse<byte[]>> parked = client.getHeldAsync(server.getPort());
        handler.awaitParked();

        assertStopCompletes(server, parked);
    }

    // ---- Driven by Boot's own configuration (ServerProperties and customizers) -------------------------

    @Test
    void aPortSetByAWebServerFactoryCustomizerWinsOverServerPort() {
        int customizerPort = freePort();
        bootContext().withUserConfiguration(PortCustomizer.class)
                .withPropertyValues("server.port=0", "conformance.customizer-port=" + customizerPort)
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(webServerOf(context).getPort()).isEqualTo(customizerPort);
                    assertEchoes(customizerPort, bytes("customized"));
                });
    }

    /**
     * {@code server.address=127.0.0.1} must bind that address, not the wildcard. On Linux the whole of
     * 127.0.0.0/8 reaches the loopback interface, so a wildcard bind would also answer on 127.0.0.2.
     */
    @Test
    void serverAddressBindsThatAddressOnly() {
        InetAddress otherLoopback = address("127.0.0.2");
        assumeTrue(reachableWhenListeningOnAllAddresses(otherLoopback),
                "this host does not route 127.0.0.2 to the loopback interface");
        bootContext().withPropertyValues("server.port=0").run(context -> {
            assertThat(context).hasNotFailed();
            int port = webServerOf(context).getPort();
            assertEchoes(port, bytes("bound"));
            assertThat(acceptsConnections(otherLoopback, port)).as("answers on 127.0.0.2").isFalse();
        });
    }

    // ---- Helpers -------------------------------------------------------------------------------------

    private AbstractReactiveWebServerFactory factory() {
        AbstractReactiveWebServerFactory factory = createFactory();
        factory.setPort(0);
        factory.setAddress(LOOPBACK);
        return factory;
    }

    private AbstractReactiveWebServerFactory graceful() {
        AbstractReactiveWebServerFactory factory = factory();
        factory.setShutdown(Shutdown.GRACEFUL);
        return factory;
    }

    private AbstractReactiveWebServerFactory compressing(Consumer<Compression> settings) {
        Compression compression = new Compression();
        compression.setEnabled(true);
        settings.accept(compression);
        AbstractReactiveWebServerFactory factory = factory();
        factory.setCompression(compression);
        return factory;
    }

    private WebServer create(AbstractReactiveWebServerFactory factory, HttpHandler handler) {
        webServer = factory.getWebServer(handler);
        return webServer;
    }

    private WebServer start(AbstractReactiveWebServerFactory factory, HttpHandler handler) {
        WebServer server = create(factory, handler);
        server.start();
        return server;
    }

    private static CompletableFuture<GracefulShutdownResult> shutDownGracefully(WebServer server) {
        CompletableFuture<GracefulShutdownResult> result = new CompletableFuture<>();
        server.shutDownGracefully(result::complete);
        return result;
    }

    /**
     * {@code stop()} must return although the handler never completes, and the parked client must learn
     * that its request is over (an error or a response, but not silence).
     */
    private static void assertStopCompletes(WebServer server, CompletableFuture<HttpResponse<byte[]>> parked) {
        assertTimeoutPreemptively(TIMEOUT, server::stop, "stop() with a request parked in the handler");
        // Either way will do (typically the connection is closed), as long as it happens within TIMEOUT.
        CompletableFuture<Object> ended = parked.handle((response, failure) -> response != null ? response : failure);
        assertThat(ended).as("the parked request ends once the server has stopped").succeedsWithin(TIMEOUT);
    }

    private static TextHandler text(String contentType) {
        return TextHandler.repeating('F', TEXT_LENGTH, contentType);
    }

    private void assertEchoes(int port, byte[] body) throws Exception {
        HttpResponse<byte[]> response = client.post(port, body);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).as("echoed body").isEqualTo(body);
    }

    private static void assertGzipped(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(text(gunzip(response.body()))).isEqualTo("F".repeat(TEXT_LENGTH));
    }

    private static void assertNotCompressed(HttpResponse<byte[]> response) {
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(text(response.body())).isEqualTo("F".repeat(TEXT_LENGTH));
    }

    /**
     * The factory under test as Boot would run it: Boot's own {@link ReactiveWebServerConfiguration} maps
     * {@code server.*} onto it and applies customizer beans; the context starts and stops the server.
     */
    private ReactiveWebApplicationContextRunner bootContext() {
        return new ReactiveWebApplicationContextRunner(AnnotationConfigReactiveWebServerApplicationContext::new)
                .withUserConfiguration(BootWebServerConfiguration.class)
                .withBean("reactiveWebServerFactory", ReactiveWebServerFactory.class, this::createFactory)
                .withBean("httpHandler", HttpHandler.class, EchoHandler::new)
                .withPropertyValues("server.address=" + LOOPBACK.getHostAddress(), "server.shutdown=immediate");
    }

    private static WebServer webServerOf(AssertableReactiveWebApplicationContext context) {
        return context.getSourceApplicationContext(ReactiveWebServerApplicationContext.class).getWebServer();
    }

    private static boolean reachableWhenListeningOnAllAddresses(InetAddress address) {
        try (ServerSocket wildcard = new ServerSocket(0)) {
            return acceptsConnections(address, wildcard.getLocalPort());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A port that was free a moment ago; good enough for a fixed-port check on a test machine. */
    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
            return socket.getLocalPort();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException ex) {
            throw new IllegalArgumentException(ex);
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Configuration(proxyBeanMethods = false)
    @Import(ReactiveWebServerConfiguration.class)
    static class BootWebServerConfiguration {
    }

    @Configuration(proxyBeanMethods = false)
    static class PortCustomizer {

        @Bean
        WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> portCustomizer(Environment environment) {
            int port = environment.getRequiredProperty("conformance.customizer-port", Integer.class);
            return factory -> factory.setPort(port);
        }
    }
}
