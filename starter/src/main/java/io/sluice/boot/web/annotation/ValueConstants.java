package io.sluice.boot.web.annotation;

/** Constants shared by the parameter annotations. */
public final class ValueConstants {

    /**
     * Stands for "no default value" in {@link QueryParam#defaultValue()} and {@link Header#defaultValue()}:
     * annotation attributes cannot be {@code null}, and an empty string is a legitimate default. No request
     * can carry this text (it contains control characters and private-use code points).
     */
    public static final String NO_DEFAULT = "\n\t\u0000\uE000sluice-no-default\uE001\u0000\t\n";

    private ValueConstants() {
    }
}
