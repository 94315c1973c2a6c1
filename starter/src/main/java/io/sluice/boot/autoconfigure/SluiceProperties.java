package io.sluice.boot.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Sluice's own settings, under {@code sluice.*}. The port, the address and the shutdown mode come from
 * Boot's {@code server.*} keys instead, as for every embedded server.
 *
 * <p>Every default equals the engine's default ({@code SluiceServer.Builder}, {@code WebSocketOptions});
 * a test keeps the two in step.
 */
@ConfigurationProperties("sluice")
public class SluiceProperties {

    /** Value of the Server response header; empty sends none. */
    private String serverHeader = "Sluice";

    /** Open connections above which new ones are closed at once. */
    private int maxConnections = 16_384;

    private final Threads threads = new Threads();

    private final Limits limits = new Limits();

    private final Timeouts timeouts = new Timeouts();

    private final WebSocket websocket = new WebSocket();

    public String getServerHeader() {
        return serverHeader;
    }

    public void setServerHeader(String serverHeader) {
        this.serverHeader = serverHeader;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public Threads getThreads() {
        return threads;
    }

    public Limits getLimits() {
        return limits;
    }

    public Timeouts getTimeouts() {
        return timeouts;
    }

    public WebSocket getWebsocket() {
        return websocket;
    }

    /** Event-loop and worker threads. */
    public static class Threads {

        /**
         * Event loops, each a platform thread with its own selector. Defaults to the number of available
         * processors.
         */
        private int selectors = Runtime.getRuntime().availableProcessors();

        /**
         * Workers that run handlers which may block; virtual threads when spring.threads.virtual.enabled is
         * set on Java 21+, and then still at most this many at a time. Defaults to twice the number of
         * available processors, at least 8.
         */
        private int workers = Math.max(8, 2 * Runtime.getRuntime().availableProcessors());

        /** Requests that may wait for a free worker; beyond that they are answered 503. */
        private int maxQueue = 10_000;

        public int getSelectors() {
            return selectors;
        }

        public void setSelectors(int selectors) {
            this.selectors = selectors;
        }

        public int getWorkers() {
            return workers;
        }

        public void setWorkers(int workers) {
            this.workers = workers;
        }

        public int getMaxQueue() {
            return maxQueue;
        }

        public void setMaxQueue(int maxQueue) {
            this.maxQueue = maxQueue;
        }
    }

    /** Limits on what a client may send; each protects the server from a misbehaving or hostile peer. */
    public static class Limits {

        /** Longest request line; a longer one is answered 414. */
        private DataSize maxRequestLine = DataSize.ofKilobytes(8);

        /** Largest header section of a request; a larger one is answered 431. */
        private DataSize maxHeaderSize = DataSize.ofKilobytes(8);

        /** Most header fields in a request; more are answered 431. */
        private int maxHeaderCount = 100;

        /** Largest request body; a larger one is answered 413, from Content-Length before it is read. */
        private DataSize maxBodySize = DataSize.ofMegabytes(1);

        /** Requests a connection may have in flight (pipelined) before the server stops reading from it. */
        private int maxPipelinedRequests = 64;

        public DataSize getMaxRequestLine() {
            return maxRequestLine;
        }

        public void setMaxRequestLine(DataSize maxRequestLine) {
            this.maxRequestLine = maxRequestLine;
        }

        public DataSize getMaxHeaderSize() {
            return maxHeaderSize;
        }

        public void setMaxHeaderSize(DataSize maxHeaderSize) {
            this.maxHeaderSize = maxHeaderSize;
        }

        public int getMaxHeaderCount() {
            return maxHeaderCount;
        }

        public void setMaxHeaderCount(int maxHeaderCount) {
            this.maxHeaderCount = maxHeaderCount;
        }

        public DataSize getMaxBodySize() {
            return maxBodySize;
        }

        public void setMaxBodySize(DataSize maxBodySize) {
            this.maxBodySize = maxBodySize;
        }

        public int getMaxPipelinedRequests() {
            return maxPipelinedRequests;
        }

        public void setMaxPipelinedRequests(int maxPipelinedRequests) {
            this.maxPipelinedRequests = maxPipelinedRequests;
        }
    }

    /** How long the server waits for a peer before giving up on it. */
    public static class Timeouts {

        /** Time from the first byte of a request to the end of its head; then 408. */
        private Duration headerRead = Duration.ofSeconds(20);

        /** Time a keep-alive connection may wait for its next request before it is closed. */
        private Duration idle = Duration.ofSeconds(60);

        /** Time a request body may go without a byte arriving; then 408. */
        private Duration body = Duration.ofSeconds(30);

        /** Time queued output may make no progress (a peer that stopped reading) before the connection is closed. */
        private Duration write = Duration.ofSeconds(30);

        public Duration getHeaderRead() {
            return headerRead;
        }

        public void setHeaderRead(Duration headerRead) {
            this.headerRead = headerRead;
        }

        public Duration getIdle() {
            return idle;
        }

        public void setIdle(Duration idle) {
            this.idle = idle;
        }

        public Duration getBody() {
            return body;
        }

        public void setBody(Duration body) {
            this.body = body;
        }

        public Duration getWrite() {
            return write;
        }

        public void setWrite(Duration write) {
            this.write = write;
        }
    }

    /** WebSocket limits, keep-alive pings, compression and the origin check. */
    public static class WebSocket {

        /** Largest frame payload; a larger one closes the session with 1009, decided from the frame header. */
        private DataSize maxFrameSize = DataSize.ofMegabytes(1);

        /** Largest message (all fragments, after decompression); a larger one closes the session with 1009. */
        private DataSize maxMessageSize = DataSize.ofMegabytes(1);

        /** Interval of server pings; 0 sends none. */
        private Duration pingInterval = Duration.ZERO;

        /** How long a server ping may go unanswered before the connection is dropped. */
        private Duration pongTimeout = Duration.ofSeconds(10);

        /** Whether permessage-deflate compression is negotiated when a client offers it. */
        private boolean permessageDeflate = false;

        /**
         * Origins allowed to open sessions (exact, such as https://example.com, or *); a browser handshake from
         * any other origin is refused with 403. Empty allows every origin.
         */
        private List<String> allowedOrigins = new ArrayList<>();

        /**
         * Received messages that may wait for the application before the server stops reading the socket.
         */
        private int maxQueuedMessages = 16;

        public DataSize getMaxFrameSize() {
            return maxFrameSize;
        }

        public void setMaxFrameSize(DataSize maxFrameSize) {
            this.maxFrameSize = maxFrameSize;
        }

        public DataSize getMaxMessageSize() {
            return maxMessageSize;
        }

        public void setMaxMessageSize(DataSize maxMessageSize) {
            this.maxMessageSize = maxMessageSize;
        }

        public Duration getPingInterval() {
            return pingInterval;
        }

        public void setPingInterval(Duration pingInterval) {
            this.pingInterval = pingInterval;
        }

        public Duration getPongTimeout() {
            return pongTimeout;
        }

        public void setPongTimeout(Duration pongTimeout) {
            this.pongTimeout = pongTimeout;
        }

        public boolean isPermessageDeflate() {
            return permessageDeflate;
        }

        public void setPermessageDeflate(boolean permessageDeflate) {
            this.permessageDeflate = permessageDeflate;
        }

        public List<String> getAllowedOrigins() {
            return allowedOrigins;
        }

        public void setAllowedOrigins(List<String> allowedOrigins) {
            this.allowedOrigins = allowedOrigins;
        }

        public int getMaxQueuedMessages() {
            return maxQueuedMessages;
        }

        public void setMaxQueuedMessages(int maxQueuedMessages) {
            this.maxQueuedMessages = maxQueuedMessages;
        }
    }
}
