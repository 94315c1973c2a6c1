package io.sluice.boot.web;

import static io.sluice.boot.web.ServedContext.serve;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.observation.DefaultMeterObservationHandler;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import io.sluice.boot.observation.DefaultSluiceServerRequestObservationConvention;
import io.sluice.boot.observation.SluiceObservationAutoConfiguration;
import io.sluice.boot.observation.SluiceServerRequestObservationContext;
import io.sluice.boot.observation.SluiceServerRequestObservationConvention;
import java.net.http.HttpRequest.BodyPublishers;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The {@code http.server.requests} timer after known traffic, over real sockets. */
@Timeout(30)
class EndpointObservationIntegrationTest {

    @Configuration(proxyBeanMethods = false)
    static class Metrics {

        @Bean
        SimpleMeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }

        @Bean
        ObservationRegistry observationRegistry(MeterRegistry meters) {
            ObservationRegistry registry = ObservationRegistry.create();
            registry.observationConfig().observationHandler(new DefaultMeterObservationHandler(meters));
            return registry;
        }
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceJsonAutoConfiguration.class,
                    SluiceObservationAutoConfiguration.class, SluiceWebEndpointsAutoConfiguration.class))
            .withUserConfiguration(Metrics.class)
            .withBean(CatalogEndpoints.class);

    @Test
    void everyOutcomeIsTimedWithSpringsTags() {
        serve(runner, served -> {
            var http = served.client();
            http.send(http.request("/catalog/items").POST(BodyPublishers.ofString("{\"name\":\"a\",\"price\":1}")));
            http.get("/catalog/items/1");
            http.get("/catalog/items/1");
            http.get("/catalog/items/2");
            http.get("/catalog/items/x");
            http.get("/catalog/boom");
            http.send(http.request("/catalog/items/1/price?price=3").method("PATCH", BodyPublishers.noBody()));
            http.send(http.request("/catalog/items/9/price?price=3").method("PATCH", BodyPublishers.noBody()));
            http.send(http.request("/catalog/items/1").DELETE());
            http.send(http.request("/catalog/teapot").method("HEAD", BodyPublishers.noBody()));
            http.get("/catalog/nowhere");

            MeterRegistry meters = served.context().getBean(MeterRegistry.class);
            Map<Map<String, String>, Long> counts = meters.find("http.server.requests").timers().stream()
                    .collect(Collectors.toMap(EndpointObservationIntegrationTest::tags, Timer::count));
            assertThat(counts).containsOnly(
                    Map.entry(tags("POST", "/catalog/items", "201", "SUCCESS", "none"), 1L),
                    Map.entry(tags("GET", "/catalog/items/{id}", "200", "SUCCESS", "none"), 2L),
                    Map.entry(tags("GET", "/catalog/items/{id}", "404", "CLIENT_ERROR", "NoSuchItemException"), 1L),
                    Map.entry(tags("GET", "/catalog/items/{id}", "400", "CLIENT_ERROR", "BadRequestException"), 1L),
                    Map.entry(tags("GET", "/catalog/boom", "500", "SERVER_ERROR", "IllegalStateException"), 1L),
                    Map.entry(tags("PATCH", "/catalog/items/{id}/price", "200", "SUCCESS", "none"), 1L),
                    Map.entry(tags("PATCH", "/catalog/items/{id}/price", "404", "CLIENT_ERROR", "NoSuchItemException"),
                            1L),
                    Map.entry(tags("DELETE", "/catalog/items/{id}", "204", "SUCCESS", "none"), 1L),
                    Map.entry(tags("HEAD", "/catalog/teapot", "418", "CLIENT_ERROR", "none"), 1L));
            // Requests are finished when their answers arrive: nothing is left running.
            assertThat(meters.get("http.server.requests.active").longTaskTimers())
                    .allSatisfy(active -> assertThat(active.activeTasks()).isZero());
        });
    }

    @Test
    void nameFollowsBootsProperty() {
        serve(runner.withPropertyValues("management.observations.http.server.requests.name=catalog.requests"),
                served -> {
                    served.client().get("/catalog/map");
                    MeterRegistry meters = served.context().getBean(MeterRegistry.class);
                    assertThat(meters.find("catalog.requests").timer()).isNotNull();
                    assertThat(meters.find("http.server.requests").timer()).isNull();
                });
    }

    @Test
    void applicationsConventionReplacesTheDefault() {
        SluiceServerRequestObservationConvention withTenant = new DefaultSluiceServerRequestObservationConvention() {
            @Override
            public KeyValues getLowCardinalityKeyValues(SluiceServerRequestObservationContext context) {
                String tenant = context.getCarrier().header("X-Tenant");
                return super.getLowCardinalityKeyValues(context)
                        .and(KeyValue.of("tenant", tenant == null ? "none" : tenant));
            }
        };
        serve(runner.withBean(SluiceServerRequestObservationConvention.class, () -> withTenant), served -> {
            served.client().send(served.client().request("/catalog/map").header("X-Tenant", "acme"));
            MeterRegistry meters = served.context().getBean(MeterRegistry.class);
            assertThat(meters.get("http.server.requests").tag("tenant", "acme").tag("uri", "/catalog/map").timer()
                    .count()).isEqualTo(1);
        });
    }

    private static Map<String, String> tags(Timer timer) {
        return timer.getId().getTags().stream()
                .collect(Collectors.toMap(tag -> tag.getKey(), tag -> tag.getValue(), (a, b) -> a, TreeMap::new));
    }

    private static Map<String, String> tags(String method, String uri, String status, String outcome,
            String exception) {
        return new TreeMap<>(Map.of("method", method, "uri", uri, "status", status, "outcome", outcome, "exception",
                exception, "error", exception));
    }
}
