package io.sluice.boot.actuate;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointProperties;
import org.springframework.boot.health.registry.HealthContributorRegistry;
import org.springframework.boot.health.registry.ReactiveHealthContributorRegistry;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Serves the actuator's {@code prometheus} and {@code health} endpoints from the Sluice engine when the
 * application has no web stack to do it (standalone mode).
 *
 * <p>An endpoint gets a route only when Boot makes it available over the web: its bean exists, its access
 * ({@code management.endpoint.<id>.access}) allows it, and {@code management.endpoints.web.exposure.include}
 * / {@code exclude} expose it ({@code health} alone by default). Paths honour
 * {@code management.endpoints.web.base-path} (default {@code /actuator}) and
 * {@code management.endpoints.web.path-mapping.<id>}. Any other path under the base path is a 404.
 */
@AutoConfiguration(afterName = {
        "io.sluice.boot.autoconfigure.SluiceAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusMetricsExportAutoConfiguration",
        "org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration" })
@ConditionalOnClass(name = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties")
@ConditionalOnNotWebApplication
@EnableConfigurationProperties(WebEndpointProperties.class)
public final class SluiceActuatorEndpointsAutoConfiguration {

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = {
            "org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint",
            "io.prometheus.metrics.model.registry.PrometheusRegistry" })
    static final class PrometheusScrapeRouteConfiguration {

        @Bean
        @ConditionalOnBean(PrometheusScrapeEndpoint.class)
        @ConditionalOnAvailableEndpoint(endpoint = PrometheusScrapeEndpoint.class, exposure = EndpointExposure.WEB)
        @ConditionalOnMissingBean
        PrometheusScrapeRoute sluicePrometheusScrapeRoute(PrometheusScrapeEndpoint endpoint, WebEndpointProperties web) {
            return new PrometheusScrapeRoute(endpoint, ActuatorPaths.of(web, "prometheus"));
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.actuate.endpoint.HealthEndpoint")
    static final class HealthRouteConfiguration {

        @Bean
        @ConditionalOnBean(HealthEndpoint.class)
        @ConditionalOnAvailableEndpoint(endpoint = HealthEndpoint.class, exposure = EndpointExposure.WEB)
        @ConditionalOnMissingBean
        HealthRoute sluiceHealthRoute(HealthContributorRegistry contributors,
                ObjectProvider<ReactiveHealthContributorRegistry> reactiveContributors, HealthEndpointGroups groups,
                HealthEndpointProperties properties, ObjectProvider<EndpointJsonMapper> json, WebEndpointProperties web) {
            // What Boot builds for Spring MVC and WebFlux, but only in web applications: status codes per group,
            // components and details as shown to an anonymous caller.
            HealthEndpointWebExtension health = new HealthEndpointWebExtension(contributors,
                    reactiveContributors.getIfAvailable(), groups, properties.getLogging().getSlowIndicatorThreshold());
            return new HealthRoute(health, json.getIfAvailable(), ActuatorPaths.of(web, "health"));
        }
    }
}
