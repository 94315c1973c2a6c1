package io.sluice.boot.websocket;

import io.sluice.boot.json.SluiceJsonAutoConfiguration;
import io.sluice.server.SluiceServer;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The scenarios on an engine server built by hand and customized by the registrar of an application context. */
class WebSocketEndpointsOverSocketsTest extends WebSocketEndpointScenarios {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(SluiceJsonAutoConfiguration.class,
                    SluiceWebSocketEndpointsAutoConfiguration.class))
            .withUserConfiguration(TestEndpoints.ALL);

    @Override
    void serve(Scenario scenario) {
        runner.run(context -> {
            SluiceServer.Builder builder = SluiceServer.builder().port(0).address("127.0.0.1");
            context.getBean(WebSocketEndpointRegistrar.class).customize(builder);
            SluiceServer server = builder.build();
            server.start();
            try {
                run(scenario, server.port(), context);
            } finally {
                server.stop();
            }
        });
    }
}
