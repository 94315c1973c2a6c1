package io.sluice.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.api.HttpResponse;
import io.sluice.server.ServerConfig;
import io.sluice.server.SluiceServer;
import io.sluice.server.WebSocketOptions;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/** The auto-configuration's conditions, back-off, property binding and validation, on real started servers. */
@Timeout(60)
class SluiceAutoConfigurationTest {

    private static final String[] LOCAL_SERVER = { "server.port=0", "server.address=127.0.0.1" };

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
            .withPropertyValues(LOCAL_SERVER);

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void startsTheServerInAnApplicationThatIsNoWebApplication() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(SluiceWebServer.class).hasSingleBean(SluiceProperties.class);
            SluiceWebServer server = context.getBean(SluiceWebServer.class);
            assertThat(server.isRunning()).isTrue();
            assertThat(server.getPort()).isPositive();
            assertThat(server.getServer().port()).isEqualTo(server.getPort());
            assertThat(context.getEnvironment().getProperty("local.server.port", Integer.class))
                    .isEqualTo(server.getPort());
            assertThat(context.getEnvironment().getPropertySources().iterator().next().getName())
                    .isEqualTo("server.ports");
        });
    }

    @Test
    void staysOutOfServletWebApplications() {
        new WebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
                .withPropertyValues(LOCAL_SERVER)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SluiceWebServer.class));
    }

    @Test
    void staysOutOfReactiveWebApplications() {
        new ReactiveWebApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class))
                .withPropertyValues(LOCAL_SERVER)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(SluiceWebServer.class));
    }

    @Test
    void backsOffToTheApplicationsOwnSluiceWebServer() {
        runner.withUserConfiguration(OwnWebServer.class).run(context -> {
            assertThat(context).hasSingleBean(SluiceWebServer.class);
            assertThat(context).getBean(SluiceWebServer.class).isSameAs(context.getBean("ownWebServer"));
        });
    }

    @Test
    void backsOffToAnEngineTheApplicationBuildsItself() {
        runner.withUserConfiguration(OwnEngine.class).run(context -> {
            assertThat(context).hasSingleBean(SluiceServer.class).doesNotHaveBean(SluiceWebServer.class);
            // The application owns its engine: nothing here starts it.
            assertThat(context.getBean(SluiceServer.class).isRunning()).isFalse();
        });
    }

    @Test
    void appliesCustomizersInOrderAfterTheProperties() {
        runner.withPropertyValues("sluice.server-header=FromProperty", "sluice.max-connections=50")
                .withUserConfiguration(OrderedCustomizers.class)
                .run(context -> {
                    ServerConfig config = context.getBean(SluiceWebServer.class).getServer().config();
                    // The later customizer wins over the earlier one, and both over the property.
                    assertThat(config.serverHeader()).isEqualTo("Second");
                    assertThat(config.maxConnections()).isEqualTo(50);
                    int port = context.getBean(SluiceWebServer.class).getPort();
                    assertThat(get(port, "/first").body()).isEqualTo("first");
                });
    }

    @Test
    void bindsEverySluicePropertyIntoTheEngine() {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("sluice.server-header", "Edge");
        properties.put("sluice.max-connections", "100");
        properties.put("sluice.threads.selectors", "1");
        properties.put("sluice.threads.workers", "3");
        properties.put("sluice.threads.max-queue", "7");
        properties.put("sluice.limits.max-request-line", "2KB");
        properties.put("sluice.limits.max-header-size", "16KB");
        properties.put("sluice.limits.max-header-count", "20");
        properties.put("sluice.limits.max-body-size", "10MB");
        properties.put("sluice.limits.max-pipelined-requests", "4");
        properties.put("sluice.timeouts.header-read", "5s");
        properties.put("sluice.timeouts.idle", "90s");
        properties.put("sluice.timeouts.body", "7s");
        properties.put("sluice.timeouts.write", "11s");
        properties.put("sluice.websocket.max-frame-size", "64KB");
        properties.put("sluice.websocket.max-message-size", "256KB");
        properties.put("sluice.websocket.ping-interval", "15s");
        properties.put("sluice.websocket.pong-timeout", "3s");
        properties.put("sluice.websocket.permessage-deflate", "true");
        properties.put("sluice.websocket.allowed-origins", "https://a.example,https://b.example");
        properties.put("sluice.websocket.max-queued-messages", "8");
        // A property added later without a line here fails this test.
        assertThat(properties.keySet()).containsExactlyInAnyOrderElementsOf(ConfigurationMetadata.serverPropertyNames());

        runner.withPropertyValues(properties.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                .toArray(String[]::new)).run(context -> {
                    SluiceWebServer webServer = context.getBean(SluiceWebServer.class);
                    ServerConfig config = webServer.getServer().config();
                    assertThat(config.address()).isEqualTo(InetAddress.getByName("127.0.0.1"));
                    assertThat(config.port()).isZero();
                    assertThat(config.serverHeader()).isEqualTo("Edge");
                    assertThat(config.maxConnections()).isEqualTo(100);
                    assertThat(config.eventLoops()).isEqualTo(1);
                    assertThat(config.workerThreads()).isEqualTo(3);
                    assertThat(config.maxQueuedTasks()).isEqualTo(7);
                    assertThat(config.maxRequestLineLength()).isEqualTo(2048);
                    assertThat(config.maxHeaderSize()).isEqualTo(16 * 1024);
                    assertThat(config.maxHeaderCount()).isEqualTo(20);
                    assertThat(config.maxBodySize()).isEqualTo(10L * 1024 * 1024);
                    assertThat(config.maxPipelinedRequests()).isEqualTo(4);
                    assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(5));
                    assertThat(config.idleTimeout()).isEqualTo(Duration.ofSeconds(90));
                    assertThat(config.bodyTimeout()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(config.writeTimeout()).isEqualTo(Duration.ofSeconds(11));
                    WebSocketOptions websocket = config.webSocketOptions();
                    assertThat(websocket.maxFrameSize()).isEqualTo(64 * 1024);
                    assertThat(websocket.maxMessageSize()).isEqualTo(256 * 1024);
                    assertThat(websocket.pingInterval()).isEqualTo(Duration.ofSeconds(15));
                    assertThat(websocket.pongTimeout()).isEqualTo(Duration.ofSeconds(3));
                    assertThat(websocket.compression()).isTrue();
                    assertThat(websocket.allowedOrigins()).containsExactly("https://a.example", "https://b.example");
                    assertThat(websocket.maxQueuedMessages()).isEqualTo(8);

                    // The engine runs its handlers on our bounded pool, sized by the same properties.
                    assertThat(webServer.getWorkerExecutor()).isInstanceOfSatisfying(ThreadPoolExecutor.class, pool -> {
                        assertThat(pool.getCorePoolSize()).isEqualTo(3);
                        assertThat(pool.getMaximumPoolSize()).isEqualTo(3);
                        assertThat(pool.getQueue().remainingCapacity()).isEqualTo(7);
                    });
                });
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', textBlock = """
            sluice.threads.selectors             | 0
            sluice.threads.workers               | -1
            sluice.threads.max-queue             | 0
            sluice.max-connections               | 0
            sluice.limits.max-request-line       | 0B
            sluice.limits.max-header-size        | 3GB
            sluice.limits.max-header-count       | 0
            sluice.limits.max-body-size          | -1MB
            sluice.limits.max-pipelined-requests | -5
            sluice.timeouts.header-read          | -1s
            sluice.timeouts.idle                 | 0s
            sluice.timeouts.body                 | -5s
            sluice.timeouts.write                | 0ms
            sluice.websocket.max-frame-size      | 0B
            sluice.websocket.max-message-size    | -1B
            sluice.websocket.ping-interval       | -1s
            sluice.websocket.pong-timeout        | 0s
            sluice.websocket.max-queued-messages | 0
            sluice.websocket.allowed-origins     | example.com/path
            sluice.server-header                 | Caf\u00e9
            server.port                          | 70000
            server.port                          | -1
            spring.lifecycle.timeout-per-shutdown-phase | -1s
            """)
    void aBadValueFailsTheStartupNamingTheProperty(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            Throwable failure = context.getStartupFailure();
            assertThat(failure).hasRootCauseInstanceOf(InvalidConfigurationPropertyValueException.class);
            InvalidConfigurationPropertyValueException invalid =
                    (InvalidConfigurationPropertyValueException) rootCause(failure);
            assertThat(invalid.getName()).isEqualTo(property);
            assertThat(invalid.getMessage()).startsWith("Property " + property + " with value ");
        });
    }

    @Test
    void zeroPingIntervalTurnsPingsOff() {
        runner.withPropertyValues("sluice.websocket.ping-interval=0").run(context -> assertThat(
                context.getBean(SluiceWebServer.class).getServer().config().webSocketOptions().pingInterval())
                .isZero());
    }

    @Test
    void aFullWorkerQueueAnswers503WithoutWaiting() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SluiceServerCustomizer blocking = builder -> builder.get("/block", request -> {
            entered.countDown();
            release.await();
            return HttpResponse.text("done");
        });
        runner.withPropertyValues("sluice.threads.workers=1", "sluice.threads.max-queue=1")
                .withBean(SluiceServerCustomizer.class, () -> blocking)
                .run(context -> {
                    SluiceWebServer server = context.getBean(SluiceWebServer.class);
                    ThreadPoolExecutor pool = (ThreadPoolExecutor) server.getWorkerExecutor();
                    try {
                        CompletableFuture<java.net.http.HttpResponse<String>> running = getAsync(server.getPort(), "/block");
                        assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
                        CompletableFuture<java.net.http.HttpResponse<String>> queued = getAsync(server.getPort(), "/block");
                        await().atMost(Duration.ofSeconds(10)).until(() -> pool.getQueue().size() == 1);

                        java.net.http.HttpResponse<String> refused = get(server.getPort(), "/block");
                        assertThat(refused.statusCode()).isEqualTo(503);
                        assertThat(refused.headers().firstValue("Retry-After")).isPresent();

                        release.countDown();
                        assertThat(running.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
                        assertThat(queued.get(10, TimeUnit.SECONDS).body()).isEqualTo("done");
                    } finally {
                        release.countDown();
                    }
                });
    }

    @Test
    void workersArePlatformThreadsUnlessVirtualThreadsAreEnabled() {
        runner.run(context -> {
            AtomicReference<Thread> worker = new AtomicReference<>();
            CountDownLatch ran = new CountDownLatch(1);
            context.getBean(SluiceWebServer.class).getWorkerExecutor().execute(() -> {
                worker.set(Thread.currentThread());
                ran.countDown();
            });
            assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(worker.get().getName()).startsWith("sluice-worker-");
            assertThat(Threads.isVirtual(worker.get())).isFalse();
        });
    }

    @Test
    void portIsMinusOneOnceTheContextHasClosed() {
        AtomicReference<SluiceWebServer> server = new AtomicReference<>();
        runner.run(context -> server.set(context.getBean(SluiceWebServer.class)));
        assertThat(server.get().getPort()).isEqualTo(-1);
        assertThat(server.get().getServer()).isNull();
        assertThat(server.get().isRunning()).isFalse();
        assertThat(((ThreadPoolExecutor) server.get().getWorkerExecutor()).isShutdown()).isTrue();
    }

    private java.net.http.HttpResponse<String> get(int port, String path) throws Exception {
        return client.send(request(port, path), BodyHandlers.ofString());
    }

    private CompletableFuture<java.net.http.HttpResponse<String>> getAsync(int port, String path) {
        return client.sendAsync(request(port, path), BodyHandlers.ofString());
    }

    private static HttpRequest request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10))
                .build();
    }

    private static Throwable rootCause(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain.get(chain.size() - 1);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnWebServer {

        @Bean
        SluiceWebServer ownWebServer(SluiceProperties properties, ObjectProvider<SluiceServerCustomizer> customizers) {
            return new SluiceWebServer(properties, customizers);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnEngine {

        @Bean
        SluiceServer ownEngine() {
            return SluiceServer.builder().port(0).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class OrderedCustomizers {

        @Bean
        @Order(2)
        SluiceServerCustomizer second() {
            return builder -> builder.serverHeader("Second");
        }

        @Bean
        @Order(1)
        SluiceServerCustomizer first() {
            return builder -> builder.serverHeader("First").get("/first", request -> HttpResponse.text("first"));
        }
    }
}
