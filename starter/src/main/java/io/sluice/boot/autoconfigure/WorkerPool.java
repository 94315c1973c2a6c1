package io.sluice.boot.autoconfigure;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.core.task.VirtualThreadTaskExecutor;

/**
 * The executor that runs the engine's worker handlers: a fixed number of threads over a bounded queue.
 *
 * <p>On virtual threads too the pool stays bounded. Virtual threads make blocking cheap, not free: an
 * unbounded thread-per-request executor would let a burst pile up unbounded work (and memory) behind a
 * slow database. A full queue refuses the task at once, and the engine answers that request 503 without
 * ever blocking its event loop.
 */
final class WorkerPool {

    static final String THREAD_PREFIX = "sluice-worker-";

    private static final RejectedExecutionException REFUSED = new Refused();

    private WorkerPool() {
    }

    /** @param virtualThreads run workers on virtual threads (only when the JVM has them) */
    static ThreadPoolExecutor create(int workers, int maxQueue, boolean virtualThreads) {
        ThreadFactory threads = virtualThreads
                ? new VirtualThreadTaskExecutor(THREAD_PREFIX).getVirtualThreadFactory()
                : platformThreads();
        return new ThreadPoolExecutor(workers, workers, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(maxQueue),
                threads, (task, pool) -> {
                    throw REFUSED;
                });
    }

    private static ThreadFactory platformThreads() {
        AtomicInteger sequence = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, THREAD_PREFIX + sequence.getAndIncrement());
            // Daemon, as the engine's own workers: the event loops are what keeps the JVM alive.
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Refusals come in floods exactly when the server is overloaded, and the engine only needs the signal
     * to answer 503: one shared exception without a stack trace costs nothing to throw.
     */
    private static final class Refused extends RejectedExecutionException {

        private static final long serialVersionUID = 1L;

        Refused() {
            super("Every Sluice worker is busy and the queue is full, or the pool has shut down");
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
