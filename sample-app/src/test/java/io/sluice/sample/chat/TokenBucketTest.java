package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class TokenBucketTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aFullBucketAllowsABurstThenRefillsAtItsRate() {
        long start = 42 * SECOND;
        TokenBucket bucket = new TokenBucket(3, 2, start);
        assertThat(bucket.tryTake(start)).isTrue();
        assertThat(bucket.tryTake(start)).isTrue();
        assertThat(bucket.tryTake(start)).isTrue();
        assertThat(bucket.tryTake(start)).as("the burst is spent").isFalse();

        assertThat(bucket.tryTake(start + SECOND / 4)).as("half a token").isFalse();
        assertThat(bucket.tryTake(start + SECOND / 2)).as("one token after half a second at 2/s").isTrue();
        assertThat(bucket.tryTake(start + SECOND / 2)).isFalse();
    }

    @Test
    void aLongPauseRefillsNoMoreThanTheCapacity() {
        TokenBucket bucket = new TokenBucket(2, 1, 0);
        bucket.tryTake(0);
        bucket.tryTake(0);
        long later = 3600 * SECOND;
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isTrue();
        assertThat(bucket.tryTake(later)).isFalse();
    }

    @Test
    void worksAcrossTheOverflowOfNanoTime() {
        long beforeOverflow = Long.MAX_VALUE - SECOND / 2;
        TokenBucket bucket = new TokenBucket(1, 1, beforeOverflow);
        assertThat(bucket.tryTake(beforeOverflow)).isTrue();
        assertThat(bucket.tryTake(beforeOverflow + SECOND)).as("a second later, past the overflow").isTrue();
    }
}
