package io.sluice.boot.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationStartedEvent;
import org.springframework.context.ApplicationListener;

/**
 * Binds {@link SluiceMetrics} for the application's {@link SluiceWebServer} once the application has
 * started, as Boot binds Tomcat's and Jetty's meters: only then has the server bound its port (the
 * {@code port} tag) and created its event loops and worker pool.
 *
 * <p>The meters follow the server through a graceful restart of the context's lifecycle, reading 0 while it
 * is stopped; they keep the port and worker pool of the run they were bound in.
 */
public final class SluiceMetricsBinder implements ApplicationListener<ApplicationStartedEvent> {

    private static final Logger log = LoggerFactory.getLogger(SluiceMetricsBinder.class);

    private final SluiceWebServer webServer;
    private final MeterRegistry registry;
    /** Held so that the objects behind the function meters stay reachable. */
    private volatile SluiceMetrics metrics;

    public SluiceMetricsBinder(SluiceWebServer webServer, MeterRegistry registry) {
        this.webServer = Objects.requireNonNull(webServer, "webServer");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    @Override
    public synchronized void onApplicationEvent(ApplicationStartedEvent event) {
        // Events of child contexts reach this listener too; the meters are bound once.
        if (metrics != null) {
            return;
        }
        int port = webServer.getPort();
        if (port < 0) {
            log.debug("Sluice is not running now that the application has started; binding no meters");
            return;
        }
        SluiceMetrics bound = new SluiceMetrics(webServer::getServer, webServer.getWorkerExecutor(),
                Tags.of("port", Integer.toString(port)));
        bound.bindTo(registry);
        metrics = bound;
    }
}
