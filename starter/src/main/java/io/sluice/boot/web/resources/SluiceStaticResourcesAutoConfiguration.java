package io.sluice.boot.web.resources;

import java.util.Map;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;

/**
 * Static content on the standalone Sluice server, the way Boot's own servers serve it: the files of
 * {@code spring.web.resources.static-locations} ({@code /META-INF/resources/}, {@code /resources/},
 * {@code /static/} and {@code /public/} on the class path by default) from {@code /}, with
 * {@code spring.web.resources.cache.*} for HTTP caching. Off with {@code spring.web.resources.add-mappings=false}.
 */
@AutoConfiguration(afterName = "io.sluice.boot.autoconfigure.SluiceAutoConfiguration")
@ConditionalOnNotWebApplication
@ConditionalOnBooleanProperty(name = "spring.web.resources.add-mappings", matchIfMissing = true)
@EnableConfigurationProperties({WebProperties.class, SluiceResourcesProperties.class})
public final class SluiceStaticResourcesAutoConfiguration {

    /** Boot's key, from {@code ServerProperties}, which a standalone application does not have. */
    static final String MIME_MAPPINGS = "server.mime-mappings";

    @Bean
    @ConditionalOnMissingBean
    StaticResourcesRegistrar sluiceStaticResourcesRegistrar(WebProperties web, SluiceResourcesProperties properties,
            ResourceLoader resourceLoader, Environment environment) {
        Map<String, String> mimeMappings = Binder.get(environment)
                .bind(MIME_MAPPINGS, Bindable.mapOf(String.class, String.class)).orElse(Map.of());
        return new StaticResourcesRegistrar(web.getResources(), properties, resourceLoader, mimeMappings);
    }
}
