package io.sluice.http;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The decoded parameters of a query string, read as {@code application/x-www-form-urlencoded}:
 * pairs separated by {@code '&'}, name and value separated by the first {@code '='}, {@code '+'}
 * standing for a space. Immutable and therefore safe to share between threads.
 *
 * <p>Names are case-sensitive. A name may repeat; its values keep the order in which they appeared,
 * and names keep the order of their first appearance. Parsing is lenient and never fails:
 * <ul>
 *   <li>a pair without {@code '='} has the value {@code ""} ({@code ?debug} is {@code debug=""});
 *   <li>empty pairs, as in {@code a=1&&b=2} or a trailing {@code '&'}, are skipped;
 *   <li>a pair whose name is empty ({@code =x}) is kept under the name {@code ""};
 *   <li>a name or value that is not validly percent-encoded (see {@link UriCodec}) is kept as its raw,
 *       undecoded text, so one sloppy parameter does not cost the request its other parameters.
 * </ul>
 */
public final class QueryParameters {

    private static final QueryParameters EMPTY = new QueryParameters(Map.of());

    private final Map<String, List<String>> valuesByName;

    private QueryParameters(Map<String, List<String>> valuesByName) {
        this.valuesByName = valuesByName;
    }

    /**
     * Parses a raw query string, without the leading {@code '?'}.
     *
     * @param rawQuery the query as received, still percent-encoded; {@code null} when the request has
     *     no query
     * @return the parameters; a shared empty instance for a {@code null} or empty query
     */
    public static QueryParameters parse(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return EMPTY;
        }
        Map<String, List<String>> valuesByName = new LinkedHashMap<>();
        int pairStart = 0;
        while (pairStart < rawQuery.length()) {
            int pairEnd = rawQuery.indexOf('&', pairStart);
            if (pairEnd < 0) {
                pairEnd = rawQuery.length();
            }
            if (pairEnd > pairStart) {
                addPair(valuesByName, rawQuery, pairStart, pairEnd);
            }
            pairStart = pairEnd + 1;
        }
        if (valuesByName.isEmpty()) {
            return EMPTY;
        }
        valuesByName.replaceAll((name, values) -> List.copyOf(values));
        return new QueryParameters(Collections.unmodifiableMap(valuesByName));
    }

    private static void addPair(Map<String, List<String>> valuesByName, String query, int start, int end) {
        int equals = query.indexOf('=', start);
        boolean hasValue = equals >= 0 && equals < end;
        String name = decodeOrKeepRaw(query.substring(start, hasValue ? equals : end));
        String value = hasValue ? decodeOrKeepRaw(query.substring(equals + 1, end)) : "";
        valuesByName.computeIfAbsent(name, unused -> new ArrayList<>(1)).add(value);
    }

    private static String decodeOrKeepRaw(String raw) {
        String decoded = UriCodec.decodeQueryComponent(raw);
        return decoded != null ? decoded : raw;
    }

    /** The first value of {@code name}, or {@code null} when it is absent. */
    public String first(String name) {
        List<String> values = valuesByName.get(name);
        return values == null ? null : values.get(0);
    }

    /** Every value of {@code name} in order of appearance; an empty list when it is absent. */
    public List<String> all(String name) {
        return valuesByName.getOrDefault(name, List.of());
    }

    /** The distinct names, in order of first appearance. */
    public Set<String> names() {
        return valuesByName.keySet();
    }

    /** An unmodifiable view: each name, in order of first appearance, to its values. */
    public Map<String, List<String>> asMap() {
        return valuesByName;
    }

    public boolean isEmpty() {
        return valuesByName.isEmpty();
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof QueryParameters that && valuesByName.equals(that.valuesByName);
    }

    @Override
    public int hashCode() {
        return valuesByName.hashCode();
    }

    @Override
    public String toString() {
        return valuesByName.toString();
    }
}
