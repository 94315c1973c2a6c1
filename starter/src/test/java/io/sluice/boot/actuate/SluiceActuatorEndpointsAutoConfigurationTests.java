package io.sluice.boot.actuate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jackson.JacksonEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.contributor.HealthContributorAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;

/** Which actuator routes the engine serves, and what they answer over real sockets. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceActuatorEndpointsAutoConfigurationTests {

    private static final String V3_JSON = "application/vnd.spring-boot.actuator.v3+json";

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
                    JacksonEndpointAutoConfiguration.class, HealthContributorRegistryAutoConfiguration.class,
                    HealthContributorAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
                    MetricsAutoConfiguration.class, PrometheusMetricsExportAutoConfiguration.class,
                    SluiceActuatorEndpointsAutoConfiguration.class));

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void byDefaultOnlyHealthIsServed() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(HealthRoute.class).doesNotHaveBean(PrometheusScrapeRoute.class);
            assertThat(context.getBean(HealthRoute.class).path()).isEqualTo("/actuator/health");
            serve(context, port -> {
                HttpResponse<String> health = get(port, "/actuator/health", null);
                assertThat(health.statusCode()).isEqualTo(200);
                assertThat(health.headers().firstValue("Content-Type")).hasValue(V3_JSON);
                assertThat(health.body()).isEqualTo("{\"status\":\"UP\"}");
                assertThat(get(port, "/actuator/prometheus", null).statusCode()).isEqualTo(404);
                assertThat(get(port, "/actuator/nothing-here", null).statusCode()).isEqualTo(404);
            });
        });
    }

    @Test
    void prometheusIsServedWhenIncluded() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health,prometheus").run(context -> {
            assertThat(context).hasSingleBean(HealthRoute.class).hasSingleBean(PrometheusScrapeRoute.class);
            context.getBean(MeterRegistry.class).counter("test.orders", "kind", "book").increment(3);
            serve(context, port -> {
                HttpResponse<String> text = get(port, "/actuator/prometheus", null);
                assertThat(text.statusCode()).isEqualTo(200);
                assertThat(text.headers().firstValue("Content-Type")).hasValue("text/plain;version=0.0.4;charset=utf-8");
                assertThat(text.body()).contains("# TYPE test_orders_total counter")
                        .contains("test_orders_total{kind=\"book\"} 3.0").doesNotContain("# EOF");

                HttpResponse<String> openMetrics = get(port, "/actuator/prometheus",
                        "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
                assertThat(openMetrics.headers().firstValue("Content-Type"))
                        .hasValue("application/openmetrics-text;version=1.0.0;charset=utf-8");
                assertThat(openMetrics.body()).contains("test_orders_total{kind=\"book\"} 3.0").endsWith("# EOF\n");

                assertThat(get(port, "/actuator/prometheus", "application/json").statusCode()).isEqualTo(406);
            });
        });
    }

    @Test
    void includedNamesNarrowTheScrape() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=prometheus").run(context -> {
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            registry.counter("test.kept").increment();
            registry.counter("test.dropped").increment();
            serve(context, port -> {
                String body = get(port, "/actuator/prometheus?includedNames=test_kept", null).body();
                assertThat(body).contains("test_kept_total").doesNotContain("test_dropped_total");
            });
        });
    }

    @Test
    void exclusionWinsOverAWildcardInclusion() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=*",
                "management.endpoints.web.exposure.exclude=health").run(context -> {
                    assertThat(context).hasSingleBean(PrometheusScrapeRoute.class).doesNotHaveBean(HealthRoute.class);
                    serve(context, port -> {
                        assertThat(get(port, "/actuator/prometheus", null).statusCode()).isEqualTo(200);
                        assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(404);
                    });
                });
    }

    @Test
    void basePathAndPathMappingAreHonoured() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=health,prometheus",
                "management.endpoints.web.base-path=/manage",
                "management.endpoints.web.path-mapping.prometheus=metrics").run(context -> {
                    assertThat(context.getBean(HealthRoute.class).path()).isEqualTo("/manage/health");
                    assertThat(context.getBean(PrometheusScrapeRoute.class).path()).isEqualTo("/manage/metrics");
                    serve(context, port -> {
                        assertThat(get(port, "/manage/health", null).statusCode()).isEqualTo(200);
                        assertThat(get(port, "/manage/metrics", null).statusCode()).isEqualTo(200);
                        assertThat(get(port, "/actuator/health", null).statusCode()).isEqualTo(404);
                    });
                });
        runner.withPropertyValues("management.endpoints.web.base-path=/")
                .run(context -> assertThat(context.getBean(HealthRoute.class).path()).isEqualTo("/health"));
    }

    @Test
    void anEndpointWithoutAccessGetsNoRoute() {
        runner.withPropertyValues("management.endpoints.web.exposure.include=*", "management.endpoint.health.access=NONE")
                .run(context -> assertThat(context).doesNotHaveBean(HealthRoute.class)
                        .hasSingleBean(PrometheusScrapeRoute.class));
    }

    @Test
    void downIsAnsweredWith503() {
        runner.withBean("broken", HealthIndicator.class, () -> () -> Health.down().withDetail("secret", "x").build())
                .run(context -> serve(context, port -> {
                    HttpResponse<String> health = get(port, "/actuator/health", null);
                    assertThat(health.statusCode()).isEqualTo(503);
                    // Details stay hidden from an anonymous caller, as show-details defaults to never.
                    assertThat(health.body()).isEqualTo("{\"status\":\"DOWN\"}");
                }));
    }

    @Test
    void componentsAndDetailsFollowShowDetails() {
        runner.withPropertyValues("management.endpoint.health.show-details=always").run(context -> serve(context, port -> {
            HttpResponse<String> health = get(port, "/actuator/health", null);
            assertThat(health.body()).contains("\"components\"").contains("\"ping\"");
            HttpResponse<String> ping = get(port, "/actuator/health/ping", null);
            assertThat(ping.statusCode()).isEqualTo(200);
            assertThat(ping.body()).isEqualTo("{\"status\":\"UP\"}");
            assertThat(get(port, "/actuator/health/no-such-component", null).statusCode()).isEqualTo(404);
        }));
    }

    @Test
    void contentTypeFollowsAccept() {
        runner.run(context -> serve(context, port -> {
            assertThat(get(port, "/actuator/health", "application/json").headers().firstValue("Content-Type"))
                    .hasValue("application/json");
            assertThat(get(port, "/actuator/health", "application/vnd.spring-boot.actuator.v2+json, */*;q=0.5")
                    .headers().firstValue("Content-Type")).hasValue("application/vnd.spring-boot.actuator.v2+json");
            assertThat(get(port, "/actuator/health", "text/html").statusCode()).isEqualTo(406);
        }));
    }

    @Test
    void headAnswersWithoutABody() {
        runner.run(context -> serve(context, port -> {
            HttpResponse<String> head = client.send(HttpRequest.newBuilder(uri(port, "/actuator/health"))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("Content-Type")).hasValue(V3_JSON);
            assertThat(head.body()).isEmpty();
        }));
    }

    @Test
    void withoutJacksonTheBodyIsTheStatusAlone() {
        runner.withClassLoader(new FilteredClassLoader("tools.jackson")).run(context -> {
            assertThat(context).hasSingleBean(HealthRoute.class);
            serve(context, port -> assertThat(get(port, "/actuator/health", null).body()).isEqualTo("{\"status\":\"UP\"}"));
        });
    }

    @Test
    void withoutPrometheusOnlyHealthIsServed() {
        runner.withClassLoader(new FilteredClassLoader("io.prometheus"))
                .withPropertyValues("management.endpoints.web.exposure.include=*")
                .run(context -> assertThat(context).hasSingleBean(HealthRoute.class)
                        .doesNotHaveBean(PrometheusScrapeRoute.class));
    }

    @Test
    void backsOffToTheApplicationsOwnRoute() {
        runner.withBean("myHealth", HealthRoute.class,
                () -> new HealthRoute(mock(HealthEndpointWebExtension.class), null, "/mine"))
                .run(context -> assertThat(context.getBean(HealthRoute.class).path()).isEqualTo("/mine"));
    }

    /** Builds and starts a server from every customizer in the context, as the starter's core does. */
    private static void serve(ApplicationContext context, ThrowingPortConsumer test) throws Exception {
        SluiceServer.Builder builder = SluiceServer.builder().address("127.0.0.1").port(0).eventLoops(1).workerThreads(2);
        context.getBeanProvider(SluiceServerCustomizer.class).orderedStream().forEach(c -> c.customize(builder));
        SluiceServer server = builder.build();
        server.start();
        try {
            test.accept(server.port());
        } finally {
            server.stop();
        }
    }

    private HttpResponse<String> get(int port, String path, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(port, path)).timeout(Duration.ofSeconds(10));
        if (accept != null) {
            request.header("Accept", accept);
        }
        return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(int port, String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    @FunctionalInterface
    private interface ThrowingPortConsumer {
        void accept(int port) throws Exception;
    }
}
