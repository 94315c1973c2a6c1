package io.sluice.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.boot.reactive.SluiceReactiveWebServer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.web.server.context.WebServerInitializedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;

/**
 * The {@link SluiceMetrics} of a WebFlux application's Sluice server, bound once the server has started
 * (its port is a tag). {@code http.server.requests} comes from WebFlux itself, as with any server.
 */
@AutoConfiguration(afterName = { "io.sluice.boot.reactive.SluiceReactiveWebServerAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass({ MeterRegistry.class, WebServerInitializedEvent.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnBean(MeterRegistry.class)
public final class SluiceReactiveMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(SluiceMetrics.class)
    ReactiveServerMetricsBinder sluiceReactiveServerMetricsBinder(MeterRegistry registry) {
        return new ReactiveServerMetricsBinder(registry);
    }

    /** Binds the meters when Boot reports the Sluice server started; once, for the first such server. */
    static final class ReactiveServerMetricsBinder implements ApplicationListener<WebServerInitializedEvent> {

        private final MeterRegistry registry;
        /** Held so that the objects behind the function meters stay reachable. */
        private volatile SluiceMetrics metrics;

        ReactiveServerMetricsBinder(MeterRegistry registry) {
            this.registry = registry;
        }

        @Override
        public synchronized void onApplicationEvent(WebServerInitializedEvent event) {
            if (metrics != null || !(event.getWebServer() instanceof SluiceReactiveWebServer server)) {
                return;
            }
            SluiceMetrics bound = new SluiceMetrics(server::getServer, null,
                    Tags.of("port", Integer.toString(server.getPort())));
            bound.bindTo(registry);
            metrics = bound;
        }
    }
}
