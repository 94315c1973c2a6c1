package io.sluice.boot.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.boot.autoconfigure.SluiceAutoConfiguration;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ConfigurableApplicationContext;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SluiceMetricsAutoConfigurationTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceAutoConfiguration.class, SluiceMetricsAutoConfiguration.class))
            .withPropertyValues("server.port=0", "server.address=127.0.0.1", "sluice.threads.selectors=1",
                    "sluice.threads.workers=2");

    @Test
    void metersAreBoundWhenTheApplicationHasStarted() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new).run(context -> {
            assertThat(context).hasSingleBean(SluiceMetricsBinder.class);
            MeterRegistry registry = context.getBean(MeterRegistry.class);
            assertThat(registry.find("sluice.connections.active").meters()).as("before the server's port is known")
                    .isEmpty();

            started(context);

            String port = Integer.toString(context.getBean(SluiceWebServer.class).getPort());
            assertThat(registry.get("sluice.connections.active").tags(Tags.of("port", port)).gauge().value()).isZero();
            assertThat(registry.find("sluice.loop.tasks.pending").gauges()).hasSize(1);
            assertThat(registry.get("executor.pool.max").tag("name", "sluice.worker").gauge().value()).isEqualTo(2);

            started(context); // a second event (a child context's) binds nothing more
            assertThat(registry.find("sluice.connections.active").gauges()).hasSize(1);
        });
    }

    @Test
    void noRegistryNoMeters() {
        runner.run(context -> assertThat(context).doesNotHaveBean(SluiceMetricsBinder.class));
    }

    @Test
    void withoutMicrometerTheStarterStillRuns() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> assertThat(context)
                .hasNotFailed().hasSingleBean(SluiceWebServer.class).doesNotHaveBean(SluiceMetricsBinder.class));
    }

    @Test
    void backsOffToTheApplicationsOwnBinder() {
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("myBinder", SluiceMetricsBinder.class,
                        () -> new SluiceMetricsBinder(mock(SluiceWebServer.class), new SimpleMeterRegistry()))
                .run(context -> assertThat(context).getBean(SluiceMetricsBinder.class)
                        .isSameAs(context.getBean("myBinder")));
        runner.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
                .withBean("myMetrics", SluiceMetrics.class, () -> new SluiceMetrics(() -> null, null, Tags.empty()))
                .run(context -> assertThat(context).doesNotHaveBean(SluiceMetricsBinder.class));
    }

    /** What SpringApplication publishes once the context is refreshed and its lifecycle started. */
    private static void started(AssertableApplicationContext context) {
        ConfigurableApplicationContext source = context.getSourceApplicationContext();
        context.publishEvent(new ApplicationStartedEvent(new SpringApplication(), new String[0], source, Duration.ZERO));
    }
}
