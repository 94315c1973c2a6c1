package io.sluice.testing;

import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A small property-testing harness on plain JUnit: a property is checked against many randomly
 * generated cases, and a failure names the seed that reproduces it.
 *
 * <p>Each run starts from a fresh base seed, so over many CI runs the inputs keep varying; to replay a
 * failure, run the test with {@code -Dsluice.property.seed=<seed from the failure>}.
 *
 * <p>(We wrote this instead of using jqwik: jqwik 1.10 states that its author does not want it used
 * by AI agents, and parts of this code base are written with AI assistance.)
 */
public final class PropertyCheck {

    private static final String SEED_PROPERTY = "sluice.property.seed";

    private PropertyCheck() {
    }

    /**
     * Checks {@code property} on {@code tries} cases. Each case gets its own {@link Random}; anything
     * the property throws fails the test with the case's seed.
     */
    public static void forAll(int tries, Consumer<Random> property) {
        String fixed = System.getProperty(SEED_PROPERTY);
        if (fixed != null) {
            runCase(Long.parseLong(fixed), property);
            return;
        }
        Random seeds = new Random();
        for (int i = 0; i < tries; i++) {
            runCase(seeds.nextLong(), property);
        }
    }

    /**
     * Checks {@code property} on {@code tries} values made by {@code generator}, like
     * {@link #forAll(int, Consumer)}; a failure also shows the value (its {@code toString}) that broke it.
     */
    public static <T> void forAll(int tries, Function<Random, T> generator, Consumer<T> property) {
        forAll(tries, random -> {
            T value = generator.apply(random);
            try {
                property.accept(value);
            } catch (AssertionError | RuntimeException e) {
                throw new AssertionError("for " + value + ": " + e.getMessage(), e);
            }
        });
    }

    private static void runCase(long seed, Consumer<Random> property) {
        try {
            property.accept(new Random(seed));
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("Property failed for seed " + seed + " (replay with -D" + SEED_PROPERTY + "="
                    + seed + "): " + e.getMessage(), e);
        }
    }
}
