package io.sluice.transport;

import static io.sluice.testing.PropertyCheck.forAll;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.transport.TimerWheel.Timeout;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Property tests of {@link TimerWheel}. Each one runs random sequences of schedule, cancel and
 * clock moves against a reference model that is just a list of deadlines.
 *
 * <p>Each case runs on {@link io.sluice.testing.PropertyCheck}, so a failure reproduces exactly: the
 * report names the seed (replay it with {@code -Dsluice.property.seed=...}) and ends with the
 * operations that led to the failure. The generators favour what breaks wheels: several
 * tick and wheel sizes (a single slot included), deadlines right on tick boundaries or already
 * past, extensions, deadlines rotations ahead, and clock jumps far past a rotation.
 */
class TimerWheelModelTest {

    private static final int CASES = 250;
    private static final int OPERATIONS = 300;

    /**
     * Each call to {@code expireUpTo} fires exactly the timeouts whose deadline has passed, in the
     * order of the tick they are due in. {@code size}, {@code isScheduled} and {@code deadline}
     * agree with the model. {@code delayUntilNextExpiry} wakes the loop only at tick boundaries,
     * never more than a tick after a deadline, and is 0 whenever something is due.
     */
    @Test
    void agreesWithAListOfDeadlines() {
        forAll(CASES, random -> new ModelRun(random).run());
    }

    /**
     * Callbacks schedule and cancel random timeouts, themselves included, while the wheel is
     * expiring. Nothing fires early, fires twice or fires after being cancelled. Nothing is left
     * overdue once the wheel settles.
     */
    @Test
    void staysCorrectWhenCallbacksScheduleAndCancel() {
        forAll(CASES, random -> new ReentrantRun(random).run());
    }

    /** State and helpers shared by both runs; subclasses add the operations. */
    private abstract static class Run {
        final Random random;
        final long tick;
        final int slots;
        final long origin;
        final TimerWheel wheel;
        final StringBuilder trace = new StringBuilder();
        long now;

        Run(Random random) {
            this.random = random;
            this.tick = new long[] {1, 10, 100, 250}[random.nextInt(4)];
            this.slots = 1 << random.nextInt(7); // 1 .. 64
            this.origin = random.nextLong(-1_000_000_000_000L, 1_000_000_000_000L);
            this.now = origin;
            this.wheel = new TimerWheel(tick, slots, origin);
            log("new TimerWheel(%d, %d, %d)", tick, slots, origin);
        }

        abstract void step(int operation);

        final void run() {
            try {
                for (int operation = 0; operation < OPERATIONS; operation++) {
                    step(operation);
                }
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("failed after:\n" + trace, e);
            }
        }

        final void log(String format, Object... args) {
            trace.append("  ").append(String.format(format, args)).append('\n');
        }

        final long tickOf(long millis) {
            return Math.floorDiv(millis - origin, tick);
        }

        final long rotation() {
            return tick * slots;
        }

        /** A deadline around now: past, on a boundary, within the tick, or rotations ahead. */
        final long randomDeadline() {
            switch (random.nextInt(6)) {
                case 0:
                    return now - random.nextLong(0, 3 * tick);
                case 1:
                    return origin + (tickOf(now) + random.nextInt(0, 2 * slots + 2)) * tick;
                case 2:
                    return now + random.nextLong(0, tick);
                case 3:
                    return now + random.nextLong(0, 4 * rotation() + 1);
                default:
                    return now + random.nextLong(0, rotation() + 1);
            }
        }

        /** A clock step: none, within a tick, a few ticks, a rotation or two, or far beyond. */
        final long randomStep() {
            switch (random.nextInt(10)) {
                case 0:
                    return 0;
                case 1:
                case 2:
                case 3:
                    return random.nextLong(1, tick + 1);
                case 4:
                case 5:
                case 6:
                    return random.nextLong(1, 3 * tick + 1);
                case 7:
                case 8:
                    return random.nextLong(1, 2 * rotation() + 1);
                default:
                    return random.nextLong(1, 40 * rotation() + 1);
            }
        }

