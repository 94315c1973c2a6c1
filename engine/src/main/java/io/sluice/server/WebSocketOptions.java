package io.sluice.server;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * WebSocket settings of a server: limits, keep-alive pings, the close handshake, compression and the
 * origin check. Immutable; start from {@link #defaults()} and change what you need with the
 * {@code with…} methods, which validate their argument.
 */
public final class WebSocketOptions {

    private static final WebSocketOptions DEFAULTS = new WebSocketOptions(1024 * 1024, 1024 * 1024, Duration.ZERO,
            Duration.ofSeconds(10), Duration.ofSeconds(5), false, 6, List.of(), 16);

    private final int maxFrameSize;
    private final int maxMessageSize;
    private final Duration pingInterval;
    private final Duration pongTimeout;
    private final Duration closeTimeout;
    private final boolean compression;
    private final int compressionLevel;
    private final List<String> allowedOrigins;
    private final int maxQueuedMessages;

    private WebSocketOptions(int maxFrameSize, int maxMessageSize, Duration pingInterval, Duration pongTimeout,
            Duration closeTimeout, boolean compression, int compressionLevel, List<String> allowedOrigins,
            int maxQueuedMessages) {
        this.maxFrameSize = maxFrameSize;
        this.maxMessageSize = maxMessageSize;
        this.pingInterval = pingInterval;
        this.pongTimeout = pongTimeout;
        this.closeTimeout = closeTimeout;
        this.compression = compression;
        this.compressionLevel = compressionLevel;
        this.allowedOrigins = allowedOrigins;
        this.maxQueuedMessages = maxQueuedMessages;
    }

    /**
     * Frames and messages up to 1 MiB, no server pings (pong timeout 10 s once enabled), close
     * timeout 5 s, compression off (level 6 when on), any origin, 16 queued inbound messages.
     */
    public static WebSocketOptions defaults() {
        return DEFAULTS;
    }

    /** Largest frame payload accepted; larger is closed with 1009, decided from the frame header. */
    public WebSocketOptions withMaxFrameSize(int bytes) {
        return new WebSocketOptions(Settings.positive("maxFrameSize", bytes), maxMessageSize, pingInterval, pongTimeout,
                closeTimeout, compression, compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** Largest message (all fragments, after decompression) accepted; larger is closed with 1009. */
    public WebSocketOptions withMaxMessageSize(int bytes) {
        return new WebSocketOptions(maxFrameSize, Settings.positive("maxMessageSize", bytes), pingInterval, pongTimeout,
                closeTimeout, compression, compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** Interval of server pings; {@link Duration#ZERO} (the default) sends none. */
    public WebSocketOptions withPingInterval(Duration interval) {
        Objects.requireNonNull(interval, "pingInterval");
        if (interval.isNegative()) {
            throw new IllegalArgumentException("pingInterval must not be negative (was " + interval + ")");
        }
        return new WebSocketOptions(maxFrameSize, maxMessageSize, interval, pongTimeout, closeTimeout, compression,
                compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** How long a server ping may go unanswered before the connection is dropped (close code 1006). */
    public WebSocketOptions withPongTimeout(Duration timeout) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, Settings.positive("pongTimeout", timeout),
                closeTimeout, compression, compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** How long to wait for the peer's close frame after sending ours before closing TCP. */
    public WebSocketOptions withCloseTimeout(Duration timeout) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, pongTimeout,
                Settings.positive("closeTimeout", timeout), compression, compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** Whether permessage-deflate (RFC 7692) is negotiated when a client offers it (default off). */
    public WebSocketOptions withCompression(boolean enabled) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, pongTimeout, closeTimeout, enabled,
                compressionLevel, allowedOrigins, maxQueuedMessages);
    }

    /** Deflate level 1 (fastest) to 9 (smallest). */
    public WebSocketOptions withCompressionLevel(int level) {
        if (level < 1 || level > 9) {
            throw new IllegalArgumentException("compressionLevel must be 1-9 (was " + level + ")");
        }
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, pongTimeout, closeTimeout, compression,
                level, allowedOrigins, maxQueuedMessages);
    }

    /**
     * Origins allowed to open sessions (exact, e.g. {@code https://example.com}, or {@code *}); a
     * browser handshake from any other origin gets 403, against cross-site WebSocket hijacking.
     * Empty (the default) allows every origin. Handshakes without {@code Origin} (non-browser
     * clients) are always allowed.
     */
    public WebSocketOptions withAllowedOrigins(List<String> origins) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, pongTimeout, closeTimeout, compression,
                compressionLevel, List.copyOf(origins), maxQueuedMessages);
    }

    /**
     * Received messages that may wait for the application (callbacks on workers, or a subscriber
     * without demand) before the server stops reading the socket.
     */
    public WebSocketOptions withMaxQueuedMessages(int messages) {
        return new WebSocketOptions(maxFrameSize, maxMessageSize, pingInterval, pongTimeout, closeTimeout, compression,
                compressionLevel, allowedOrigins, Settings.positive("maxQueuedMessages", messages));
    }

    public int maxFrameSize() {
        return maxFrameSize;
    }

    public int maxMessageSize() {
        return maxMessageSize;
    }

    public Duration pingInterval() {
        return pingInterval;
    }

    public Duration pongTimeout() {
        return pongTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    public boolean compression() {
        return compression;
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    public List<String> allowedOrigins() {
        return allowedOrigins;
    }

    public int maxQueuedMessages() {
        return maxQueuedMessages;
    }

}
