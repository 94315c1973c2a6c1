package io.sluice.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.sluice.transport.TimerWheel.Timeout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Example-based tests of {@link TimerWheel}. Time is a plain {@code long} that the tests move;
 * nothing sleeps. {@link TimerWheelModelTest} checks random operation sequences against a model.
 */
class TimerWheelTest {

    private static final long TICK = 100;
    private static final int SLOTS = 8; // a rotation is 800 ms, so multi-rotation cases stay small

    /** Deliberately not a multiple of the tick, as with a clock derived from nanoTime. */
    private static final long T0 = 1_000_000_037L;

    private final List<String> fired = new ArrayList<>();
    private final TimerWheel wheel = new TimerWheel(TICK, SLOTS, T0);

    private Probe probe(String name) {
        return new Probe(name, fired);
    }

    /** Calls expireUpTo at each tick boundary from {@code from} to {@code to}, like an idle loop. */
    private void driveEveryTick(long from, long to) {
        for (long now = from; now <= to; now += TICK) {
            wheel.expireUpTo(now);
        }
    }

    @Nested
    class Firing {

        @Test
        void firesAtTheDeadlineAndNotBefore() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 250);

            assertThat(wheel.expireUpTo(T0 + 249)).isZero();
            assertThat(p.firedAt).isEmpty();

