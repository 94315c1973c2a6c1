package io.sluice.transport;

import io.sluice.http.HttpDate;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread that owns one {@link Selector} and every connection registered with it, for their whole
 * lives. Nothing else touches those connections: other threads hand work to the loop with
 * {@link #execute}, which wakes the selector only if the loop is blocked in it.
 *
 * <p>One iteration: select (without blocking when tasks wait), handle ready keys through the JDK 11
 * {@code select(Consumer)} API (no selected-key set to allocate or clear), run queued tasks, then
 * expire timers. Per-loop resources that would otherwise be per connection live here: the read
 * buffer, the output batch, the cached {@code Date} line and the timer wheel.
 */
public final class EventLoop implements Executor {

    private static final Logger log = LoggerFactory.getLogger(EventLoop.class);

    /** Tasks run per iteration, so a flood of completions cannot starve I/O. */
    private static final int MAX_TASKS_PER_ITERATION = 4096;
    /** Consecutive early, empty wake-ups after which the selector is rebuilt (the JDK epoll spin bug). */
    private static final int SELECTOR_REBUILD_THRESHOLD = 512;
    private static final long TIMER_TICK_MILLIS = 10;
    private static final int TIMER_WHEEL_SIZE = 1024;

    private final int index;
    private final TransportContext context;
    private final TransportConfig config;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    /** False only while the loop may be blocked in select; a producer that flips it pays for the wakeup. */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final Counters counters = new Counters(TransportCounter.SIZE);
    private final HttpDate date = new HttpDate();
    private final ByteBuffer readBuffer;
    private final OutboundBatch batch;
    private final List<Acceptor> acceptors = new ArrayList<>(1);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private final Thread thread;
    private final long startNanos = System.nanoTime();

    private Selector selector;
    private TimerWheel timers;
    private ProtocolFactory protocolFactory;
    private volatile boolean running;
    private long now;
    private boolean clockStale;
    private int connections;
    private boolean draining;
    private boolean drainReported;

    EventLoop(int index, TransportContext context, java.util.concurrent.ThreadFactory threadFactory) throws IOException {
        this.index = index;
        this.context = context;
        this.config = context.config();
        this.readBuffer = ByteBuffer.allocate(config.readBufferSize());
        this.batch = new OutboundBatch(config.writeBufferSize());
        this.selector = Selector.open();
        this.now = clock();
        this.timers = new TimerWheel(TIMER_TICK_MILLIS, TIMER_WHEEL_SIZE, now);
        this.date.update(System.currentTimeMillis());
        this.thread = threadFactory.newThread(this::run);
    }

    void start(ProtocolFactory factory) {
        this.protocolFactory = factory;
        running = true;
        thread.start();
    }

    public int index() {
        return index;
    }

    /** Whether the caller runs on this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Milliseconds on a monotonic clock, read once per iteration; the time base of all deadlines. */
    public long now() {
        return now;
    }

    /** {@code Date: ...\r\n}, current to the second. */
    public byte[] dateLine() {
        return date.line();
    }

    public Counters counters() {
        return counters;
    }

    /** Tasks waiting to run on this loop. */
    public int pendingTasks() {
        return tasks.size();
    }

    /** Open connections owned by this loop (read by its own thread, or racily for statistics). */
    public int connectionCount() {
        return connections;
    }

    TimerWheel timers() {
        return timers;
    }

    ByteBuffer readBuffer() {
        return readBuffer;
    }

    OutboundBatch batch() {
        return batch;
    }

    /** Runs {@code task} on this loop. Safe from any thread; wakes the selector only if it is blocked. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && !awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /** Schedules a timeout on this loop's wheel; loop thread only. */
    public void schedule(TimerWheel.Timeout timeout, long deadlineMillis) {
        timers.schedule(timeout, deadlineMillis);
    }

    public void cancel(TimerWheel.Timeout timeout) {
        timers.cancel(timeout);
    }

    void addAcceptor(Acceptor acceptor) throws IOException {
        acceptor.register(selector);
        acceptors.add(acceptor);
    }

    /** Adopts an accepted socket: on this thread now, or from another via a task. */
    void adopt(SocketChannel channel) {
        if (inLoop()) {
            register(channel);
        } else {
            execute(() -> register(channel));
        }
    }

    private void register(SocketChannel channel) {
        if (!running || draining) {
            closeQuietly(channel);
            context.releaseConnection();
            return;
        }
        Connection connection = new Connection(this, channel, config);
        try {
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ, connection);
            connections++;
            counters.increment(TransportCounter.ACCEPTED);
            counters.increment(TransportCounter.ACTIVE);
            connection.open(key, protocolFactory.create(connection));
        } catch (IOException | RuntimeException e) {
            log.warn("Could not register accepted connection", e);
            closeQuietly(channel);
            context.releaseConnection();
        }
    }

    void onClosed(Connection connection, CloseReason reason) {
        connections--;
        counters.decrement(TransportCounter.ACTIVE);
        counters.increment(TransportCounter.closed(reason));
        context.releaseConnection();
        if (draining) {
            reportIfDrained();
        }
    }

    /** Begins a graceful shutdown of this loop: stop accepting, let protocols finish and close. */
    void drain() {
        execute(() -> {
            draining = true;
            closeAcceptors();
            for (SelectionKey key : List.copyOf(selector.keys())) {
                if (key.attachment() instanceof Connection connection) {
                    connection.drain();
                }
            }
            reportIfDrained();
        });
    }

    private void reportIfDrained() {
        if (connections == 0 && !drainReported) {
            drainReported = true;
            context.loopDrained();
        }
    }

    /** Stops the loop: closes every connection and the selector. Returns at once; see {@link #awaitTermination}. */
    void shutdown() {
        running = false;
        if (!inLoop()) {
            selector.wakeup();
        }
    }

    boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    private void run() {
        try {
            int earlyWakeups = 0;
            while (running) {
                try {
                    int selected;
                    clockStale = true;
                    long delay = timers.delayUntilNextExpiry(now);
                    if (!tasks.isEmpty() || delay == 0) {
                        selected = selector.selectNow(this::onReady);
                    } else {
                        awake.set(false);
                        if (!tasks.isEmpty()) {
                            awake.set(true);
                            selected = selector.selectNow(this::onReady);
                        } else {
                            long before = System.nanoTime();
                            selected = selector.select(this::onReady, delay < 0 ? 0 : delay);
                            awake.set(true);
                            earlyWakeups = isSpuriousWakeup(selected, before, delay) ? earlyWakeups + 1 : 0;
                            if (earlyWakeups >= SELECTOR_REBUILD_THRESHOLD) {
                                rebuildSelector();
                                earlyWakeups = 0;
                            }
                        }
                    }
                    now = clock();
                    runTasks();
                    now = clock();
                    date.update(System.currentTimeMillis());
                    timers.expireUpTo(now);
                } catch (ClosedSelectorException e) {
                    break;
                } catch (IOException e) {
                    log.warn("Selector failed on loop {}; rebuilding it", index, e);
                    rebuildSelector();
                } catch (Throwable t) {
                    log.error("Unexpected error on loop {}", index, t);
                }
            }
        } finally {
            closeAll();
            terminated.countDown();
        }
    }

    private boolean isSpuriousWakeup(int selected, long beforeNanos, long delay) {
        if (selected > 0 || !tasks.isEmpty() || !running) {
            return false;
        }
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - beforeNanos);
        return delay < 0 || elapsedMillis < delay;
    }

    private void onReady(SelectionKey key) {
        if (clockStale) {
            // The first key after a (possibly long) select: deadlines and Date must not be from before it.
            clockStale = false;
            now = clock();
            date.update(System.currentTimeMillis());
        }
        Object attachment = key.attachment();
        if (attachment instanceof Connection connection) {
            try {
                int ready = key.readyOps();
                if ((ready & SelectionKey.OP_WRITE) != 0) {
                    connection.onWritable();
                }
                if ((ready & SelectionKey.OP_READ) != 0) {
                    connection.onReadable();
                }
            } catch (java.nio.channels.CancelledKeyException e) {
                connection.close(CloseReason.IO_ERROR);
            } catch (RuntimeException e) {
                log.error("Connection {} failed; closing it", connection, e);
                connection.close(CloseReason.IO_ERROR);
            }
        } else if (attachment instanceof Acceptor acceptor) {
            acceptor.acceptReady(this);
        }
    }

    private void runTasks() {
        for (int i = 0; i < MAX_TASKS_PER_ITERATION; i++) {
            Runnable task = tasks.poll();
            if (task == null) {
                return;
            }
            try {
                task.run();
            } catch (Throwable t) {
                log.error("Task failed on loop {}", index, t);
            }
        }
    }

    /** Moves every registration to a fresh selector (Netty's and Jetty's cure for a broken epoll set). */
    private void rebuildSelector() {
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            log.error("Could not open a new selector on loop {}", index, e);
            return;
        }
        for (SelectionKey key : selector.keys()) {
            if (!key.isValid()) {
                continue;
            }
            try {
                int ops = key.interestOps();
                Object attachment = key.attachment();
                key.cancel();
                SelectionKey moved = key.channel().register(fresh, ops, attachment);
                if (attachment instanceof Connection connection) {
                    connection.rekey(moved);
                } else if (attachment instanceof Acceptor acceptor) {
                    acceptor.rekey(moved);
                }
            } catch (IOException | RuntimeException e) {
                log.warn("Could not move a channel to the new selector", e);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("Closing old selector failed", e);
        }
        selector = fresh;
        counters.increment(TransportCounter.SELECTOR_REBUILDS);
        log.warn("Rebuilt the selector of loop {}", index);
    }

    private void closeAcceptors() {
        for (Acceptor acceptor : acceptors) {
            acceptor.close();
        }
        acceptors.clear();
    }

    private void closeAll() {
        closeAcceptors();
        try {
            for (SelectionKey key : List.copyOf(selector.keys())) {
                if (key.attachment() instanceof Connection connection) {
                    connection.close(CloseReason.SHUTDOWN);
                }
            }
        } catch (ClosedSelectorException e) {
            // already closed
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            try {
                task.run();
            } catch (Throwable t) {
                log.debug("Task failed during shutdown", t);
            }
        }
        try {
            selector.close();
        } catch (IOException e) {
            log.debug("Closing selector failed", e);
        }
    }

    private long clock() {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos) + 1;
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Close failed", e);
        }
    }
}
