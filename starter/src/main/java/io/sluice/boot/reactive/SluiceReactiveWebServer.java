package io.sluice.boot.reactive;

import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.net.BindException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.web.server.GracefulShutdownCallback;
import org.springframework.boot.web.server.GracefulShutdownResult;
import org.springframework.boot.web.server.PortInUseException;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.WebServerException;

/**
 * The Sluice engine as Boot's {@link WebServer}: bound by {@link #start()}, closed by {@link #stop()}, and
 * startable again after a stop. The engine's event-loop threads are not daemons, so a started server keeps
 * the JVM alive, as Boot's other servers do.
 *
 * <p>A graceful shutdown stops accepting connections and closes idle ones; requests in flight finish, then
 * the callback hears {@link GracefulShutdownResult#IDLE}. Boot bounds the wait with
 * {@code spring.lifecycle.timeout-per-shutdown-phase} and then calls {@link #stop()}, which closes what is
 * left and reports {@link GracefulShutdownResult#REQUESTS_ACTIVE}.
 */
public final class SluiceReactiveWebServer implements WebServer {

    private static final Logger log = LoggerFactory.getLogger(SluiceReactiveWebServer.class);

    private final SluiceServer server;
    private final boolean graceful;

    public SluiceReactiveWebServer(SluiceServer server, boolean graceful) {
        this.server = server;
        this.graceful = graceful;
    }

    /**
     * Binds the port and starts the event loops; does nothing when already started.
     *
     * @throws PortInUseException when the port is taken
     * @throws WebServerException when the address cannot be bound for another reason
     */
    @Override
    public void start() {
        if (server.isRunning()) {
            return;
        }
        try {
            server.start();
        } catch (BindException e) {
            PortInUseException.throwIfPortBindingException(e, server.config()::port);
            throw new WebServerException("Sluice could not bind " + bindAddress(), e);
        } catch (IOException e) {
            throw new WebServerException("Sluice could not start on " + bindAddress(), e);
        }
    }

    private String bindAddress() {
        return (server.config().address() == null ? "*" : server.config().address().getHostAddress()) + ":"
                + server.config().port();
    }

    /** Closes every connection and stops now; a graceful shutdown in progress ends with REQUESTS_ACTIVE. */
    @Override
    public void stop() {
        server.stop();
    }

    @Override
    public int getPort() {
        return server.port();
    }

    @Override
    public void shutDownGracefully(GracefulShutdownCallback callback) {
        if (!graceful || !server.isRunning()) {
            callback.shutdownComplete(GracefulShutdownResult.IMMEDIATE);
            return;
        }
        // No grace period of our own: Boot decides when the wait has been long enough, and calls stop().
        CompletableFuture<Boolean> idle = server.shutdownGracefully();
        idle.whenComplete((wentIdle, failure) -> {
            if (Boolean.TRUE.equals(wentIdle)) {
                callback.shutdownComplete(GracefulShutdownResult.IDLE);
            } else {
                log.info("Graceful shutdown aborted with one or more requests still active");
                callback.shutdownComplete(GracefulShutdownResult.REQUESTS_ACTIVE);
            }
        });
    }

    /** The engine, for meters and for tests. */
    public SluiceServer getServer() {
        return server;
    }

    @Override
    public String toString() {
        return "SluiceReactiveWebServer[port=" + getPort() + "]";
    }
}
