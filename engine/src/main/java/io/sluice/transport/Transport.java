package io.sluice.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The running transport of one server: its event loops and listening sockets. Created bound and
 * started by {@link #start}; stopped once, for good, by {@link #stop}. A server restarts by starting
 * a new transport.
 */
public final class Transport {

    private final TransportContext context;
    private final EventLoop[] loops;
    private final int port;
    private final boolean reusePort;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();

    private Transport(TransportContext context, EventLoop[] loops, int port, boolean reusePort) {
        this.context = context;
        this.loops = loops;
        this.port = port;
        this.reusePort = reusePort;
    }

    /**
     * Binds {@code address} and starts {@code loopCount} event loops.
     *
     * @param protocols creates, for each loop, the factory of the protocol its connections speak
     * @throws IOException when binding fails (the port is in use, the address is not local); nothing
     *                     is left running then
     */
    public static Transport start(TransportConfig config, InetSocketAddress address, int loopCount,
            ThreadFactory loopThreads, Function<EventLoop, ProtocolFactory> protocols) throws IOException {
        TransportContext context = new TransportContext(config);
        EventLoop[] loops = new EventLoop[loopCount];
        List<ServerSocketChannel> listeners = new ArrayList<>();
        try {
            for (int i = 0; i < loopCount; i++) {
                loops[i] = new EventLoop(i, context, loopThreads);
            }
            boolean reusePort = config.reusePort() && loopCount > 1 && supportsReusePort();
            int port;
            if (reusePort) {
                port = address.getPort();
                if (port != 0) {
                    ensureNotInUse(address);
                }
                for (EventLoop loop : loops) {
                    ServerSocketChannel listener = listen(config, new InetSocketAddress(address.getAddress(), port), true);
                    listeners.add(listener);
                    port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                    loop.addAcceptor(new Acceptor(listener, context, new EventLoop[] {loop}));
                }
            } else {
                ServerSocketChannel listener = listen(config, address, false);
                listeners.add(listener);
                port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
                loops[0].addAcceptor(new Acceptor(listener, context, loops));
            }
            for (EventLoop loop : loops) {
                loop.start(protocols.apply(loop));
            }
            return new Transport(context, loops, port, reusePort);
        } catch (IOException | RuntimeException e) {
            for (ServerSocketChannel listener : listeners) {
                EventLoop.closeQuietly(listener);
            }
            for (EventLoop loop : loops) {
                if (loop != null) {
                    loop.shutdown();
                }
            }
            throw e;
        }
    }

    private static ServerSocketChannel listen(TransportConfig config, InetSocketAddress address, boolean reusePort)
            throws IOException {
        ServerSocketChannel listener = ServerSocketChannel.open();
        try {
            listener.configureBlocking(false);
            listener.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (reusePort) {
                listener.setOption(StandardSocketOptions.SO_REUSEPORT, true);
            }
            listener.bind(address, config.acceptBacklog());
            return listener;
        } catch (IOException | RuntimeException e) {
            EventLoop.closeQuietly(listener);
            throw e;
        }
    }

    /**
     * SO_REUSEPORT would let us share a port that another server (even another Sluice) listens on with
     * the same option, and traffic would be split silently between the two. A plain bind first makes
     * "port in use" fail loudly, as it does without the option.
     */
    private static void ensureNotInUse(InetSocketAddress address) throws IOException {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            probe.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            probe.bind(address, 1);
        }
    }

    private static boolean supportsReusePort() {
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            return probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        } catch (IOException e) {
            return false;
        }
    }

    /** The bound port. */
    public int port() {
        return port;
    }

    /** Whether each loop has its own listening socket. */
    public boolean usesReusePort() {
        return reusePort;
    }

    public EventLoop[] loops() {
        return loops.clone();
    }

    public int openConnections() {
        return context.openConnections();
    }

    /**
     * Stops accepting and asks every connection to finish what it is doing and close.
     *
     * @return completes when no connection is left
     */
    public CompletableFuture<Void> drain() {
        context.beginDrain(loops.length, () -> drained.complete(null));
        for (EventLoop loop : loops) {
            loop.drain();
        }
        return drained;
    }

    /** Closes every connection and stops the loops, waiting up to {@code timeoutMillis} for them. */
    public boolean stop(long timeoutMillis) throws InterruptedException {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        boolean all = true;
        for (EventLoop loop : loops) {
            if (loop.inLoop()) {
                continue;
            }
            long left = deadline - System.nanoTime();
            all &= loop.awaitTermination(Math.max(0, left), TimeUnit.NANOSECONDS);
        }
        drained.complete(null);
        return all;
    }
}
