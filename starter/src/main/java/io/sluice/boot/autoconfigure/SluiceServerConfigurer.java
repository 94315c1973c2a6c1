package io.sluice.boot.autoconfigure;

import io.sluice.server.SluiceServer;
import io.sluice.server.WebSocketOptions;
import io.sluice.websocket.HandshakeOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * Applies {@code sluice.*} settings (and, for the standalone server, Boot's {@code server.port} and
 * {@code server.address}) to an engine builder. A bad value fails with
 * {@link InvalidConfigurationPropertyValueException}, which Boot's failure analysis reports with the
 * property's name, its value and where it came from; the engine's own exceptions name its setters, which
 * an application does not know.
 */
public final class SluiceServerConfigurer {

    private static final String PREFIX = "sluice.";

    private final SluiceProperties properties;
    private final BootServerSettings server;

    /** Applies {@code sluice.*} only: the port and address are set elsewhere (a web server factory). */
    public SluiceServerConfigurer(SluiceProperties properties) {
        this(properties, null);
    }

    SluiceServerConfigurer(SluiceProperties properties, BootServerSettings server) {
        this.properties = properties;
        this.server = server;
    }

    /** @throws InvalidConfigurationPropertyValueException naming the first property with a bad value */
    public void configure(SluiceServer.Builder builder) {
        if (server != null) {
            builder.port(server.port()).address(server.address());
        }
        builder.maxConnections(positive("max-connections", properties.getMaxConnections()));
        builder.serverHeader(printableAscii("server-header", properties.getServerHeader()));

        SluiceProperties.Threads threads = properties.getThreads();
        builder.eventLoops(positive("threads.selectors", threads.getSelectors()))
                .workerThreads(positive("threads.workers", threads.getWorkers()))
                .maxQueuedTasks(positive("threads.max-queue", threads.getMaxQueue()));

        SluiceProperties.Limits limits = properties.getLimits();
        builder.maxRequestLineLength(intBytes("limits.max-request-line", limits.getMaxRequestLine()))
                .maxHeaderSize(intBytes("limits.max-header-size", limits.getMaxHeaderSize()))
                .maxHeaderCount(positive("limits.max-header-count", limits.getMaxHeaderCount()))
                .maxBodySize(bytes("limits.max-body-size", limits.getMaxBodySize()))
                .maxPipelinedRequests(positive("limits.max-pipelined-requests", limits.getMaxPipelinedRequests()));

        SluiceProperties.Timeouts timeouts = properties.getTimeouts();
        builder.headerTimeout(positive("timeouts.header-read", timeouts.getHeaderRead()))
                .idleTimeout(positive("timeouts.idle", timeouts.getIdle()))
                .bodyTimeout(positive("timeouts.body", timeouts.getBody()))
                .writeTimeout(positive("timeouts.write", timeouts.getWrite()));

        builder.webSocketOptions(webSocketOptions(properties.getWebsocket()));
    }

    private static WebSocketOptions webSocketOptions(SluiceProperties.WebSocket websocket) {
        List<String> origins = websocket.getAllowedOrigins();
        // The engine checks origins when it builds a WebSocket route, which may be long after startup
        // (or never, without routes); check them now with its own rules.
        engine("websocket.allowed-origins", origins,
                list -> HandshakeOptions.builder().allowedOrigins(list.toArray(String[]::new)));
        return WebSocketOptions.defaults()
                .withMaxFrameSize(intBytes("websocket.max-frame-size", websocket.getMaxFrameSize()))
                .withMaxMessageSize(intBytes("websocket.max-message-size", websocket.getMaxMessageSize()))
                .withPingInterval(notNegative("websocket.ping-interval", websocket.getPingInterval()))
                .withPongTimeout(positive("websocket.pong-timeout", websocket.getPongTimeout()))
                .withCompression(websocket.isPermessageDeflate())
                .withAllowedOrigins(origins)
                .withMaxQueuedMessages(positive("websocket.max-queued-messages", websocket.getMaxQueuedMessages()));
    }

    private static int positive(String property, int value) {
        if (value <= 0) {
            throw invalid(property, value, "Must be greater than 0.");
        }
        return value;
    }

    /** A header value goes on the wire as is: control characters would split the response. */
    private static String printableAscii(String property, String value) {
        if (value != null && !value.chars().allMatch(c -> c >= 0x20 && c < 0x7F)) {
            throw invalid(property, value, "Must be printable ASCII.");
        }
        return value;
    }

    private static Duration positive(String property, Duration value) {
        if (value == null || value.isNegative() || value.isZero()) {
            throw invalid(property, value, "Must be a positive duration.");
        }
        return value;
    }

    private static Duration notNegative(String property, Duration value) {
        if (value == null || value.isNegative()) {
            throw invalid(property, value, "Must not be negative (0 turns it off).");
        }
        return value;
    }

    private static long bytes(String property, DataSize value) {
        if (value == null || value.toBytes() <= 0) {
            throw invalid(property, value, "Must be greater than 0B.");
        }
        return value.toBytes();
    }

    /** A size the engine holds in an {@code int}: buffers and frames are indexed by one. */
    private static int intBytes(String property, DataSize value) {
        long bytes = bytes(property, value);
        if (bytes > Integer.MAX_VALUE) {
            throw invalid(property, value, "Must be at most " + Integer.MAX_VALUE + "B.");
        }
        return (int) bytes;
    }

    /** Hands {@code value} to an engine setter whose own validation has no counterpart here. */
    private static <T> void engine(String property, T value, Consumer<T> setter) {
        try {
            setter.accept(value);
        } catch (IllegalArgumentException e) {
            throw invalid(property, value, e.getMessage() + ".");
        }
    }

    private static InvalidConfigurationPropertyValueException invalid(String property, Object value, String reason) {
        return new InvalidConfigurationPropertyValueException(PREFIX + property, value, reason);
    }
}
