package io.sluice.boot.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.SluiceController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Import;

@ExtendWith(OutputCaptureExtension.class)
@Timeout(30)
class InvalidEndpointFailureAnalyzerTest {

    @SluiceController
    static class Broken {
        @Get("/orders/{id}")
        String find(@PathVar long orderId) {
            return "";
        }
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import(Broken.class)
    static class App {
    }

    @Test
    void startupFailureIsReportedWithTheMethodAndNoStackTraceHunt(CapturedOutput output) {
        SpringApplication application = new SpringApplication(App.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setDefaultProperties(java.util.Map.of("server.port", "0", "server.address", "127.0.0.1"));
        try {
            application.run().close();
        } catch (InvalidEndpointException expected) {
            // The analysis is printed before the exception is rethrown.
        }
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid endpoint " + Broken.class.getName() + "#find(long): parameter 0 (long orderId):"
                        + " @PathVar 'orderId' is not a variable of /orders/{id} (it has [id])")
                .contains("Fix the endpoint method named above");
    }
}