        /**
         * Checks the delay contract against the earliest scheduled deadline.
         *
         * @return whether it had to call {@code expireUpTo} to settle a false alarm
         */
        final boolean checkDelay(long earliestDeadline) {
            long delay = wheel.delayUntilNextExpiry(now);
            if (earliestDeadline == Long.MAX_VALUE) {
                assertThat(delay).as("delay with nothing scheduled").isEqualTo(-1);
                return false;
            }
            if (earliestDeadline <= now) {
                assertThat(delay).as("delay with something due").isZero();
                return false;
            }
            boolean settled = false;
            if (delay == 0) {
                settled = true;
                // Allowed as a false alarm, but expiring must settle it: no busy loop.
                assertThat(wheel.expireUpTo(now)).as("fired after a false alarm").isZero();
                delay = wheel.delayUntilNextExpiry(now);
                assertThat(delay).as("delay after settling a false alarm").isPositive();
            }
            long wake = now + delay;
            assertThat(Math.floorMod(wake - origin, tick)).as("wake-up %d is on a tick boundary", wake).isZero();
            assertThat(wake).as("wake-up vs earliest deadline %d", earliestDeadline).isLessThan(earliestDeadline + tick);
            return settled;
        }
    }

    /** The wheel against a model: for each timeout, whether it is scheduled and for when. */
    private static final class ModelRun extends Run {
        final Node[] nodes;
        final List<Node> firedThisCall = new ArrayList<>();
        long cursorTick; // the tick of the latest expireUpTo, as the wheel places past deadlines there

        ModelRun(Random random) {
            super(random);
            nodes = new Node[random.nextInt(1, 16)];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = new Node(i, firedThisCall);
            }
        }

        @Override
        void step(int operation) {
            int choice = random.nextInt(20);
            if (choice < 8) {
                schedule(nodes[random.nextInt(nodes.length)], randomDeadline());
            } else if (choice < 11) {
                Node node = nodes[random.nextInt(nodes.length)];
                log("cancel(%d)", node.id);
                wheel.cancel(node);
                node.expectScheduled = false;
            } else if (choice < 13) {
                now += randomStep();
                log("clock -> %d (no expire)", now);
                if (checkDelay(earliestDeadline())) {
                    cursorTick = Math.max(cursorTick, tickOf(now));
                }
            } else {
                now += randomStep();
                expire();
            }
            assertThat(wheel.size()).as("size").isEqualTo(expectedSize());
            for (Node node : nodes) {
                assertThat(node.isScheduled()).as("isScheduled(%d)", node.id).isEqualTo(node.expectScheduled);
                assertThat(node.deadline()).as("deadline(%d)", node.id).isEqualTo(node.expectDeadline);
            }
        }

        void schedule(Node node, long deadline) {
            log("schedule(%d, %d)", node.id, deadline);
            wheel.schedule(node, deadline);
            if (!node.expectScheduled || deadline < node.expectDeadline) {
                node.placementTick = Math.max(tickOf(deadline), cursorTick);
            }
            node.expectScheduled = true;
            node.expectDeadline = deadline;
        }

        void expire() {
            log("expireUpTo(%d)", now);
            long ticksSinceLast = tickOf(now) - cursorTick;
            Set<Node> due = new HashSet<>();
            for (Node node : nodes) {
                if (node.expectScheduled && node.expectDeadline <= now) {
                    due.add(node);
                }
            }
            firedThisCall.clear();

            int fired = wheel.expireUpTo(now);

            assertThat(fired).as("count fired").isEqualTo(firedThisCall.size());
            assertThat(firedThisCall).as("fired").containsExactlyInAnyOrderElementsOf(due);
            if (ticksSinceLast < slots) { // within one rotation the order is by deadline tick
                for (int i = 1; i < firedThisCall.size(); i++) {
                    assertThat(firedThisCall.get(i).dueTick(this))
                            .as("firing order %s", firedThisCall)
                            .isGreaterThanOrEqualTo(firedThisCall.get(i - 1).dueTick(this));
                }
            }
            for (Node node : due) {
                node.expectScheduled = false;
            }
            cursorTick = Math.max(cursorTick, tickOf(now));
            checkDelay(earliestDeadline());
        }

        long earliestDeadline() {
            long earliest = Long.MAX_VALUE;
            for (Node node : nodes) {
                if (node.expectScheduled) {
                    earliest = Math.min(earliest, node.expectDeadline);
                }
            }
            return earliest;
        }

        int expectedSize() {
            int size = 0;
            for (Node node : nodes) {
                size += node.expectScheduled ? 1 : 0;
            }
            return size;
        }

