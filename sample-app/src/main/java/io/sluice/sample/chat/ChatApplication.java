package io.sluice.sample.chat;

import java.time.Clock;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * A real-time chat on Sluice: rooms and their histories over HTTP ({@link RoomEndpoints}), live messages over
 * WebSocket ({@link ChatEndpoint}), and a page that uses both (in {@code static/}).
 *
 * <p>There is no Spring MVC or WebFlux here: the Sluice starter serves the annotated beans, the page and the
 * actuator's health and Prometheus endpoints on its own (standalone mode).
 */
@SpringBootApplication
@EnableConfigurationProperties(ChatProperties.class)
public class ChatApplication {

    public static void main(String[] args) {
        SpringApplication.run(ChatApplication.class, args);
    }

    @Bean
    InputRules inputRules(ChatProperties properties) {
        return new InputRules(properties.input());
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
