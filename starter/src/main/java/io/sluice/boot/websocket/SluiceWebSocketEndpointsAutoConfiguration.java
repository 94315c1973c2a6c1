package io.sluice.boot.websocket;

import io.sluice.boot.json.JsonCodec;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.ConversionService;

/**
 * Annotated WebSocket endpoints for the standalone Sluice server: registers every
 * {@link io.sluice.boot.websocket.annotation.WebSocketEndpoint @WebSocketEndpoint} bean with the server, and
 * offers {@link JsonMessages} when the application has a {@link JsonCodec}.
 */
@AutoConfiguration(afterName = {"io.sluice.boot.autoconfigure.SluiceAutoConfiguration",
        "io.sluice.boot.json.SluiceJsonAutoConfiguration"})
@ConditionalOnNotWebApplication
public final class SluiceWebSocketEndpointsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    WebSocketEndpointRegistrar sluiceWebSocketEndpointRegistrar(ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<JsonCodec> codec) {
        // The conversion service Boot installs on the bean factory (with the application's converters), else
        // Boot's shared one, as in contexts built without SpringApplication.
        ConversionService conversions = beanFactory.getConversionService();
        if (conversions == null) {
            conversions = ApplicationConversionService.getSharedInstance();
        }
        return new WebSocketEndpointRegistrar(beanFactory, conversions, codec.getIfAvailable());
    }

    @Bean
    @ConditionalOnBean(JsonCodec.class)
    @ConditionalOnMissingBean
    JsonMessages sluiceJsonMessages(JsonCodec codec) {
        return new JsonMessages(codec);
    }
}
