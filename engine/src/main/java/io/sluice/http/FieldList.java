package io.sluice.http;

import io.sluice.api.Headers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** A small, immutable {@link Headers} backed by name/value pairs; used for trailers. */
public final class FieldList implements Headers {

    /** No fields. */
    public static final FieldList EMPTY = new FieldList(new String[0]);

    private final String[] pairs;

    FieldList(String[] pairs) {
        this.pairs = pairs;
    }

    @Override
    public int size() {
        return pairs.length / 2;
    }

    @Override
    public String name(int index) {
        return pairs[index * 2];
    }

    @Override
    public String value(int index) {
        return pairs[index * 2 + 1];
    }

    @Override
    public String first(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    @Override
    public List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(pairs[i + 1]);
            }
        }
        return values == null ? Collections.emptyList() : values;
    }
}
