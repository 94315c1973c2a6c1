package io.sluice.boot.web;

import static io.sluice.boot.web.ServedContext.serve;
import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.observation.ObservationRegistry;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import io.sluice.boot.observation.ObservingEndpointInstrumentation;
import io.sluice.boot.observation.SluiceObservationAutoConfiguration;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import io.sluice.boot.web.scanned.ScannedEndpoints;
import io.sluice.server.SluiceServer;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.support.DefaultConversionService;

@Timeout(30)
class SluiceWebEndpointsAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceJsonAutoConfiguration.class,
                    SluiceObservationAutoConfiguration.class, SluiceWebEndpointsAutoConfiguration.class));

    @SluiceController("/a")
    static class First {
        @Get("/items/{id}")
        String item(@PathVar String id) {
            return "first " + id;
        }
    }

    @SluiceController
    static class Second {
        @Get("/a/items/{itemId}")
        String item(@PathVar String itemId) {
            return "second " + itemId;
        }
    }

    /** A type only the application's own conversion service knows. */
    record Money(long cents) {
    }

    @SluiceController
    static class Prices {
        @Get("/price")
        String price(@QueryParam Money amount) {
            return amount.cents() + " cents";
        }
    }

    @SluiceController
    public static class Counted {
        @Get("/counted")
        public String counted() {
            return "counted";
        }
    }

    @Test
    void registersTheEndpointsOfControllerBeans() {
        serve(runner.withBean(First.class), served -> {
            assertThat(served.context()).hasSingleBean(HttpEndpointRegistrar.class);
            assertThat(served.context().getBean(HttpEndpointRegistrar.class).endpoints())
                    .extracting(Endpoint::toString)
                    .containsExactly("GET /a/items/{id} (" + First.class.getName() + "#item(String))");
            assertThat(served.client().get("/a/items/7").body()).isEqualTo("first 7");
        });
    }

    @Configuration(proxyBeanMethods = false)
    @ComponentScan(basePackageClasses = ScannedEndpoints.class)
    static class Scanning {
    }

    @Test
    void componentScanningFindsControllersAndTheirValueIsAPrefixNotABeanName() {
        serve(runner.withUserConfiguration(Scanning.class), served -> {
            assertThat(served.context()).hasBean("scannedEndpoints");
            assertThat(served.client().get("/scanned").body()).isEqualTo("scanned");
        });
    }

    @Test
    void sameRouteInTwoBeansFailsStartupNamingBothMethods() {
        runner.withBean(First.class).withBean(Second.class).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure())
                    .isInstanceOf(InvalidEndpointException.class)
                    .hasMessageContaining("Duplicate endpoint GET /a/items/")
                    .hasMessageContaining(First.class.getName() + "#item(String)")
                    .hasMessageContaining(Second.class.getName() + "#item(String)");
        });
    }

    @Test
    void usesTheApplicationsConversionServiceWhenItHasOne() {
        DefaultConversionService conversion = new DefaultConversionService();
        conversion.addConverter(String.class, Money.class, text -> new Money(Math.round(Double.parseDouble(text) * 100)));
        serve(runner.withBean(Prices.class).withBean(ConversionService.class, () -> conversion),
                served -> assertThat(served.client().get("/price?amount=1.25").body()).isEqualTo("125 cents"));
    }

    @Test
    void typeTheSharedConversionServiceCannotProduceFailsStartup() {
        runner.withBean(Prices.class).run(context -> assertThat(context).getFailure()
                .isInstanceOf(InvalidEndpointException.class)
                .hasMessageContaining(Prices.class.getName() + "#price(Money)")
                .hasMessageContaining("no conversion from String to Money"));
    }

    @Test
    void callsGoThroughTheBeansProxySoItsAdviceRuns() {
        AtomicInteger advised = new AtomicInteger();
        serve(runner.withBean("counted", Counted.class, () -> {
            ProxyFactory proxy = new ProxyFactory(new Counted());
            proxy.setProxyTargetClass(true);
            proxy.addAdvice((MethodInterceptor) invocation -> {
                advised.incrementAndGet();
                return invocation.proceed();
            });
            return (Counted) proxy.getProxy();
        }), served -> {
            assertThat(served.client().get("/counted").body()).isEqualTo("counted");
            assertThat(advised).hasValue(1);
        });
    }

    @Test
    void withoutControllersNothingIsAdded() {
        runner.run(context -> {
            SluiceServer.Builder builder = SluiceServer.builder().port(0);
            context.getBean(HttpEndpointRegistrar.class).customize(builder);
            assertThat(context.getBean(HttpEndpointRegistrar.class).endpoints()).isEmpty();
            assertThat(builder.build()).isNotNull();
        });
    }

    @Test
    void withoutJacksonTextEndpointsStillWork() {
        serve(runner.withClassLoader(new FilteredClassLoader("tools.jackson")).withBean(First.class), served -> {
            assertThat(served.context()).doesNotHaveBean(JsonCodec.class);
            assertThat(served.client().get("/a/items/1").body()).isEqualTo("first 1");
        });
    }

    @Test
    void observesOnlyWhenThereIsAnObservationRegistry() {
        runner.run(context -> assertThat(context).doesNotHaveBean(EndpointInstrumentation.class));
        runner.withBean(ObservationRegistry.class, ObservationRegistry::create)
                .run(context -> assertThat(context).hasSingleBean(ObservingEndpointInstrumentation.class));
        serve(runner.withClassLoader(new FilteredClassLoader("io.micrometer")).withBean(First.class), served -> {
            assertThat(served.context()).doesNotHaveBean(EndpointInstrumentation.class);
            assertThat(served.client().get("/a/items/2").body()).isEqualTo("first 2");
        });
    }
}
