package io.sluice.boot.reactive;

import io.sluice.api.Headers;
import java.util.AbstractMap;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.springframework.util.MultiValueMap;

/**
 * The engine's request header fields as the read-only {@link MultiValueMap} that Spring's
 * {@code HttpHeaders} wraps, so a request's headers are not copied into a map of their own: lookups go
 * straight to the engine's parsed fields (names compare ignoring case), and the distinct names are
 * gathered only if something iterates over them.
 */
final class RequestHeadersAdapter extends AbstractMap<String, List<String>> implements MultiValueMap<String, String> {

    private final Headers headers;
    /** The distinct names, in the case first sent, with their values; built on first iteration. */
    private Map<String, List<String>> byName;

    RequestHeadersAdapter(Headers headers) {
        this.headers = headers;
    }

    @Override
    public String getFirst(String key) {
        return headers.first(key);
    }

    @Override
    public List<String> get(Object key) {
        if (!(key instanceof String name)) {
            return null;
        }
        List<String> values = headers.all(name);
        return values.isEmpty() ? null : values;
    }

    @Override
    public boolean containsKey(Object key) {
        return key instanceof String name && headers.first(name) != null;
    }

    @Override
    public boolean isEmpty() {
        return headers.size() == 0;
    }

    /** Unmodifiable: request headers are read-only, so are its entries and views. */
    @Override
    public Set<Entry<String, List<String>>> entrySet() {
        if (byName == null) {
            Map<String, List<String>> seen = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            Map<String, List<String>> inOrder = new LinkedHashMap<>();
            for (int i = 0; i < headers.size(); i++) {
                String name = headers.name(i);
                if (!seen.containsKey(name)) {
                    List<String> values = List.copyOf(headers.all(name));
                    seen.put(name, values);
                    inOrder.put(name, values);
                }
            }
            byName = Collections.unmodifiableMap(inOrder);
        }
        return byName.entrySet();
    }

    @Override
    public Map<String, String> toSingleValueMap() {
        Map<String, String> single = new LinkedHashMap<>();
        for (Entry<String, List<String>> entry : entrySet()) {
            single.put(entry.getKey(), entry.getValue().get(0));
        }
        return single;
    }

    @Override
    public void add(String key, String value) {
        throw readOnly();
    }

    @Override
    public void addAll(String key, List<? extends String> values) {
        throw readOnly();
    }

    @Override
    public void addAll(MultiValueMap<String, String> values) {
        throw readOnly();
    }

    @Override
    public void set(String key, String value) {
        throw readOnly();
    }

    @Override
    public void setAll(Map<String, String> values) {
        throw readOnly();
    }

    private static UnsupportedOperationException readOnly() {
        return new UnsupportedOperationException("Request headers are read-only");
    }
}
