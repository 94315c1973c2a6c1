package io.sluice.boot.autoconfigure;

import io.sluice.server.SluiceServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Sluice as the server of an application that is neither a servlet nor a reactive web application: the
 * engine runs as a {@link SluiceWebServer} lifecycle bean, configured by {@code sluice.*} and Boot's
 * {@code server.*} properties and by {@link SluiceServerCustomizer} beans.
 *
 * <p>Backs off when the application defines a {@link SluiceWebServer} of its own, or a {@link SluiceServer}:
 * an application that builds its own engine runs it too (starts and stops it), and properties and
 * customizers do not apply to it.
 */
@AutoConfiguration
@ConditionalOnClass(SluiceServer.class)
@ConditionalOnNotWebApplication
@EnableConfigurationProperties(SluiceProperties.class)
public final class SluiceAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean({ SluiceWebServer.class, SluiceServer.class })
    SluiceWebServer sluiceWebServer(SluiceProperties properties, ObjectProvider<SluiceServerCustomizer> customizers) {
        return new SluiceWebServer(properties, customizers);
    }
}
