package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.ConfigurationPropertiesAutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class ChatPropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(ChatProperties.class)
    static class Bound {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ConfigurationPropertiesAutoConfiguration.class))
            .withUserConfiguration(Bound.class);

    @Test
    void theDefaultsApplyWithoutAnySetting() {
        runner.run(context -> {
            ChatProperties properties = context.getBean(ChatProperties.class);
            assertThat(properties.rooms()).isEqualTo(new ChatProperties.Rooms(100, 1000, List.of("lobby")));
            assertThat(properties.history()).isEqualTo(new ChatProperties.History(500, 50, 100));
            assertThat(properties.input()).isEqualTo(new ChatProperties.Input(24, 500));
            assertThat(properties.rateLimit()).isEqualTo(new ChatProperties.RateLimit(10, 2));
            assertThat(properties.slowClient()).isEqualTo(new ChatProperties.SlowClient(256));
        });
    }

    @Test
    void valuesThatCannotWorkStopTheStartup() {
        runner.withPropertyValues("chat.rate-limit.per-second=0").run(context ->
                assertThat(context).getFailure().rootCause().hasMessage("chat.rate-limit.per-second must be a positive number"));
        runner.withPropertyValues("chat.slow-client.max-backlog=0").run(context ->
                assertThat(context).getFailure().rootCause().hasMessage("chat.slow-client.max-backlog must be at least 1, not 0"));
        runner.withPropertyValues("chat.history.default-page-size=101").run(context ->
                assertThat(context).getFailure().rootCause()
                        .hasMessage("chat.history.default-page-size must be 1 to chat.history.max-page-size"));
        assertThatThrownBy(() -> new ChatProperties.Rooms(1, 10, List.of("a", "b")))
                .hasMessage("chat.rooms.initial lists more rooms than chat.rooms.max allows");
    }
}
