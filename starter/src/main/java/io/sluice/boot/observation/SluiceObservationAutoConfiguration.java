package io.sluice.boot.observation;

import io.micrometer.observation.ObservationRegistry;
import io.sluice.boot.web.EndpointInstrumentation;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Observes the requests served by annotated endpoints when the application has an
 * {@link ObservationRegistry}; with Boot's metrics auto-configuration that records the
 * {@code http.server.requests} timer. The name follows {@code management.observations.http.server.requests.name},
 * as it does for Spring MVC and WebFlux. Without a registry nothing is installed, and requests pay nothing.
 */
@AutoConfiguration(
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration",
        beforeName = "io.sluice.boot.web.SluiceWebEndpointsAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean(ObservationRegistry.class)
@ConditionalOnNotWebApplication
public final class SluiceObservationAutoConfiguration {

    static final String NAME_PROPERTY = "management.observations.http.server.requests.name";

    @Bean
    @ConditionalOnMissingBean(EndpointInstrumentation.class)
    ObservingEndpointInstrumentation sluiceEndpointObservations(ObservationRegistry registry,
            ObjectProvider<SluiceServerRequestObservationConvention> convention, Environment environment) {
        String name = environment.getProperty(NAME_PROPERTY, DefaultSluiceServerRequestObservationConvention.DEFAULT_NAME);
        return new ObservingEndpointInstrumentation(registry, convention.getIfUnique(),
                new DefaultSluiceServerRequestObservationConvention(name));
    }
}
