package io.sluice.boot.reactive;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.boot.autoconfigure.SluiceAutoConfiguration;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import io.sluice.server.SluiceServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.autoconfigure.reactive.ReactiveWebServerFactoryCustomizer;
import org.springframework.boot.web.server.reactive.ConfigurableReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.ReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.context.AnnotationConfigReactiveWebServerApplicationContext;
import org.springframework.boot.web.server.reactive.context.ReactiveWebServerApplicationContext;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import reactor.core.publisher.Mono;

/** The reactive auto-configuration's rules: one factory, back-off, properties, and clear failures. */
@Timeout(60)
class SluiceReactiveWebServerAutoConfigurationTest {

    private static final String[] LOCAL_SERVER = { "server.port=0", "server.address=127.0.0.1" };

    /** A context that only configures beans (no server is started). */
    private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceReactiveWebServerAutoConfiguration.class,
                    SluiceAutoConfiguration.class, SluiceJsonAutoConfiguration.class));

    /** A context that starts its web server, as a WebFlux application's does. */
    private final ReactiveWebApplicationContextRunner serving = new ReactiveWebApplicationContextRunner(
            AnnotationConfigReactiveWebServerApplicationContext::new)
            .withConfiguration(AutoConfigurations.of(SluiceReactiveWebServerAutoConfiguration.class))
            .withPropertyValues(LOCAL_SERVER);

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void providesOneFactoryWithBootsCustomizerAndNothingOfTheStandaloneMode() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(ReactiveWebServerFactory.class)
                    .hasSingleBean(ReactiveWebServerFactoryCustomizer.class)
                    .doesNotHaveBean(SluiceWebServer.class).doesNotHaveBean(JsonCodec.class);
            assertThat(context.getBean(ReactiveWebServerFactory.class)).isInstanceOf(SluiceReactiveWebServerFactory.class);
        });
    }

    @Test
    void backsOffToTheApplicationsOwnFactory() {
        runner.withUserConfiguration(OwnFactory.class).run(context -> {
            assertThat(context).hasSingleBean(ReactiveWebServerFactory.class);
            assertThat(context.getBean(ReactiveWebServerFactory.class)).isSameAs(context.getBean("ownFactory"));
        });
    }

    @Test
    void aCustomizersPortWinsOverServerPort() {
        runner.withPropertyValues("server.port=9100").withUserConfiguration(PortCustomizer.class).run(context ->
                assertThat(context.getBean(SluiceReactiveWebServerFactory.class).getPort()).isEqualTo(9000));
    }

    @Test
    void startsTheServerWithTheApplicationsHttpHandler() {
        serving.withUserConfiguration(HelloHandler.class).run(context -> {
            assertThat(context).hasNotFailed();
            int port = ((ReactiveWebServerApplicationContext) context.getSourceApplicationContext()).getWebServer().getPort();
            assertThat(port).isPositive();
            var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/any")).build(),
                    BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.body()).isEqualTo("hello");
        });
    }

    @Test
    void appliesSluicePropertiesAndTheHeaderSizeLimit() {
        serving.withUserConfiguration(HelloHandler.class)
                .withPropertyValues("sluice.threads.selectors=3", "server.max-http-request-header-size=16KB",
                        "sluice.server-header=Test")
                .run(context -> {
                    SluiceServer server = engine(context);
                    assertThat(server.config().eventLoops()).isEqualTo(3);
                    assertThat(server.config().maxHeaderSize()).isEqualTo(16 * 1024);
                    assertThat(server.config().serverHeader()).isEqualTo("Test");
                });
    }

    @Test
    void sluicesOwnHeaderLimitIsTheMoreSpecific() {
        serving.withUserConfiguration(HelloHandler.class)
                .withPropertyValues("server.max-http-request-header-size=16KB", "sluice.limits.max-header-size=4KB")
                .run(context -> assertThat(engine(context).config().maxHeaderSize()).isEqualTo(4 * 1024));
    }

    @Test
    void serverCustomizersMayAddEngineRoutesAheadOfTheHandler() {
        serving.withUserConfiguration(HelloHandler.class, EngineRoute.class).run(context -> {
            int port = engine(context).port();
            var fast = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/fast")).build(),
                    BodyHandlers.ofString());
            var other = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/other")).build(),
                    BodyHandlers.ofString());
            assertThat(fast.body()).isEqualTo("engine");
            assertThat(other.body()).isEqualTo("hello");
        });
    }

    @Test
    void sslFailsFastWithAClearMessage() {
        serving.withUserConfiguration(HelloHandler.class)
                .withPropertyValues("server.ssl.enabled=true", "server.ssl.key-store=classpath:none.p12")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("Sluice does not support SSL yet"));
    }

    @Test
    void http2FailsFastWithAClearMessage() {
        serving.withUserConfiguration(HelloHandler.class).withPropertyValues("server.http2.enabled=true")
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("Sluice speaks HTTP/1.1 only"));
    }

    @Test
    void aMissingHttpHandlerIsReported() {
        serving.run(context -> assertThat(context).getFailure().rootCause()
                .hasMessageContaining("missing HttpHandler bean"));
    }

    @Test
    void twoHttpHandlersAreReported() {
        serving.withUserConfiguration(HelloHandler.class, AdditionalHandler.class)
                .run(context -> assertThat(context).getFailure().rootCause()
                        .hasMessageContaining("multiple HttpHandler beans : httpHandler,additionalHttpHandler"));
    }

    @Test
    void webFluxUpgradesWebSocketsWithSluice() {
        runner.withConfiguration(AutoConfigurations.of(WebFluxAutoConfiguration.class)).run(context -> {
            WebSocketHandlerAdapter adapter = context.getBean(WebSocketHandlerAdapter.class);
            assertThat(adapter.getWebSocketService()).isInstanceOf(HandshakeWebSocketService.class);
            assertThat(((HandshakeWebSocketService) adapter.getWebSocketService()).getUpgradeStrategy())
                    .isInstanceOf(SluiceRequestUpgradeStrategy.class);
        });
    }

    private static SluiceServer engine(AssertableReactiveWebApplicationContext context) {
        assertThat(context).hasNotFailed();
        ReactiveWebServerApplicationContext serverContext =
                (ReactiveWebServerApplicationContext) context.getSourceApplicationContext();
        return ((SluiceReactiveWebServer) serverContext.getWebServer()).getServer();
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnFactory {
        @Bean
        ReactiveWebServerFactory ownFactory() {
            return new SluiceReactiveWebServerFactory(0);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PortCustomizer {
        @Bean
        WebServerFactoryCustomizer<ConfigurableReactiveWebServerFactory> portCustomizer() {
            return factory -> factory.setPort(9000);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class HelloHandler {
        @Bean
        HttpHandler httpHandler() {
            return (request, response) -> response.writeWith(
                    Mono.fromSupplier(() -> response.bufferFactory().wrap("hello".getBytes())));
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class AdditionalHandler {
        @Bean
        HttpHandler additionalHttpHandler() {
            return (request, response) -> response.setComplete();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class EngineRoute {
        @Bean
        SluiceServerCustomizer engineRoute() {
            return builder -> builder.route(Route.of("GET", "/fast", request -> HttpResponse.text("engine")));
        }
    }
}
