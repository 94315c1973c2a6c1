package io.sluice.api;

import java.util.List;

/**
 * A read-only, ordered, multi-valued view of HTTP header fields. Names compare case-insensitively
 * (RFC 9110 §5.1); values are returned as received, without surrounding whitespace.
 *
 * <p>Indexed access ({@link #name(int)}, {@link #value(int)}) lets hot code iterate without
 * allocating an iterator or entry objects.
 */
public interface Headers {

    /** Number of header fields (a repeated name counts once per line). */
    int size();

    /** Name of the field at {@code index}, in the case it was sent. */
    String name(int index);

    /** Value of the field at {@code index}. */
    String value(int index);

    /** The first value of {@code name}, or {@code null} when absent. */
    String first(String name);

    /** Every value of {@code name}, in order; empty when absent. */
    List<String> all(String name);

    /** Whether a field named {@code name} is present. */
    default boolean contains(String name) {
        return first(name) != null;
    }
}
