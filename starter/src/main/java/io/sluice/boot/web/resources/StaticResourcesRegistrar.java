package io.sluice.boot.web.resources;

import io.sluice.api.Route;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;
import org.springframework.core.io.ResourceLoader;
import org.springframework.util.unit.DataSize;

/**
 * Serves the files of {@code spring.web.resources.static-locations} from {@code /}, as a fallback route of
 * the engine: it answers only GET and HEAD requests that no route, annotated endpoint, actuator endpoint or
 * WebSocket endpoint matches by path, so static content never shadows the application.
 */
public class StaticResourcesRegistrar implements SluiceServerCustomizer {

    private static final Logger log = LoggerFactory.getLogger(StaticResourcesRegistrar.class);

    private static final String PREFIX = "sluice.web.resources.in-memory.";
    /** Largest file kept in one array (a little below Integer.MAX_VALUE, as JVMs reserve header words). */
    private static final int MAX_ARRAY_SIZE = Integer.MAX_VALUE - 8;

    private final StaticFiles files;

    /**
     * @param resources    Boot's {@code spring.web.resources.*}: locations and HTTP caching
     * @param properties   how much is kept in memory
     * @param loader       resolves the locations ({@code classpath:}, {@code file:}, ...)
     * @param mimeMappings Boot's {@code server.mime-mappings}: extension to media type, over the built-in table
     * @throws InvalidConfigurationPropertyValueException for a negative or too large size
     */
    public StaticResourcesRegistrar(WebProperties.Resources resources, SluiceResourcesProperties properties,
            ResourceLoader loader, Map<String, String> mimeMappings) {
        int maxFileSize = (int) bytes("max-file-size", properties.getInMemory().getMaxFileSize(), MAX_ARRAY_SIZE,
                "Must be at least 0 and less than 2GB.");
        long budget = bytes("max-total-size", properties.getInMemory().getMaxTotalSize(), Long.MAX_VALUE,
                "Must not be negative.");
        List<Resource> locations = new ArrayList<>();
        for (String location : resources.getStaticLocations()) {
            locations.add(loader.getResource(location));
        }
        StaticFile.ResponsePolicy policy = new StaticFile.ResponsePolicy(CacheControlHeader.of(resources.getCache()),
                resources.getCache().isUseLastModified());
        this.files = new StaticFiles(locations, new MediaTypes(mimeMappings), policy, maxFileSize, budget);
        log.debug("Static content from {}", Arrays.toString(resources.getStaticLocations()));
    }

    private static long bytes(String property, DataSize size, long max, String rule) {
        long bytes = size == null ? -1 : size.toBytes();
        if (bytes < 0 || bytes > max) {
            throw new InvalidConfigurationPropertyValueException(PREFIX + property, size, rule);
        }
        return bytes;
    }

    @Override
    public void customize(SluiceServer.Builder builder) {
        if (!files.locations().isEmpty()) {
            builder.fallbackRoute(Route.of("GET", "/*", new StaticResourceHandler(files)));
        }
    }
}
