package io.sluice.boot.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.thread.Threading;
import org.springframework.core.env.Environment;

/**
 * The keys of Boot's own that every embedded server honours. A standalone application has no
 * {@code ServerProperties} bean (it lives in {@code spring-boot-web-server}, which such an application does
 * not have), so they are bound here, under their usual names, without claiming the {@code server}
 * namespace in our metadata.
 *
 * @param port             {@code server.port}: 8080 by default, 0 for any free port
 * @param address          {@code server.address}: every interface when {@code null}
 * @param shutdown         {@code server.shutdown}: graceful by default
 * @param shutdownTimeout  {@code spring.lifecycle.timeout-per-shutdown-phase}: how long a graceful shutdown may take
 * @param virtualThreads   whether {@code spring.threads.virtual.enabled} is set and the JVM has virtual threads
 */
record BootServerSettings(int port, InetAddress address, Shutdown shutdown, Duration shutdownTimeout,
        boolean virtualThreads) {

    static final String PORT = "server.port";
    static final String ADDRESS = "server.address";
    static final String SHUTDOWN = "server.shutdown";
    static final String SHUTDOWN_TIMEOUT = "spring.lifecycle.timeout-per-shutdown-phase";

    /** How the server stops with the application context, as Boot's {@code server.shutdown} has it. */
    enum Shutdown {
        /** Stop accepting, let requests in flight finish within the shutdown phase's timeout, then stop. */
        GRACEFUL,
        /** Close every connection at once. */
        IMMEDIATE
    }

    /**
     * @throws InvalidConfigurationPropertyValueException for a port out of range or a negative timeout
     */
    static BootServerSettings bind(Environment environment) {
        Binder binder = Binder.get(environment);
        int port = binder.bind(PORT, Integer.class).orElse(8080);
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationPropertyValueException(PORT, port, "Must be between 0 and 65535 (0 picks a free port).");
        }
        InetAddress address = binder.bind(ADDRESS, InetAddress.class).orElse(null);
        Shutdown shutdown = binder.bind(SHUTDOWN, Shutdown.class).orElse(Shutdown.GRACEFUL);
        Duration timeout = binder.bind(SHUTDOWN_TIMEOUT, Duration.class).orElse(Duration.ofSeconds(30));
        if (timeout.isNegative()) {
            throw new InvalidConfigurationPropertyValueException(SHUTDOWN_TIMEOUT, timeout, "Must not be negative.");
        }
        return new BootServerSettings(port, address, shutdown, timeout, Threading.VIRTUAL.isActive(environment));
    }
}
