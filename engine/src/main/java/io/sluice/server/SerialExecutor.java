package io.sluice.server;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs tasks one at a time, in submission order, on a shared executor: the callbacks of one WebSocket
 * session stay ordered and never overlap, while sessions still spread over all workers. At most one
 * task of this executor is queued in the underlying one at any time.
 */
final class SerialExecutor implements Executor {

    private static final Logger log = LoggerFactory.getLogger(SerialExecutor.class);

    private final Executor delegate;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Runnable drain = this::drain;
    private final Runnable onRejected;

    /** @param onRejected runs (on the submitting thread) when {@code delegate} refuses work; queued tasks are dropped */
    SerialExecutor(Executor delegate, Runnable onRejected) {
        this.delegate = delegate;
        this.onRejected = onRejected;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        schedule();
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                delegate.execute(drain);
            } catch (RejectedExecutionException e) {
                // Never fall back to the caller: it is usually an event loop, which must not block.
                tasks.clear();
                scheduled.set(false);
                onRejected.run();
            }
        }
    }

    private void drain() {
        try {
            Runnable task;
            while ((task = tasks.poll()) != null) {
                try {
                    task.run();
                } catch (Throwable t) {
                    log.error("WebSocket callback failed", t);
                }
            }
        } finally {
            scheduled.set(false);
            if (!tasks.isEmpty()) {
                schedule();
            }
        }
    }
}
