package io.sluice.boot.autoconfigure;

import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.net.BindException;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Runs the Sluice engine with the application context: builds and binds it once the context has been
 * refreshed, stops it with the context.
 *
 * <p>On {@link #start()} the engine is built from the {@code sluice.*} and {@code server.*} properties, then
 * shaped by every {@link SluiceServerCustomizer} bean in order (they are looked up only then, so every
 * singleton exists), then bound; the port it got is published as {@code local.server.port}, which is
 * what {@code @LocalServerPort} reads. Properties are validated earlier, when this bean is created, so a
 * bad value fails the startup before anything else runs.
 *
 * <p>Stopping follows {@code server.shutdown}: graceful by default (no new connections; requests in flight
 * finish, up to {@code spring.lifecycle.timeout-per-shutdown-phase}, after which the rest are closed), or
 * {@code immediate}.
 */
public final class SluiceWebServer implements SmartLifecycle, ApplicationContextAware, InitializingBean,
        DisposableBean {

    /**
     * The phase of Boot's graceful web-server shutdown ({@code WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE}):
     * the server starts after lifecycle beans of lower phases and stops, draining its requests, before them.
     */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 1024;

    private static final Logger log = LoggerFactory.getLogger(SluiceWebServer.class);

    private static final String PORTS_PROPERTY_SOURCE = "server.ports";
    private static final String LOCAL_PORT_PROPERTY = "local.server.port";

    private final SluiceProperties properties;
    private final ObjectProvider<SluiceServerCustomizer> customizers;

    private ApplicationContext context;
    private BootServerSettings settings;
    private SluiceServerConfigurer configurer;

    private volatile SluiceServer server;
    private volatile ThreadPoolExecutor workers;

    public SluiceWebServer(SluiceProperties properties, ObjectProvider<SluiceServerCustomizer> customizers) {
        this.properties = properties;
        this.customizers = customizers;
    }

    @Override
    public void setApplicationContext(ApplicationContext context) {
        this.context = context;
    }

    /** Binds Boot's keys and validates every property, so a bad value fails the context's refresh early. */
    @Override
    public void afterPropertiesSet() {
        settings = BootServerSettings.bind(context.getEnvironment());
        configurer = new SluiceServerConfigurer(properties, settings);
        configurer.configure(SluiceServer.builder());
    }

    /**
     * @throws SluicePortInUseException when the port is taken
     * @throws IllegalStateException    when the address cannot be bound for another reason
     */
    @Override
    public synchronized void start() {
        if (server != null) {
            return;
        }
        ThreadPoolExecutor pool = WorkerPool.create(properties.getThreads().getWorkers(),
                properties.getThreads().getMaxQueue(), settings.virtualThreads());
        try {
            SluiceServer.Builder builder = SluiceServer.builder();
            configurer.configure(builder);
            // Before the customizers, so that one of them may still hand the engine an executor of its own.
            builder.workerExecutor(pool);
            customizers.orderedStream().forEach(customizer -> customizer.customize(builder));
            SluiceServer built = builder.build();
            built.start();
            server = built;
            workers = pool;
        } catch (BindException e) {
            pool.shutdownNow();
            if (isPortInUse(e)) {
                throw new SluicePortInUseException(settings.port(), e);
            }
            throw new IllegalStateException(cannotBind(), e);
        } catch (IOException e) {
            pool.shutdownNow();
            throw new IllegalStateException(cannotBind(), e);
        } catch (RuntimeException | Error e) {
            pool.shutdownNow();
            throw e;
        }
        log.debug("Sluice workers: {} {} threads, queue of {}", pool.getCorePoolSize(),
                settings.virtualThreads() ? "virtual" : "platform", properties.getThreads().getMaxQueue());
        publishPort(server.port());
    }

    /** Java reports a taken port and an address that is not local both as a BindException. */
    private static boolean isPortInUse(BindException e) {
        return e.getMessage() != null && e.getMessage().toLowerCase(Locale.ROOT).contains("in use");
    }

    private String cannotBind() {
        String host = settings.address() == null ? "*" : settings.address().getHostAddress();
        return "Sluice could not bind " + host + ":" + settings.port();
    }

    /**
     * Puts {@code local.server.port} into the {@code server.ports} property source, first in line, of this
     * context's environment and its parents', where Boot's embedded servers put it.
     */
    @SuppressWarnings("unchecked")
    private void publishPort(int port) {
        for (ApplicationContext current = context; current != null; current = current.getParent()) {
            if (current.getEnvironment() instanceof ConfigurableEnvironment environment) {
                MutablePropertySources sources = environment.getPropertySources();
                PropertySource<?> ports = sources.get(PORTS_PROPERTY_SOURCE);
                if (ports == null) {
                    ports = new MapPropertySource(PORTS_PROPERTY_SOURCE, new HashMap<>());
                    sources.addFirst(ports);
                }
                ((Map<String, Object>) ports.getSource()).put(LOCAL_PORT_PROPERTY, port);
            }
        }
    }

    /** Stops as {@code server.shutdown} says, and calls {@code callback} once the engine has stopped. */
    @Override
    public void stop(Runnable callback) {
        SluiceServer running = server;
        if (running == null) {
            callback.run();
            return;
        }
        if (settings.shutdown() == BootServerSettings.Shutdown.IMMEDIATE) {
            stop();
            callback.run();
            return;
        }
        // The engine enforces the phase timeout itself: when it runs out, the remaining connections are
        // closed and the server stops, so nothing outlives the shutdown phase.
        running.shutdownGracefully(settings.shutdownTimeout()).whenComplete((idle, failure) -> {
            released(running);
            callback.run();
        });
    }

    /** Closes every connection and stops now. */
    @Override
    public void stop() {
        SluiceServer running = server;
        if (running != null) {
            running.stop();
            released(running);
        }
    }

    private synchronized void released(SluiceServer stopped) {
        if (server == stopped) {
            server = null;
            // Handlers still running after the engine stopped have nobody left to answer.
            workers.shutdownNow();
        }
    }

    /** Stops at once whatever a graceful shutdown left running, e.g. when the context gave up waiting. */
    @Override
    public void destroy() {
        stop();
    }

    @Override
    public boolean isRunning() {
        return server != null;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }

    /** The bound port; -1 until started and after stop. */
    public int getPort() {
        SluiceServer running = server;
        return running == null ? -1 : running.port();
    }

    /** The running engine; {@code null} until started and after stop. */
    public SluiceServer getServer() {
        return server;
    }

    /**
     * The executor handed to the engine for worker handlers (a {@link ThreadPoolExecutor}); {@code null}
     * until started, then the one of the current or last run. A customizer may have given the engine an
     * executor of its own instead, which this does not see.
     */
    public Executor getWorkerExecutor() {
        return workers;
    }
}
