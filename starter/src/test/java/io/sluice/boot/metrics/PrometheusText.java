package io.sluice.boot.metrics;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A parsed Prometheus text exposition (format 0.0.4, which OpenMetrics extends): the {@code # TYPE} of
 * each metric family and every sample with its labels. Enough of the grammar for what Micrometer writes.
 */
final class PrometheusText {

    record Sample(String name, Map<String, String> labels, double value) {
    }

    private final Map<String, String> types = new HashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    static PrometheusText parse(String exposition) {
        PrometheusText parsed = new PrometheusText();
        for (String line : exposition.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.substring("# TYPE ".length()).split(" ");
                parsed.types.put(parts[0], parts[1]);
            } else if (!line.isBlank() && !line.startsWith("#")) {
                parsed.samples.add(sample(line));
            }
        }
        return parsed;
    }

    /** The declared type of a metric family, e.g. {@code counter}, or {@code null}. */
    String type(String family) {
        return types.get(family);
    }

    List<Sample> samples(String name) {
        return samples.stream().filter(s -> s.name().equals(name)).toList();
    }

    /** The one sample of {@code name} whose labels include {@code labels} (name, value, name, value...). */
    double value(String name, String... labels) {
        List<Sample> matching = samples(name).stream().filter(s -> hasLabels(s, labels)).toList();
        if (matching.size() != 1) {
            throw new AssertionError("Expected one sample " + name + " " + List.of(labels) + " but found " + matching);
        }
        return matching.get(0).value();
    }

    private static boolean hasLabels(Sample sample, String... labels) {
        for (int i = 0; i < labels.length; i += 2) {
            if (!labels[i + 1].equals(sample.labels().get(labels[i]))) {
                return false;
            }
        }
        return true;
    }

    private static Sample sample(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        Map<String, String> labels = new LinkedHashMap<>();
        String name;
        int rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            rest = labels(line, brace + 1, labels);
        } else {
            name = line.substring(0, space);
            rest = space;
        }
        // The value, then an optional timestamp (and an OpenMetrics exemplar after " # ").
        String[] fields = line.substring(rest).trim().split(" ");
        return new Sample(name, labels, Double.parseDouble(fields[0]));
    }

    /** Reads {@code a="x",b="y"}} from {@code start}; returns the index after the closing brace. */
    private static int labels(String line, int start, Map<String, String> labels) {
        int i = start;
        while (line.charAt(i) != '}') {
            int equals = line.indexOf('=', i);
            String key = line.substring(i, equals);
            StringBuilder value = new StringBuilder();
            i = equals + 2; // past ="
            while (line.charAt(i) != '"') {
                char c = line.charAt(i++);
                if (c == '\\') {
                    char escaped = line.charAt(i++);
                    value.append(escaped == 'n' ? '\n' : escaped);
                } else {
                    value.append(c);
                }
            }
            labels.put(key, value.toString());
            i++; // past the closing quote
            if (line.charAt(i) == ',') {
                i++;
            }
        }
        return i + 1;
    }
}
