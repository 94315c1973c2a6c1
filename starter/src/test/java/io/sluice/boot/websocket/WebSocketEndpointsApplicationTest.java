package io.sluice.boot.websocket;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;

/** The scenarios in a whole auto-configured application, on the server the starter runs, as users test theirs. */
@SpringBootTest(classes = WebSocketEndpointsApplicationTest.App.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { "spring.main.web-application-type=none", "server.address=127.0.0.1" })
class WebSocketEndpointsApplicationTest extends WebSocketEndpointScenarios {

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Override
    void serve(Scenario scenario) throws Exception {
        run(scenario, port, context);
    }

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({TestEndpoints.Echo.class, TestEndpoints.Where.class, TestEndpoints.OnLoop.class, TestEndpoints.Points.class,
            TestEndpoints.Items.class, TestEndpoints.Failing.class, TestEndpoints.Recovering.class,
            TestEndpoints.Ordered.class, TestEndpoints.Chat.class})
    static class App {
    }
}
