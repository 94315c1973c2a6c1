package io.sluice.server;

import java.net.InetAddress;
import java.time.Duration;

/**
 * The validated settings of a {@link SluiceServer}; built by {@link SluiceServer.Builder}. Every limit
 * has a default in line with the servers people run today (nginx, Netty, Jetty).
 */
public final class ServerConfig {

    final InetAddress address;
    final int port;
    final int eventLoops;
    final int workerThreads;
    final int maxQueuedTasks;
    final int maxConnections;
    final int maxRequestLineLength;
    final int maxHeaderSize;
    final int maxHeaderCount;
    final long maxBodySize;
    final int maxChunkLineLength;
    final int maxPipelinedRequests;
    final int highWaterMark;
    final int lowWaterMark;
    final Duration headerTimeout;
    final Duration idleTimeout;
    final Duration bodyTimeout;
    final Duration writeTimeout;
    final Duration lingerTimeout;
    final String serverHeader;
    final boolean reusePort;
    final boolean tcpNoDelay;
    final int acceptBacklog;
    final int readBufferSize;
    final int writeBufferSize;
    final WebSocketOptions webSocketOptions;

    ServerConfig(SluiceServer.Builder b) {
        this.address = b.address;
        this.port = b.port;
        this.eventLoops = b.eventLoops;
        this.workerThreads = b.workerThreads;
        this.maxQueuedTasks = b.maxQueuedTasks;
        this.maxConnections = b.maxConnections;
        this.maxRequestLineLength = b.maxRequestLineLength;
        this.maxHeaderSize = b.maxHeaderSize;
        this.maxHeaderCount = b.maxHeaderCount;
        this.maxBodySize = b.maxBodySize;
        this.maxChunkLineLength = b.maxChunkLineLength;
        this.maxPipelinedRequests = b.maxPipelinedRequests;
        this.highWaterMark = b.highWaterMark;
        this.lowWaterMark = b.lowWaterMark;
        this.headerTimeout = b.headerTimeout;
        this.idleTimeout = b.idleTimeout;
        this.bodyTimeout = b.bodyTimeout;
        this.writeTimeout = b.writeTimeout;
        this.lingerTimeout = b.lingerTimeout;
        this.serverHeader = b.serverHeader;
        this.reusePort = b.reusePort;
        this.tcpNoDelay = b.tcpNoDelay;
        this.acceptBacklog = b.acceptBacklog;
        this.readBufferSize = b.readBufferSize;
        this.writeBufferSize = b.writeBufferSize;
        this.webSocketOptions = b.webSocketOptions;
    }

    public WebSocketOptions webSocketOptions() {
        return webSocketOptions;
    }

    /** Address to bind; {@code null} means every interface. */
    public InetAddress address() {
        return address;
    }

    /** Port to bind; 0 picks a free one. */
    public int port() {
        return port;
    }

    public int eventLoops() {
        return eventLoops;
    }

    public int workerThreads() {
        return workerThreads;
    }

    public int maxQueuedTasks() {
        return maxQueuedTasks;
    }

    public int maxConnections() {
        return maxConnections;
    }

    public int maxRequestLineLength() {
        return maxRequestLineLength;
    }

    public int maxHeaderSize() {
        return maxHeaderSize;
    }

    public int maxHeaderCount() {
        return maxHeaderCount;
    }

    public long maxBodySize() {
        return maxBodySize;
    }

    public int maxPipelinedRequests() {
        return maxPipelinedRequests;
    }

    public int highWaterMark() {
        return highWaterMark;
    }

    public int lowWaterMark() {
        return lowWaterMark;
    }

    public Duration headerTimeout() {
        return headerTimeout;
    }

    public Duration idleTimeout() {
        return idleTimeout;
    }

    public Duration bodyTimeout() {
        return bodyTimeout;
    }

    public Duration writeTimeout() {
        return writeTimeout;
    }

    public String serverHeader() {
        return serverHeader;
    }
}
