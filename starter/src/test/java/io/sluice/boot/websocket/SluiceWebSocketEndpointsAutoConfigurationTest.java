package io.sluice.boot.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.WebSocketRoute;
import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.support.DefaultConversionService;
import tools.jackson.databind.json.JsonMapper;

@Timeout(30)
class SluiceWebSocketEndpointsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceJsonAutoConfiguration.class,
                    SluiceWebSocketEndpointsAutoConfiguration.class));

    @WebSocketEndpoint("/chat/{room}")
    static class Chat {
        @OnMessage
        String message(String text) {
            return text;
        }
    }

    @WebSocketEndpoint("/chat/{channel}")
    static class OtherChat {
    }

    record Point(int x, int y) {
    }

    @WebSocketEndpoint("/points")
    static class Points {
        @OnMessage
        void point(Point point) {
        }
    }

    @WebSocketEndpoint("/broken")
    static class Broken {
        @OnOpen
        void open(String surprise) {
        }
    }

    @Test
    void endpointBeansBecomeRoutesOfTheServer() {
        runner.withUserConfiguration(Chat.class).run(context -> {
            assertThat(context).hasSingleBean(WebSocketEndpointRegistrar.class).hasSingleBean(JsonMessages.class);
            assertThat(context.getBean(WebSocketEndpointRegistrar.class).routes())
                    .extracting(WebSocketRoute::path).containsExactly("/chat/{room}");
            assertThat(context.getBeanNamesForType(Chat.class))
                    .as("the path is not taken for the bean's name").doesNotContain("/chat/{room}");
        });
    }


    @Test
    void endpointsThatServeTheSamePathsFailStartupNamingBoth() {
        runner.withUserConfiguration(Chat.class, OtherChat.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOf(InvalidWebSocketEndpointException.class)
                    .hasMessageContaining(Chat.class.getName()).hasMessageContaining(OtherChat.class.getName())
                    .hasMessageContaining("/chat/{room}").hasMessageContaining("/chat/{channel}");
        });
    }

    @Test
    void anUnsupportedSignatureFailsStartupNamingTheMethod() {
        runner.withUserConfiguration(Broken.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOf(InvalidWebSocketEndpointException.class)
                    .hasMessageContaining("Broken.open(String)")
                    .hasMessageContaining("unsupported parameter 'surprise'");
        });
    }

    @Test
    void withoutJacksonThereAreNoJsonMessagesAndJsonEndpointsFailStartup() {
        ApplicationContextRunner withoutJackson = runner.withClassLoader(new FilteredClassLoader(JsonMapper.class));

        withoutJackson.withUserConfiguration(Chat.class).run(context -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(JsonMessages.class);
            assertThat(context.getBean(WebSocketEndpointRegistrar.class).routes()).hasSize(1);
        });
        withoutJackson.withUserConfiguration(Points.class).run(context -> assertThat(context.getStartupFailure())
                .isInstanceOf(InvalidWebSocketEndpointException.class)
                .hasMessageContaining("Points.point(Point)")
                .hasMessageContaining("no JsonCodec bean"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistrar {
        @Bean
        WebSocketEndpointRegistrar myRegistrar(ListableBeanFactory beanFactory) {
            return new WebSocketEndpointRegistrar(beanFactory, DefaultConversionService.getSharedInstance(), null);
        }
    }

    @Test
    void anApplicationsOwnRegistrarReplacesTheStartersOne() {
        runner.withUserConfiguration(OwnRegistrar.class).run(context ->
                assertThat(context).hasSingleBean(WebSocketEndpointRegistrar.class).hasBean("myRegistrar"));
    }
}