        /** A timeout with the model's view of it alongside. */
        private static final class Node extends Timeout {
            final int id;
            final List<Node> firedLog;
            boolean expectScheduled;
            long expectDeadline;
            long placementTick;

            Node(int id, List<Node> firedLog) {
                this.id = id;
                this.firedLog = firedLog;
            }

            /** The tick it is due in: its deadline's, or the tick it was scheduled in if that was later. */
            long dueTick(Run run) {
                return Math.max(run.tickOf(expectDeadline), placementTick);
            }

            @Override
            protected void onTimeout(long nowMillis) {
                assertThat(expectScheduled).as("%d fired while not scheduled", id).isTrue();
                firedLog.add(this);
            }

            @Override
            public String toString() {
                return id + "@" + expectDeadline;
            }
        }
    }

    /** Callbacks that reschedule and cancel; checked by invariants rather than a full model. */
    private static final class ReentrantRun extends Run {
        final Node[] nodes;
        int fired;

        ReentrantRun(Random random) {
            super(random);
            nodes = new Node[random.nextInt(2, 24)];
            for (int i = 0; i < nodes.length; i++) {
                nodes[i] = new Node(i);
            }
        }

        @Override
        void step(int operation) {
            int choice = random.nextInt(10);
            if (choice < 5) {
                Node node = nodes[random.nextInt(nodes.length)];
                long deadline = randomDeadline();
                log("schedule(%d, %d)", node.id, deadline);
                arm(node, deadline);
            } else if (choice < 6) {
                Node node = nodes[random.nextInt(nodes.length)];
                log("cancel(%d)", node.id);
                disarm(node);
            } else {
                now += randomStep();
                log("expireUpTo(%d) until settled", now);
                settle();
                long earliest = Long.MAX_VALUE;
                for (Node node : nodes) {
                    earliest = node.armed ? Math.min(earliest, node.expectDeadline) : earliest;
                }
                checkDelay(earliest);
            }
            int armed = 0;
            for (Node node : nodes) {
                assertThat(node.isScheduled()).as("isScheduled(%d)", node.id).isEqualTo(node.armed);
                armed += node.armed ? 1 : 0;
            }
            assertThat(wheel.size()).as("size").isEqualTo(armed);
        }

        /**
         * Expires until nothing is due. A callback that re-arms something already due makes it
         * fire on the next call, so settling takes a few calls, but never many.
         */
        void settle() {
            for (int call = 0; call < 100; call++) {
                int count = wheel.expireUpTo(now);
                if (count == 0) {
                    for (Node node : nodes) {
                        assertThat(node.armed && node.expectDeadline <= now).as("%s overdue", node).isFalse();
                    }
                    return;
                }
            }
            throw new AssertionError("expireUpTo did not settle in 100 calls");
        }

        void arm(Node node, long deadline) {
            wheel.schedule(node, deadline);
            node.armed = true;
            node.expectDeadline = deadline;
        }

        void disarm(Node node) {
            wheel.cancel(node);
            node.armed = false;
        }

        private final class Node extends Timeout {
            final int id;
            boolean armed;
            long expectDeadline;

            Node(int id) {
                this.id = id;
            }

            @Override
            protected void onTimeout(long nowMillis) {
                assertThat(nowMillis).as("%d fired at the current time", id).isEqualTo(now);
                assertThat(armed).as("%d fired while cancelled or already fired", id).isTrue();
                assertThat(expectDeadline).as("%d fired early", id).isLessThanOrEqualTo(nowMillis);
                armed = false;
                fired++;
                if (fired > 1_000_000) {
                    throw new AssertionError("runaway callbacks");
                }
                // Then disturb the wheel: reschedule or cancel a few timeouts, this one included.
                for (int actions = random.nextInt(3); actions > 0; actions--) {
                    Node other = nodes[random.nextInt(nodes.length)];
                    if (random.nextInt(4) == 0) {
                        log("  in %d: cancel(%d)", id, other.id);
                        disarm(other);
                    } else {
                        long deadline = random.nextInt(3) == 0 ? nowMillis - random.nextLong(0, tick) : randomDeadline();
                        log("  in %d: schedule(%d, %d)", id, other.id, deadline);
                        arm(other, deadline);
                    }
                }
            }

            @Override
            public String toString() {
                return id + "@" + expectDeadline;
            }
        }
    }
}
