package io.sluice.transport;

import java.util.Objects;

/**
 * A hashed timer wheel for the timeouts of one event loop: header read, idle keep-alive, body
 * read, write stall, and later WebSocket pings. It means no connection needs a thread or a
 * scheduled task of its own.
 *
 * <h2>Why a wheel</h2>
 *
 * A server has one or more timeouts for every open connection. Most of them never fire, because
 * the request arrives or the write drains first. An idle timeout is also pushed later on every
 * request. So the cost that matters is scheduling and cancelling, not firing. A priority queue
 * pays O(log n) for each of those and allocates an entry; {@code ScheduledExecutorService} adds a
 * lock and a thread hop. The wheel pays O(1) and allocates nothing: time is cut into ticks of
 * {@code tickMillis}, each tick maps to one of {@code wheelSize} buckets (tick modulo
 * {@code wheelSize}), and each bucket is an intrusive doubly-linked list of {@link Timeout}s.
 * Timeouts don't need to be more precise than a tick.
 *
 * <h2>How it is driven</h2>
 *
 * The event loop that owns the wheel asks it how long it may block, and then expires what is due:
 *
 * <pre>{@code
 * while (running) {
 *     long delay = wheel.delayUntilNextExpiry(clock.millis());
 *     if (delay < 0) selector.select(); else if (delay == 0) selector.selectNow(); else selector.select(delay);
 *     handleReadyKeys();
 *     wheel.expireUpTo(clock.millis());
 * }
 * }</pre>
 *
 * The wheel never reads a clock. Its milliseconds are whatever the caller passes, so the clock
 * should be monotonic (derived from {@link System#nanoTime()}), and tests drive it with plain
 * numbers.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Never early, never late.</b> {@code expireUpTo(now)} fires exactly the timeouts whose
 *       deadline is {@code <= now}. A timeout fires at the first {@code expireUpTo} call at or
 *       after its deadline. Between calls, {@link #delayUntilNextExpiry(long)} lets the loop sleep
 *       to tick boundaries only: it wakes at most once a tick for timers, and never more than one
 *       tick after a deadline.
 *   <li><b>Order.</b> Within one call, timeouts fire in the order of the tick their deadline falls
 *       in. Within a tick, no order is promised. A timeout scheduled with a deadline already in
 *       the past counts as belonging to the current tick. The one exception follows a clock jump
 *       of more than a full rotation: see the next item.
 *   <li><b>Bounded work after a clock jump.</b> After the loop was blocked for minutes, one call
 *       visits each bucket once, not every tick that went by. Everything overdue still fires in
 *       that call. Timeouts overdue by more than a rotation fire in wheel order, not deadline
 *       order.
 *   <li><b>Deadlines beyond one rotation.</b> Such a timeout waits in its bucket, and each
 *       rotation until its tick comes it is looked at and relinked in place: a few pointer
 *       writes, no search.
 *   <li><b>Cheap extension.</b> {@linkplain #schedule(Timeout, long) Rescheduling} a timeout that
 *       is already waiting to a later deadline only stores the new deadline. When its old bucket
 *       comes round, the wheel sees that the deadline has moved and moves it to the right
 *       bucket, instead of firing it. So a keep-alive connection is relinked about once per
 *       timeout period, however many requests it sends.
 *   <li><b>Re-entrancy.</b> {@link Timeout#onTimeout(long)} may schedule or cancel any timeout,
 *       itself included, and including others due in the same call. A timeout cancelled before
 *       its turn does not fire. A timeout that its callback re-arms with a deadline already
 *       passed fires on the next call, so a callback that keeps re-arming itself cannot trap the
 *       loop.
 *   <li><b>Failure.</b> If a callback throws, the exception propagates out of {@code expireUpTo}.
 *       The timeouts that call had not reached yet stay scheduled and fire on the next call.
 * </ul>
 *
 * <h2>Threading</h2>
 *
 * Not thread-safe, by design: the wheel and its timeouts belong to one event-loop thread, which
 * is why it can do without locks. Work from other threads should reach the loop through its task
 * queue.
 */
public final class TimerWheel {

    private final long tickMillis;
    private final long originMillis;
    private final int mask;