            assertThat(wheel.expireUpTo(T0 + 250)).isOne();
            assertThat(p.firedAt).containsExactly(T0 + 250);
            assertThat(p.isScheduled()).isFalse();
        }

        @Test
        void firesAtTheFirstCallAfterTheDeadlineWhenCalledEveryTick() {
            List<Probe> probes = new ArrayList<>();
            for (long offset = 0; offset < 3 * SLOTS * TICK; offset += 37) {
                Probe p = probe("at+" + offset);
                wheel.schedule(p, T0 + offset);
                probes.add(p);
            }

            driveEveryTick(T0, T0 + 4 * SLOTS * TICK);

            for (Probe p : probes) {
                assertThat(p.firedAt).as(p.name).hasSize(1);
                long lateness = p.firedAt.get(0) - p.deadline();
                assertThat(lateness).as(p.name).isBetween(0L, TICK - 1);
            }
        }

        @Test
        void firesInDeadlineTickOrderWithinOneCall() {
            wheel.schedule(probe("c"), T0 + 750);
            wheel.schedule(probe("a"), T0 + 250);
            wheel.schedule(probe("b"), T0 + 550);

            assertThat(wheel.expireUpTo(T0 + 790)).isEqualTo(3);

            assertThat(fired).containsExactly("a", "b", "c");
        }

        @Test
        void aDeadlineAlreadyInThePastFiresOnTheNextCall() {
            wheel.expireUpTo(T0 + 1_000);
            Probe p = probe("late");
            wheel.schedule(p, T0 + 10);

            assertThat(wheel.delayUntilNextExpiry(T0 + 1_000)).isZero();
            assertThat(wheel.expireUpTo(T0 + 1_000)).isOne();
            assertThat(p.firedAt).containsExactly(T0 + 1_000);
        }

        @Test
        void deadlinesManyRotationsAheadFireOnTimeAndNotOnEarlierRotations() {
            long farOffset = 12 * SLOTS * TICK + 30; // twelve rotations and a bit
            Probe far = probe("far");
            Probe near = probe("near"); // shares far's bucket
            wheel.schedule(far, T0 + farOffset);
            wheel.schedule(near, T0 + 30);

            driveEveryTick(T0, T0 + farOffset - 1);
            assertThat(near.firedAt).hasSize(1);
            assertThat(far.firedAt).isEmpty();
            assertThat(far.isScheduled()).isTrue();

            wheel.expireUpTo(T0 + farOffset);
            assertThat(far.firedAt).containsExactly(T0 + farOffset);
        }

        @Test
        void worksWithAClockBeforeTheOrigin() {
            TimerWheel w = new TimerWheel(TICK, SLOTS, 0);
            Probe p = probe("p");
            w.schedule(p, -5_000);

            assertThat(w.expireUpTo(-6_000)).isZero();
            assertThat(w.expireUpTo(0)).isOne();
        }
    }

    @Nested
    class Cancelling {

        @Test
        void aCancelledTimeoutNeverFires() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 300);
            wheel.cancel(p);

            assertThat(p.isScheduled()).isFalse();
            assertThat(wheel.size()).isZero();
            driveEveryTick(T0, T0 + 3 * SLOTS * TICK);
            assertThat(p.firedAt).isEmpty();
        }

        @Test
        void cancellingWhatIsNotScheduledDoesNothing() {
            Probe p = probe("p");
            wheel.cancel(p);
            wheel.schedule(p, T0 + 100);
            wheel.expireUpTo(T0 + 100);

            wheel.cancel(p);
            wheel.cancel(p);

            assertThat(wheel.size()).isZero();
            assertThat(p.firedAt).hasSize(1);
        }

        @Test
        void cancellingOneOfABucketLeavesTheOthers() {
            Probe a = probe("a");
            Probe b = probe("b");
            Probe c = probe("c");
            wheel.schedule(a, T0 + 210);
            wheel.schedule(b, T0 + 220);
            wheel.schedule(c, T0 + 230);

            wheel.cancel(b);
            wheel.expireUpTo(T0 + 300);

            assertThat(fired).containsExactly("a", "c");
        }

        @Test
        void aTimeoutCanBeScheduledAgainAfterItFiredOrWasCancelled() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 100);
            wheel.expireUpTo(T0 + 100);
            wheel.schedule(p, T0 + 200);
            wheel.cancel(p);
            wheel.schedule(p, T0 + 300);

            wheel.expireUpTo(T0 + 300);

            assertThat(p.firedAt).containsExactly(T0 + 100, T0 + 300);
        }
    }

    @Nested
    class Rescheduling {

        @Test
        void anEarlierDeadlineTakesEffectAtOnce() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 5_000);
            wheel.schedule(p, T0 + 300);

            assertThat(p.deadline()).isEqualTo(T0 + 300);
            assertThat(wheel.expireUpTo(T0 + 299)).isZero();
            assertThat(wheel.expireUpTo(T0 + 300)).isOne();
            assertThat(wheel.size()).isZero();
        }

        @Test
        void aLaterDeadlineIsHonouredWhenTheOldBucketComesRound() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 300);
            wheel.schedule(p, T0 + 5_030);

            assertThat(p.deadline()).isEqualTo(T0 + 5_030);
            assertThat(wheel.size()).isOne();
            driveEveryTick(T0, T0 + 5_000);
            assertThat(p.firedAt).isEmpty();

            wheel.expireUpTo(T0 + 5_030);
            assertThat(p.firedAt).containsExactly(T0 + 5_030);
        }

        @Test
        void aKeepAliveConnectionExtendedOnEveryRequestTimesOutOnlyWhenItGoesQuiet() {
            long idleTimeout = 1_000;
            Probe idle = probe("idle");
            long now = T0;
            wheel.schedule(idle, now + idleTimeout);

            for (int request = 0; request < 200; request++) { // a request every 70 ms for 14 s
                now += 70;
                wheel.expireUpTo(now);
                wheel.schedule(idle, now + idleTimeout);
            }
            long lastDeadline = now + idleTimeout;
            driveEveryTick(now, lastDeadline - 1);
            assertThat(idle.firedAt).isEmpty();

            wheel.expireUpTo(lastDeadline);
            assertThat(idle.firedAt).containsExactly(lastDeadline);
        }

        @Test
        void extendingADueTimeoutPastTheCurrentTimeKeepsItFromFiring() {
            Probe p = probe("p");
            wheel.schedule(p, T0 + 100);
            wheel.schedule(p, T0 + 950);

            assertThat(wheel.expireUpTo(T0 + 900)).isZero();
            assertThat(wheel.expireUpTo(T0 + 950)).isOne();
        }
    }

    @Nested
    class ReEntrancy {

        @Test
        void aCallbackCanRearmItselfForPeriodicWork() {
            List<Long> pings = new ArrayList<>();
            Timeout ping = new Timeout() {
                @Override
                protected void onTimeout(long nowMillis) {
                    pings.add(nowMillis - T0);
                    wheel.schedule(this, nowMillis + 300);
                }
            };
            wheel.schedule(ping, T0 + 300);

            driveEveryTick(T0, T0 + 1_500);

            assertThat(pings).containsExactly(300L, 600L, 900L, 1_200L, 1_500L);
            assertThat(ping.isScheduled()).isTrue();
        }

        @Test
        void aCallbackThatRearmsItselfAlreadyDueFiresOnceACallAndCannotTrapTheLoop() {
            Probe p = probe("p");
            p.then = now -> wheel.schedule(p, now);
            wheel.schedule(p, T0 + 100);

            assertThat(wheel.expireUpTo(T0 + 100)).isOne();
            assertThat(wheel.delayUntilNextExpiry(T0 + 100)).isZero();
            assertThat(wheel.expireUpTo(T0 + 100)).isOne();
            assertThat(wheel.expireUpTo(T0 + 101)).isOne();
        }

        @Test
        void aCallbackCanCancelAnotherTimeoutDueInTheSameCall() {
            Probe first = probe("first");
            Probe second = probe("second");
            Probe third = probe("third");
            first.then = now -> wheel.cancel(second);
            wheel.schedule(first, T0 + 210);
            wheel.schedule(second, T0 + 220); // same bucket
            wheel.schedule(third, T0 + 410); // a later bucket in the same call

            assertThat(wheel.expireUpTo(T0 + 500)).isEqualTo(2);

            assertThat(fired).containsExactly("first", "third");
            assertThat(second.isScheduled()).isFalse();
            assertThat(wheel.size()).isZero();
        }

        @Test
        void aCallbackCanCancelATimeoutInALaterBucketOfTheSameCall() {
            Probe first = probe("first");
            Probe later = probe("later");
            first.then = now -> wheel.cancel(later);
            wheel.schedule(first, T0 + 110);
            wheel.schedule(later, T0 + 610);

            assertThat(wheel.expireUpTo(T0 + 700)).isOne();
            assertThat(fired).containsExactly("first");
        }

        @Test
        void aCallbackCanScheduleOthersIntoTheBucketBeingExpired() {
            Probe first = probe("first");
            Probe dueNow = probe("dueNow");
            Probe laterInTick = probe("laterInTick");
            first.then = now -> {
                wheel.schedule(dueNow, now);
                wheel.schedule(laterInTick, now + 50);
            };
            wheel.schedule(first, T0 + 210);

            assertThat(wheel.expireUpTo(T0 + 220)).isOne();
            assertThat(wheel.expireUpTo(T0 + 220)).isOne();
            assertThat(fired).containsExactly("first", "dueNow");

            assertThat(wheel.expireUpTo(T0 + 269)).isZero();
            assertThat(wheel.expireUpTo(T0 + 270)).isOne();
        }

        @Test
        void aDueTimeoutScheduledFromAnEarlierBucketFiresInTheSameCall() {
            Probe first = probe("first");
            Probe spawned = probe("spawned");
            first.then = now -> wheel.schedule(spawned, T0 + 350);
            wheel.schedule(first, T0 + 110);

            assertThat(wheel.expireUpTo(T0 + 700)).isEqualTo(2);
            assertThat(fired).containsExactly("first", "spawned");
        }

        @Test
        void aCallbackCanMoveAnotherTimeoutEarlierOrLater() {
            Probe first = probe("first");
            Probe pulledIn = probe("pulledIn");
            Probe pushedOut = probe("pushedOut");
            first.then = now -> {
                wheel.schedule(pulledIn, now);
                wheel.schedule(pushedOut, now + 1_000);
            };
            wheel.schedule(first, T0 + 110);
            wheel.schedule(pulledIn, T0 + 5_000);
            wheel.schedule(pushedOut, T0 + 120); // first's bucket: already detached when first runs

            wheel.expireUpTo(T0 + 200);
            wheel.expireUpTo(T0 + 200);
            assertThat(fired).containsExactly("first", "pulledIn");

            driveEveryTick(T0 + 200, T0 + 1_100);
            assertThat(pushedOut.firedAt).isEmpty();
            wheel.expireUpTo(T0 + 1_200);
            assertThat(pushedOut.firedAt).containsExactly(T0 + 1_200);
        }

        @Test
        void expireUpToFromACallbackIsRejected() {
            Probe p = probe("p");
            p.then = now -> wheel.expireUpTo(now);
            wheel.schedule(p, T0 + 100);

            assertThatThrownBy(() -> wheel.expireUpTo(T0 + 100)).isInstanceOf(IllegalStateException.class);
        }

        @Test
        void whenACallbackThrowsTheRestStayScheduledForTheNextCall() {
            Probe boom = probe("boom");
            Probe sameBucket = probe("sameBucket");
            Probe laterBucket = probe("laterBucket");
            boom.then = now -> {
                throw new IllegalStateException("boom");
            };
            wheel.schedule(boom, T0 + 210);
            wheel.schedule(sameBucket, T0 + 220);
            wheel.schedule(laterBucket, T0 + 650);

            assertThatThrownBy(() -> wheel.expireUpTo(T0 + 700)).hasMessage("boom");
            assertThat(wheel.size()).isEqualTo(2);
            assertThat(wheel.delayUntilNextExpiry(T0 + 700)).isZero();

            assertThat(wheel.expireUpTo(T0 + 700)).isEqualTo(2);
            assertThat(fired).containsExactly("boom", "sameBucket", "laterBucket");
        }
    }

    @Nested
    class ClockJumps {

        @Test
        void aJumpOfYearsFiresEverythingDueWithBoundedWork() {
            TimerWheel fine = new TimerWheel(1, 512, T0); // a 1 ms tick makes a per-tick walk hopeless
            List<Probe> probes = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                Probe p = probe("p" + i);
                fine.schedule(p, T0 + i * 37L);
                probes.add(p);
            }
            Probe future = probe("future");
            long years = 3L * 365 * 24 * 3600 * 1000;
            fine.schedule(future, T0 + years + 1);

            int count = assertTimeoutPreemptively(Duration.ofSeconds(5), () -> fine.expireUpTo(T0 + years));

            assertThat(count).isEqualTo(2_000);
            assertThat(probes).allSatisfy(p -> assertThat(p.firedAt).containsExactly(T0 + years));
            assertThat(fine.size()).isOne();
            assertThat(fine.expireUpTo(T0 + years + 1)).isOne();
        }

        @Test
        void theWheelKeepsWorkingNormallyAfterAJump() {
            wheel.schedule(probe("old"), T0 + 100);
            long later = T0 + 1_000_000;
            wheel.expireUpTo(later);

            Probe p = probe("p");
            wheel.schedule(p, later + 450);
            driveEveryTick(later, later + 400);
            assertThat(p.firedAt).isEmpty();
            wheel.expireUpTo(later + 450);
            assertThat(p.firedAt).containsExactly(later + 450);
        }

        @Test
        void aClockThatStepsBackFiresNothingEarly() {
            Probe p = probe("p");
            wheel.expireUpTo(T0 + 1_000);
            wheel.schedule(p, T0 + 1_050);

            assertThat(wheel.expireUpTo(T0 + 500)).isZero();
            assertThat(wheel.expireUpTo(T0 + 1_049)).isZero();
            assertThat(wheel.expireUpTo(T0 + 1_050)).isOne();
        }
    }

    @Nested
    class Size {

        @Test
        void countsWhatIsScheduled() {
            Probe a = probe("a");
            Probe b = probe("b");
            assertThat(wheel.size()).isZero();

            wheel.schedule(a, T0 + 100);
            wheel.schedule(b, T0 + 900);
            assertThat(wheel.size()).isEqualTo(2);

            wheel.schedule(a, T0 + 50); // earlier
            wheel.schedule(b, T0 + 2_000); // later
            assertThat(wheel.size()).isEqualTo(2);

            wheel.expireUpTo(T0 + 100);
            assertThat(wheel.size()).isOne();

            wheel.cancel(b);
            assertThat(wheel.size()).isZero();
        }
    }

    @Nested
    class DelayUntilNextExpiry {

        @Test
        void isMinusOneWhenNothingIsScheduled() {
            assertThat(wheel.delayUntilNextExpiry(T0)).isEqualTo(-1);
            Probe p = probe("p");
            wheel.schedule(p, T0 + 500);
            wheel.cancel(p);
            assertThat(wheel.delayUntilNextExpiry(T0)).isEqualTo(-1);
        }

        @Test
        void isZeroWhenSomethingIsDue() {
            wheel.schedule(probe("p"), T0 + 250);

            assertThat(wheel.delayUntilNextExpiry(T0 + 250)).isZero();
            assertThat(wheel.delayUntilNextExpiry(T0 + 10_000)).isZero();
        }

        @Test
        void wakesAtTickBoundariesNoLaterThanATickAfterTheDeadline() {
            TimerWheel w = new TimerWheel(TICK, SLOTS, 0);
            w.schedule(probe("p"), 250);

            assertThat(w.delayUntilNextExpiry(0)).isEqualTo(200); // the start of 250's tick
            w.expireUpTo(200);
            assertThat(w.delayUntilNextExpiry(200)).isEqualTo(100); // 250 is not due at 200: next boundary
            assertThat(w.delayUntilNextExpiry(240)).isEqualTo(60);
            assertThat(w.expireUpTo(300)).isOne();
            assertThat(w.delayUntilNextExpiry(300)).isEqualTo(-1);
        }

        @Test
        void aLoopThatSleepsOnlyAsToldFiresEverythingWithinATickWakingAtMostOnceATick() {
            List<Probe> probes = new ArrayList<>();
            long[] offsets = {5, 99, 100, 101, 250, 799, 800, 801, 1_234, 3_333, 9_999, 20_050};
            for (long offset : offsets) {
                Probe p = probe("at+" + offset);
                wheel.schedule(p, T0 + offset);
                probes.add(p);
            }

            long now = T0;
            List<Long> wakes = new ArrayList<>();
            for (long delay; (delay = wheel.delayUntilNextExpiry(now)) >= 0; ) {
                assertThat(delay).as("delay at %d", now - T0).isPositive();
                now += delay;
                wakes.add(now);
                wheel.expireUpTo(now);
            }

            assertThat(probes).allSatisfy(p -> assertThat(p.firedAt.get(0) - p.deadline()).isBetween(0L, TICK));
            for (int i = 1; i < wakes.size(); i++) {
                assertThat(wakes.get(i) - wakes.get(i - 1)).isGreaterThanOrEqualTo(TICK);
            }
        }

        @Test
        void aTimeoutManyRotationsAwayCostsAtMostOneWakeARotation() {
            Probe far = probe("far");
            long deadline = T0 + 50 * SLOTS * TICK + 350;
            wheel.schedule(far, deadline);

            long now = T0;
            int wakes = 0;
            for (long delay; (delay = wheel.delayUntilNextExpiry(now)) >= 0; wakes++) {
                now += delay;
                wheel.expireUpTo(now);
            }

            assertThat(far.firedAt.get(0)).isBetween(deadline, deadline + TICK);
            assertThat(wakes).isBetween(1, 51);
        }

        @Test
        void aCancelCausesAtMostOneEarlyWake() {
            Probe first = probe("first");
            Probe second = probe("second");
            wheel.schedule(first, T0 + 10);
            wheel.schedule(second, T0 + 90); // same tick as first
            wheel.expireUpTo(T0);
            wheel.cancel(first);

            long delay = wheel.delayUntilNextExpiry(T0 + 20);
            if (delay == 0) {
                assertThat(wheel.expireUpTo(T0 + 20)).isZero();
                delay = wheel.delayUntilNextExpiry(T0 + 20);
            }
            assertThat(delay).isEqualTo(80); // the next tick boundary, 10 ms after second's deadline
        }
    }

    @Nested
    class Misuse {

        @Test
        void rejectsABadTickOrWheelSize() {
            assertThatThrownBy(() -> new TimerWheel(0, 8, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new TimerWheel(100, 0, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> new TimerWheel(100, 6, 0)).isInstanceOf(IllegalArgumentException.class);
            assertThat(new TimerWheel(100, 1, 0).tickMillis()).isEqualTo(100);
        }

        @Test
        void aTimeoutWaitsOnOneWheelAtATime() {
            TimerWheel other = new TimerWheel(TICK, SLOTS, T0);
            Probe p = probe("p");
            wheel.schedule(p, T0 + 100);

            assertThatThrownBy(() -> other.schedule(p, T0 + 100)).isInstanceOf(IllegalStateException.class);
            assertThatThrownBy(() -> other.cancel(p)).isInstanceOf(IllegalArgumentException.class);

            wheel.cancel(p);
            other.schedule(p, T0 + 100);
            assertThat(other.expireUpTo(T0 + 100)).isOne();
        }
    }

    /** Records when it fires, into its own list and a shared log; can run an action when it fires. */
    static final class Probe extends Timeout {
        final String name;
        final List<Long> firedAt = new ArrayList<>();
        private final List<String> log;
        LongConsumer then = now -> {};

        Probe(String name, List<String> log) {
            this.name = name;
            this.log = log;
        }

        @Override
        protected void onTimeout(long nowMillis) {
            firedAt.add(nowMillis);
            log.add(name);
            then.accept(nowMillis);
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
