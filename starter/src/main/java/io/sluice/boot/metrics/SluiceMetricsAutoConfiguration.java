package io.sluice.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;

/**
 * Meters of the Sluice server ({@link SluiceMetrics}) in the application's {@link MeterRegistry}, when
 * Micrometer is on the classpath and a registry exists. Backs off to an application's own
 * {@link SluiceMetricsBinder} or {@link SluiceMetrics}.
 */
@AutoConfiguration(afterName = { "io.sluice.boot.autoconfigure.SluiceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ MeterRegistry.class, SluiceWebServer.class })
@ConditionalOnNotWebApplication
public final class SluiceMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean({ SluiceMetricsBinder.class, SluiceMetrics.class })
    SluiceMetricsBinder sluiceMetricsBinder(SluiceWebServer webServer, MeterRegistry registry) {
        return new SluiceMetricsBinder(webServer, registry);
    }
}
