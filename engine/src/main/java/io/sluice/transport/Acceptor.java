package io.sluice.transport;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listening socket registered with one loop. With {@code SO_REUSEPORT} every loop has its own and
 * the kernel spreads connections across them, so accepted sockets never change threads. Without it,
 * one loop accepts and deals connections to all loops round-robin.
 */
final class Acceptor {

    private static final Logger log = LoggerFactory.getLogger(Acceptor.class);
    /** Connections accepted per readiness event before letting the loop serve its other keys. */
    private static final int MAX_ACCEPTS_PER_EVENT = 64;

    private final ServerSocketChannel channel;
    private final TransportContext context;
    private final EventLoop[] targets;
    private SelectionKey key;
    private int next;

    /**
     * @param targets the loops that receive accepted connections: the owning loop alone with
     *                SO_REUSEPORT, every loop otherwise
     */
    Acceptor(ServerSocketChannel channel, TransportContext context, EventLoop[] targets) {
        this.channel = channel;
        this.context = context;
        this.targets = targets;
    }

    void register(Selector selector) throws IOException {
        key = channel.register(selector, SelectionKey.OP_ACCEPT, this);
    }

    void rekey(SelectionKey moved) {
        key = moved;
    }

    void acceptReady(EventLoop owner) {
        for (int i = 0; i < MAX_ACCEPTS_PER_EVENT; i++) {
            SocketChannel accepted;
            try {
                accepted = channel.accept();
            } catch (IOException e) {
                // Typically EMFILE: out of file descriptors. Log and retry on the next event.
                log.warn("Accept failed: {}", e.toString());
                return;
            }
            if (accepted == null) {
                return;
            }
            if (!context.tryAcquireConnection()) {
                owner.counters().increment(TransportCounter.REJECTED);
                EventLoop.closeQuietly(accepted);
                continue;
            }
            try {
                accepted.configureBlocking(false);
                if (context.config().tcpNoDelay()) {
                    accepted.setOption(StandardSocketOptions.TCP_NODELAY, true);
                }
            } catch (IOException e) {
                EventLoop.closeQuietly(accepted);
                context.releaseConnection();
                continue;
            }
            EventLoop target = targets.length == 1 ? targets[0] : targets[next++ % targets.length];
            if (next == targets.length) {
                next = 0;
            }
            target.adopt(accepted);
        }
    }

    void close() {
        if (key != null) {
            key.cancel();
        }
        EventLoop.closeQuietly(channel);
    }
}
