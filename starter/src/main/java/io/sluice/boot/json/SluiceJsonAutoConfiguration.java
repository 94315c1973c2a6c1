package io.sluice.boot.json;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnNotWebApplication;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@link JsonCodec} for annotated endpoints: on the application's {@link JsonMapper} when Boot's Jackson
 * auto-configuration made one (so {@code spring.jackson.*} applies), else on a default mapper. Standalone
 * mode only: a web application has its framework's codecs.
 */
@AutoConfiguration(afterName = "org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration")
@ConditionalOnClass(JsonMapper.class)
@ConditionalOnNotWebApplication
public final class SluiceJsonAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(JsonCodec.class)
    JacksonJsonCodec sluiceJsonCodec(ObjectProvider<JsonMapper> mapper) {
        return new JacksonJsonCodec(mapper.getIfAvailable(() -> JsonMapper.builder().build()));
    }
}
