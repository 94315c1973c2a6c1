package io.sluice.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.server.ServerConfig;
import io.sluice.server.SluiceServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;
import tools.jackson.databind.JsonNode;

/** Defaults, generated metadata and documentation of the properties, kept in step with the engine and each other. */
class SluicePropertiesTest {

    /** Defaults that depend on the machine (its processors), so the metadata can only describe them. */
    private static final Set<String> COMPUTED_DEFAULTS = Set.of("sluice.threads.selectors", "sluice.threads.workers");

    private static final List<String> BOOT_KEYS = List.of("server.port", "server.address", "server.shutdown",
            "spring.lifecycle.timeout-per-shutdown-phase", "spring.threads.virtual.enabled");

    @Test
    void defaultsAreTheEnginesDefaults() {
        SluiceServer.Builder fromProperties = SluiceServer.builder();
        new SluiceServerConfigurer(new SluiceProperties(), BootServerSettings.bind(new MockEnvironment()))
                .configure(fromProperties);

        ServerConfig ours = fromProperties.build().config();
        ServerConfig engines = SluiceServer.builder().build().config();
        // Field by field, WebSocket options included: a default changed on either side fails here.
        assertThat(ours).usingRecursiveComparison().isEqualTo(engines);
    }

    @Test
    void bootKeysHaveBootsDefaults() {
        BootServerSettings settings = BootServerSettings.bind(new MockEnvironment());
        assertThat(settings.port()).isEqualTo(8080);
        assertThat(settings.address()).isNull();
        assertThat(settings.shutdown()).isEqualTo(BootServerSettings.Shutdown.GRACEFUL);
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(settings.virtualThreads()).isFalse();
    }

    @Test
    void bootKeysBind() {
        MockEnvironment environment = new MockEnvironment().withProperty("server.port", "9090")
                .withProperty("server.address", "127.0.0.1").withProperty("server.shutdown", "immediate")
                .withProperty("spring.lifecycle.timeout-per-shutdown-phase", "5s")
                .withProperty("spring.threads.virtual.enabled", "true");
        BootServerSettings settings = BootServerSettings.bind(environment);
        assertThat(settings.port()).isEqualTo(9090);
        assertThat(settings.address().getHostAddress()).isEqualTo("127.0.0.1");
        assertThat(settings.shutdown()).isEqualTo(BootServerSettings.Shutdown.IMMEDIATE);
        assertThat(settings.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
        // Boot's rule: the switch only takes effect on a JVM that has virtual threads.
        assertThat(settings.virtualThreads()).isEqualTo(Threads.jvmHasVirtualThreads());
    }

    @Test
    void everyPropertyHasADescriptionAndADefaultInTheMetadata() {
        for (JsonNode property : ConfigurationMetadata.sluiceProperties()) {
            String name = property.path("name").asString();
            assertThat(property.path("description").asString()).as("description of %s", name).isNotBlank();
            if (COMPUTED_DEFAULTS.contains(name)) {
                assertThat(property.path("description").asString()).as("description of %s", name)
                        .contains("Defaults to");
            } else {
                assertThat(property.has("defaultValue")).as("default of %s", name).isTrue();
            }
        }
    }

    @Test
    void everyPropertyIsDocumented() throws IOException {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        assertThat(ConfigurationMetadata.sluicePropertyNames()).allSatisfy(
                name -> assertThat(docs).as("docs/configuration.md").contains("`" + name + "`"));
        assertThat(BOOT_KEYS).allSatisfy(name -> assertThat(docs).as("docs/configuration.md").contains("`" + name + "`"));
    }
}