    /**
     * One sentinel per bucket; a bucket's timeouts form a circular list through it. With a
     * sentinel, unlinking needs no reference to the bucket or to the list's head. That is what
     * lets {@link #cancel} stay O(1) even for a timeout that {@link #expireUpTo} has detached.
     */
    private final Timeout[] buckets;

    /**
     * While {@code expireUpTo} processes a bucket, the bucket's timeouts wait here. They are
     * detached before any callback runs, so callbacks that schedule into the bucket cannot make
     * the loop go round forever.
     */
    private final Timeout inProgress = Sentinel.newEmptyList();

    /**
     * The earliest tick whose bucket the wheel has not fully processed yet. Ticks before it hold
     * nothing that is due. A timeout whose deadline tick is earlier goes into this bucket.
     */
    private long cursorTick;

    /**
     * A lower bound on the deadlines in the cursor's bucket. It may be stale-low after a cancel or
     * an extension, never too high. {@code Long.MIN_VALUE} means unknown. It is how
     * {@code expireUpTo} skips the bucket of the current tick when it can, and how
     * {@code delayUntilNextExpiry} knows whether something is due now.
     */
    private long cursorMinDeadline = Long.MAX_VALUE;

    private int size;
    private boolean expiring;

    /**
     * Creates an empty wheel.
     *
     * @param tickMillis the granularity of the timeouts, for example 100 ms
     * @param wheelSize the number of buckets, a power of two, for example 512. One rotation
     *     ({@code tickMillis * wheelSize}) should cover the usual timeouts, so that each is
     *     visited only once. Longer timeouts still work.
     * @param nowMillis the current time on the clock that will be passed to the other methods
     */
    public TimerWheel(long tickMillis, int wheelSize, long nowMillis) {
        if (tickMillis <= 0) {
            throw new IllegalArgumentException("tickMillis must be positive: " + tickMillis);
        }
        if (wheelSize <= 0 || Integer.bitCount(wheelSize) != 1) {
            throw new IllegalArgumentException("wheelSize must be a positive power of two: " + wheelSize);
        }
        this.tickMillis = tickMillis;
        this.originMillis = nowMillis;
        this.mask = wheelSize - 1;
        this.buckets = new Timeout[wheelSize];
        for (int i = 0; i < wheelSize; i++) {
            buckets[i] = Sentinel.newEmptyList();
        }
    }

