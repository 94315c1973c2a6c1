package io.sluice.routing;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The variables a route's {@link PathTemplate} bound, name to percent-decoded value, in template
 * order. An unmodifiable {@link Map}, so the engine can hand it to handlers as it is.
 *
 * <p>Templates have a handful of variables, so this keeps two parallel arrays (the names shared
 * with the template) and looks names up by scanning them: cheaper to build per request than a hash
 * map, and as fast to query at this size. Entry objects are created only if the map is iterated.
 */
public final class PathVariables extends AbstractMap<String, String> {

    private static final PathVariables EMPTY = new PathVariables(new String[0], new String[0]);

    private final String[] names;
    private final String[] values;

    PathVariables(String[] names, String[] values) {
        this.names = names;
        this.values = values;
    }

    /** The shared instance for routes without variables. */
    public static PathVariables empty() {
        return EMPTY;
    }

    @Override
    public String get(Object name) {
        int index = indexOf(name);
        return index < 0 ? null : values[index];
    }

    @Override
    public boolean containsKey(Object name) {
        return indexOf(name) >= 0;
    }

    @Override
    public int size() {
        return names.length;
    }

    @Override
    public boolean isEmpty() {
        return names.length == 0;
    }

    private int indexOf(Object name) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public Set<Entry<String, String>> entrySet() {
        return new AbstractSet<>() {
            @Override
            public Iterator<Entry<String, String>> iterator() {
                return new Iterator<>() {
                    private int next;

                    @Override
                    public boolean hasNext() {
                        return next < names.length;
                    }

                    @Override
                    public Entry<String, String> next() {
                        if (next >= names.length) {
                            throw new NoSuchElementException();
                        }
                        Entry<String, String> entry = new SimpleImmutableEntry<>(names[next], values[next]);
                        next++;
                        return entry;
                    }
                };
            }

            @Override
            public int size() {
                return names.length;
            }
        };
    }
}
