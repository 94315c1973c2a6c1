package io.sluice.server;

import java.time.Duration;
import java.util.Objects;

/** Validation shared by the server's settings: every error names the setting and the bad value. */
final class Settings {

    private Settings() {
    }

    static int positive(String name, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0 (was " + value + ")");
        }
        return value;
    }

    static Duration positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive (was " + value + ")");
        }
        return value;
    }
}
