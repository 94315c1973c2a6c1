package io.sluice.boot.web;

import io.sluice.boot.json.JsonCodec;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.context.annotation.Bean;
import org.springframework.core.convert.ConversionService;

/**
 * Serves {@link io.sluice.boot.web.annotation.SluiceController} beans on the standalone Sluice server.
 * Parameters are converted with the application's {@link ConversionService} bean when it has exactly one,
 * else with Boot's shared {@link ApplicationConversionService}.
 */
@AutoConfiguration(afterName = {"io.sluice.boot.autoconfigure.SluiceAutoConfiguration",
        "io.sluice.boot.json.SluiceJsonAutoConfiguration"})
@ConditionalOnNotWebApplication
public final class SluiceWebEndpointsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    HttpEndpointRegistrar sluiceHttpEndpointRegistrar(ListableBeanFactory beans,
            ObjectProvider<ConversionService> conversionService, ObjectProvider<JsonCodec> jsonCodec,
            ObjectProvider<EndpointInstrumentation> instrumentation) {
        return new HttpEndpointRegistrar(beans, conversionService.getIfUnique(ApplicationConversionService::getSharedInstance),
                jsonCodec, instrumentation);
    }
}
