package io.sluice.bench.client;

/**
 * Latencies in fixed-width buckets: recording is an array increment, so it costs the measured loop
 * nothing worth mentioning. Latencies beyond the last bucket land in it (and read as its value).
 */
final class LatencyHistogram {

    private final int[] buckets;
    private final long bucketNanos;
    private long count;

    /** {@code buckets} buckets of {@code bucketMicros} µs each. */
    LatencyHistogram(int bucketMicros, int buckets) {
        this.buckets = new int[buckets];
        this.bucketNanos = bucketMicros * 1000L;
    }

    void record(long nanos) {
        buckets[(int) Math.min(buckets.length - 1, Math.max(0, nanos) / bucketNanos)]++;
        count++;
    }

    long count() {
        return count;
    }

    /** The latency in milliseconds below which a fraction {@code p} of the recorded ones lie; 0 if none. */
    double percentileMillis(double p) {
        long target = (long) Math.ceil(count * p);
        long seen = 0;
        for (int i = 0; i < buckets.length; i++) {
            seen += buckets[i];
            if (seen >= target && seen > 0) {
                return i * bucketNanos / 1e6;
            }
        }
        return 0;
    }
}
