package io.sluice.boot.conformance;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;

/**
 * The conformance suite against Spring Boot's own Reactor Netty server. Boot's server tests pass on Netty,
 * so every check here must pass too; one that fails is checking the wrong thing.
 */
class ReactorNettyConformanceTests extends ReactiveWebServerFactoryConformanceTests {

    @Override
    protected AbstractReactiveWebServerFactory createFactory() {
        return new NettyReactiveWebServerFactory();
    }

    @Override
    protected String serverName() {
        return "Netty";
    }
}
