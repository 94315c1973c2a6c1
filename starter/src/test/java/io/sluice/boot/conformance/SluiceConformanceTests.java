package io.sluice.boot.conformance;

import io.sluice.boot.reactive.SluiceReactiveWebServerFactory;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;

/** Sluice against the checks Reactor Netty passes (see {@code benchmarks/reactor-netty-conformance}). */
class SluiceConformanceTests extends ReactiveWebServerFactoryConformanceTests {

    @Override
    protected AbstractReactiveWebServerFactory createFactory() {
        return new SluiceReactiveWebServerFactory();
    }

    @Override
    protected String serverName() {
        return "Sluice";
    }
}