    /**
     * Schedules {@code timeout} to fire at {@code deadlineMillis}, or reschedules it if it is
     * already waiting on this wheel.
     *
     * <p>A later deadline on a waiting timeout only updates the deadline. An earlier one moves the
     * timeout at once. A deadline that has already passed fires on the next
     * {@link #expireUpTo(long)}.
     *
     * <p>The deadline must be a real time on the wheel's clock: to wait forever, cancel instead
     * of scheduling at {@code Long.MAX_VALUE}.
     *
     * @throws IllegalStateException if the timeout is waiting on another wheel
     */
    public void schedule(Timeout timeout, long deadlineMillis) {
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.wheel == this) {
            if (deadlineMillis >= timeout.deadline) {
                // The bucket it sits in is visited no later than the new deadline's tick; the
                // visit will move it on.
                timeout.deadline = deadlineMillis;
                return;
            }
            unlink(timeout);
        } else if (timeout.wheel != null) {
            throw new IllegalStateException("timeout is scheduled on another wheel");
        } else {
            timeout.wheel = this;
            size++;
        }
        timeout.deadline = deadlineMillis;
        link(timeout, Math.max(tickOf(deadlineMillis), cursorTick));
    }

    /**
     * Cancels {@code timeout} if it is waiting; does nothing if it is not. Constant time.
     *
     * @throws IllegalArgumentException if the timeout is waiting on another wheel
     */
    public void cancel(Timeout timeout) {
        TimerWheel owner = Objects.requireNonNull(timeout, "timeout").wheel;
        if (owner == null) {
            return;
        }
        if (owner != this) {
            throw new IllegalArgumentException("timeout is scheduled on another wheel");
        }
        unlink(timeout);
        timeout.wheel = null;
        size--;
    }

    /**
     * Fires every timeout whose deadline is at or before {@code nowMillis}. The order is described
     * in the class documentation.
     *
     * <p>The work is one step for each tick since the last call, at most one full rotation,
     * plus one for each timeout in the buckets visited. When the current tick has already been
     * processed and nothing in it is due, the call returns at once.
     *
     * @return how many timeouts fired
     * @throws IllegalStateException if called from {@link Timeout#onTimeout(long)}
     */
    public int expireUpTo(long nowMillis) {
        if (expiring) {
            throw new IllegalStateException("expireUpTo must not be called from onTimeout");
        }
        long nowTick = Math.max(tickOf(nowMillis), cursorTick); // a clock that stepped back expires nothing new
        if (nowTick == cursorTick && cursorMinDeadline > nowMillis) {
            return 0;
        }
        if (size == 0) {
            cursorTick = nowTick;
            cursorMinDeadline = Long.MAX_VALUE;
            return 0;
        }
        // Visiting every bucket once reaches every timeout. After a long stall, skip the ticks
        // that would only revisit buckets.
        long firstTick = Math.max(cursorTick, nowTick - mask);
        int fired = 0;
        expiring = true;
        try {
            for (long tick = firstTick; tick <= nowTick; tick++) {
                fired += expireBucket(tick, nowTick, nowMillis);
            }
        } finally {
            expiring = false;
        }
        return fired;
    }

    private int expireBucket(long tick, long nowTick, long nowMillis) {
        // Move the cursor first, so that what callbacks schedule lands in a bucket still ahead:
        // the next one in this call, or, in the bucket of the current tick, the next call.
        boolean current = tick == nowTick;
        cursorTick = current ? tick : tick + 1;
        cursorMinDeadline = current ? Long.MAX_VALUE : Long.MIN_VALUE;

        Timeout bucket = buckets[index(tick)];
        if (bucket.next == bucket) {
            return 0;
        }
        moveAll(bucket, inProgress);
        int fired = 0;
        try {
            for (Timeout timeout = inProgress.next; timeout != inProgress; timeout = inProgress.next) {
                unlink(timeout);
                long deadline = timeout.deadline;
                long deadlineTick = tickOf(deadline);
                if (deadline <= nowMillis && deadlineTick <= tick) {
                    timeout.wheel = null;
                    size--;
                    fired++;
                    timeout.onTimeout(nowMillis);
                } else {
                    // Not due yet, due in a later tick of this call (its deadline was extended),
                    // or a rotation or more ahead: into the bucket of its deadline.
                    link(timeout, Math.max(deadlineTick, cursorTick));
                }
            }
        } finally {
            if (inProgress.next != inProgress) {
                // A callback threw. Whatever it left unvisited goes where the next call looks
                // first, and the cursor's minimum becomes unknown so that call does look.
                moveAll(inProgress, buckets[index(cursorTick)]);
                cursorMinDeadline = Long.MIN_VALUE;
            }
        }
        return fired;
    }

    /**
     * How long the event loop may block before it next calls {@link #expireUpTo(long)}.
     *
     * <p>The wheel wakes the loop at tick boundaries, not at each deadline. Timers therefore wake
     * it at most once a tick however many connections there are, and never more than one tick
     * after a deadline.
     *
     * <p>The cost is at most one look at each bucket, and it is usually much less: the search
     * stops at the first bucket that holds a timeout.
     *
     * @return {@code -1} if nothing is scheduled; {@code 0} if something is or may be due now,
     *     which {@code expireUpTo} settles (it may be a false alarm once after a cancel, and it is
     *     also the answer when {@code expireUpTo} has fallen behind the clock); otherwise a
     *     positive number of milliseconds
     */
    public long delayUntilNextExpiry(long nowMillis) {
        if (size == 0) {
            return -1;
        }
        if (cursorMinDeadline <= nowMillis) {
            return 0;
        }
        long wakeAt = cursorMinDeadline == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : tickStart(ceilTickOf(cursorMinDeadline));
        long nowTick = tickOf(nowMillis);
        for (long tick = cursorTick + 1, end = cursorTick + mask; tick <= end; tick++) {
            Timeout bucket = buckets[index(tick)];
            if (bucket.next != bucket) {
                if (tick <= nowTick) {
                    return 0;
                }
                wakeAt = Math.min(wakeAt, tickStart(tick));
                break;
            }
        }
        // If it is still Long.MAX_VALUE here, the wheel has lost track of a scheduled timeout.
        assert wakeAt != Long.MAX_VALUE : "size is " + size + " but every bucket is empty";
        return Math.max(1, wakeAt - nowMillis);
    }

    /** How many timeouts are scheduled. */
    public int size() {
        return size;
    }

    /** The length of one tick, in milliseconds. */
    public long tickMillis() {
        return tickMillis;
    }

    private void link(Timeout timeout, long tick) {
        Timeout bucket = buckets[index(tick)];
        Timeout last = bucket.prev;
        timeout.prev = last;
        timeout.next = bucket;
        last.next = timeout;
        bucket.prev = timeout;
        if (bucket == buckets[index(cursorTick)]) {
            cursorMinDeadline = Math.min(cursorMinDeadline, timeout.deadline);
        }
    }

    private static void unlink(Timeout timeout) {
        timeout.prev.next = timeout.next;
        timeout.next.prev = timeout.prev;
        timeout.prev = null;
        timeout.next = null;
    }

    /** Appends every timeout in the list at {@code from} to the list at {@code to}. */
    private static void moveAll(Timeout from, Timeout to) {
        Timeout first = from.next;
        if (first == from) {
            return;
        }
        Timeout last = from.prev;
        Timeout tail = to.prev;
        tail.next = first;
        first.prev = tail;
        last.next = to;
        to.prev = last;
        from.next = from;
        from.prev = from;
    }

    private int index(long tick) {
        return (int) tick & mask;
    }

    private long tickOf(long millis) {
        return Math.floorDiv(millis - originMillis, tickMillis);
    }

    private long ceilTickOf(long millis) {
        return -Math.floorDiv(originMillis - millis, tickMillis);
    }

    private long tickStart(long tick) {
        return originMillis + tick * tickMillis;
    }

    /**
     * A timeout that a {@link TimerWheel} can schedule: the node of the wheel's intrusive lists.
     *
     * <p>The wheel keeps no entries of its own. Each timeout carries its own links, so scheduling,
     * rescheduling and cancelling allocate nothing and take constant time. A connection creates
     * its timeouts once (one per kind: header read, idle keep-alive, body read, write stall) and
     * re-arms them for as long as it lives.
     *
     * <p>A timeout belongs to at most one wheel at a time, and like the wheel it is confined to the
     * wheel's event-loop thread. Its links are private to the wheel, so a subclass can neither see
     * nor corrupt them.
     */
    public abstract static class Timeout {

        // While scheduled, prev and next link this timeout into a circular list that starts and
        // ends at a bucket's sentinel; wheel is the wheel that scheduled it.
        private Timeout prev;
        private Timeout next;
        private long deadline;
        private TimerWheel wheel;

        /** For subclasses. */
        protected Timeout() {}

        /**
         * Called on the event loop when the deadline has passed.
         *
         * <p>By then the timeout is no longer scheduled, so the callback may schedule it again
         * (for periodic work such as WebSocket pings), and it may schedule or cancel any other
         * timeout on the same wheel. It must not call {@link TimerWheel#expireUpTo(long)}.
         *
         * @param nowMillis the time that {@code expireUpTo} was called with, which is at or after
         *     the {@linkplain #deadline() deadline}
         */
        protected abstract void onTimeout(long nowMillis);

        /** Whether this timeout is waiting on a wheel: true from scheduling until it fires or is cancelled. */
        public final boolean isScheduled() {
            return wheel != null;
        }

        /**
         * The deadline, in the wheel's milliseconds, that this timeout was last scheduled for. It
         * keeps that value after the timeout has fired or been cancelled.
         */
        public final long deadline() {
            return deadline;
        }
    }

    /** The head of a circular list; never scheduled, never fired. */
    private static final class Sentinel extends Timeout {
        static Timeout newEmptyList() {
            Timeout sentinel = new Sentinel();
            sentinel.prev = sentinel;
            sentinel.next = sentinel;
            return sentinel;
        }

        @Override
        protected void onTimeout(long nowMillis) {
            throw new AssertionError("a list sentinel never fires");
        }
    }
}
