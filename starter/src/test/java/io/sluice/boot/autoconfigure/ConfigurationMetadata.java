package io.sluice.boot.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The {@code sluice.*} entries of the configuration metadata the annotation processor generated. */
final class ConfigurationMetadata {

    private static final String LOCATION = "META-INF/spring-configuration-metadata.json";

    private ConfigurationMetadata() {
    }

    /** Every {@code sluice.*} property entry, from whichever metadata file on the classpath holds them. */
    static List<JsonNode> sluiceProperties() {
        JsonMapper mapper = JsonMapper.builder().build();
        List<JsonNode> found = new ArrayList<>();
        try {
            for (URL url : Collections.list(ConfigurationMetadata.class.getClassLoader().getResources(LOCATION))) {
                try (InputStream in = url.openStream()) {
                    for (JsonNode property : mapper.readTree(in).path("properties")) {
                        if (property.path("name").asString().startsWith("sluice.")) {
                            found.add(property);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (found.isEmpty()) {
            throw new IllegalStateException("No sluice.* properties in any " + LOCATION + " on the classpath");
        }
        return found;
    }

    static List<String> sluicePropertyNames() {
        return sluiceProperties().stream().map(property -> property.path("name").asString()).toList();
    }

    /**
     * The keys bound to {@link SluiceProperties}, which configure the engine; other starter features (such as
     * static content) have {@code sluice.*} keys of their own.
     */
    static List<String> serverPropertyNames() {
        return sluiceProperties().stream()
                .filter(property -> property.path("sourceType").asString().startsWith(SluiceProperties.class.getName()))
                .map(property -> property.path("name").asString())
                .toList();
    }
}
