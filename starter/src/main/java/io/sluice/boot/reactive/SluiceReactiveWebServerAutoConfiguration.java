package io.sluice.boot.reactive;

import io.sluice.boot.autoconfigure.SluiceProperties;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerConfiguration;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.http.ReactiveHttpInputMessage;
import org.springframework.util.unit.DataSize;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * Sluice as the server of a reactive (WebFlux) web application. Ordered ahead of Boot's Reactor Netty,
 * Tomcat and Jetty auto-configurations, so the starter wins when one of them is still on the classpath; an
 * application's own {@link ReactiveWebServerFactory} bean wins over it.
 *
 * <p>Boot's {@code server.*} properties reach the factory through Boot's own customizer (imported with
 * {@link ReactiveWebServerConfiguration}); {@code sluice.*} and {@code server.max-http-request-header-size}
 * through {@link SluiceReactiveWebServerFactoryCustomizer}; {@link SluiceServerCustomizer} beans last.
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
        "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
        "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration" })
@ConditionalOnClass({ ReactiveHttpInputMessage.class, ReactiveWebServerFactory.class, SluiceServer.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@EnableConfigurationProperties(SluiceProperties.class)
@Import(ReactiveWebServerConfiguration.class)
public final class SluiceReactiveWebServerAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(ReactiveWebServerFactory.class)
    SluiceReactiveWebServerFactory sluiceReactiveWebServerFactory(ObjectProvider<SluiceServerCustomizer> customizers) {
        SluiceReactiveWebServerFactory factory = new SluiceReactiveWebServerFactory();
        factory.setServerCustomizers(customizers.orderedStream().toList());
        return factory;
    }

    @Bean
    SluiceReactiveWebServerFactoryCustomizer sluiceReactiveWebServerFactoryCustomizer(SluiceProperties properties,
            ServerProperties serverProperties, Environment environment) {
        return new SluiceReactiveWebServerFactoryCustomizer(properties, serverProperties, environment);
    }

    /**
     * WebFlux picks its WebSocket upgrade strategy by the server classes it finds; Sluice is not among them,
     * so the strategy is given to it here.
     */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({ WebFluxConfigurer.class, HandshakeWebSocketService.class })
    static final class WebSocketConfiguration {

        @Bean
        SluiceWebSocketServiceConfigurer sluiceWebSocketServiceConfigurer() {
            return new SluiceWebSocketServiceConfigurer();
        }
    }

    /** Hands WebFlux a {@link HandshakeWebSocketService} that upgrades with {@link SluiceRequestUpgradeStrategy}. */
    static final class SluiceWebSocketServiceConfigurer implements WebFluxConfigurer {

        private final WebSocketService service = new HandshakeWebSocketService(new SluiceRequestUpgradeStrategy());

        @Override
        public WebSocketService getWebSocketService() {
            return service;
        }
    }

    /**
     * Applies {@code sluice.*} and {@code server.max-http-request-header-size} to the factory. The Sluice key
     * {@code sluice.limits.max-header-size}, when set, is the more specific one and wins.
     */
    static final class SluiceReactiveWebServerFactoryCustomizer
            implements WebServerFactoryCustomizer<SluiceReactiveWebServerFactory>, Ordered {

        private final SluiceProperties properties;
        private final ServerProperties serverProperties;
        private final Environment environment;

        SluiceReactiveWebServerFactoryCustomizer(SluiceProperties properties, ServerProperties serverProperties,
                Environment environment) {
            this.properties = properties;
            this.serverProperties = serverProperties;
            this.environment = environment;
        }

        @Override
        public void customize(SluiceReactiveWebServerFactory factory) {
            factory.setProperties(properties);
            boolean sluiceHeaderLimitSet = Binder.get(environment)
                    .bind("sluice.limits.max-header-size", DataSize.class).isBound();
            if (!sluiceHeaderLimitSet) {
                factory.setMaxRequestHeaderSize(serverProperties.getMaxHttpRequestHeaderSize());
            }
        }

        /** After Boot's customizer (order 0), like the other servers' own customizers. */
        @Override
        public int getOrder() {
            return 1;
        }
    }
}
