package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.boot.autoconfigure.SluiceAutoConfiguration;
import io.sluice.boot.autoconfigure.SluiceWebServer;
import io.sluice.boot.web.resources.RawHttp.Response;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.DefaultResourceLoader;

/** The auto-configuration's conditions and each {@code spring.web.resources.*} and {@code sluice.web.resources.*} key. */
@Timeout(60)
class SluiceStaticResourcesAutoConfigurationTest {

    private static final AutoConfigurations CONFIGURATIONS =
            AutoConfigurations.of(SluiceAutoConfiguration.class, SluiceStaticResourcesAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(CONFIGURATIONS)
            .withPropertyValues("server.port=0", "server.address=127.0.0.1", "sluice.threads.selectors=1",
                    "sluice.threads.workers=2");

    @TempDir
    Path temp;

    @FunctionalInterface
    interface ServedTest {
        void run(AssertableApplicationContext context, int port) throws Exception;
    }

    private static void serve(ApplicationContextRunner runner, ServedTest test) {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            test.run(context, context.getBean(SluiceWebServer.class).getPort());
        });
    }

    @Test
    void servesBootsDefaultLocationsFromTheRoot() {
        serve(runner, (context, port) -> {
            assertThat(context).hasSingleBean(StaticResourcesRegistrar.class);
            assertThat(RawHttp.get(port, "/").text()).contains("Static home page");
            assertThat(RawHttp.get(port, "/from-meta-inf.txt").text()).isEqualTo("from /META-INF/resources/\n");
            assertThat(RawHttp.get(port, "/from-resources.txt").text()).isEqualTo("from /resources/\n");
            assertThat(RawHttp.get(port, "/from-public.txt").text()).isEqualTo("from /public/\n");
            Response response = RawHttp.get(port, "/letters.txt");
            // Boot's defaults: Last-Modified, and no Cache-Control at all.
            assertThat(response.header("Last-Modified")).isNotNull();
            assertThat(response.header("Cache-Control")).isNull();
        });
    }

    @Test
    void addMappingsFalseServesNothing() {
        serve(runner.withPropertyValues("spring.web.resources.add-mappings=false"), (context, port) -> {
            assertThat(context).doesNotHaveBean(StaticResourcesRegistrar.class);
            assertThat(RawHttp.get(port, "/").status()).isEqualTo(404);
            assertThat(RawHttp.get(port, "/letters.txt").status()).isEqualTo(404);
        });
    }

    @Test
    void anEmptyListOfLocationsServesNothing() {
        serve(runner.withPropertyValues("spring.web.resources.static-locations="), (context, port) ->
                assertThat(RawHttp.get(port, "/letters.txt").status()).isEqualTo(404));
    }

    @Test
    void backsOffFromARegistrarOfTheApplication() {
        runner.withUserConfiguration(OwnRegistrar.class).run(context -> {
            assertThat(context).hasSingleBean(StaticResourcesRegistrar.class);
            assertThat(context).getBean(StaticResourcesRegistrar.class).isSameAs(OwnRegistrar.REGISTRAR);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnRegistrar {

        static final StaticResourcesRegistrar REGISTRAR = new StaticResourcesRegistrar(new WebProperties.Resources(),
                new SluiceResourcesProperties(), new DefaultResourceLoader(), Map.of());

        @Bean
        StaticResourcesRegistrar ownRegistrar() {
            return REGISTRAR;
        }
    }

    @Test
    void staysOutOfServletAndReactiveApplications() {
        new WebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StaticResourcesRegistrar.class));
        new ReactiveWebApplicationContextRunner().withConfiguration(CONFIGURATIONS)
                .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(StaticResourcesRegistrar.class));
    }

    @Test
    void aNegativeOrTooLargeSizeFailsTheStartupNamingTheProperty() {
        assertInvalid("sluice.web.resources.in-memory.max-file-size", "-1B");
        assertInvalid("sluice.web.resources.in-memory.max-file-size", "4GB");
        assertInvalid("sluice.web.resources.in-memory.max-total-size", "-1MB");
    }

    private void assertInvalid(String property, String value) {
        runner.withPropertyValues(property + "=" + value).run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(InvalidConfigurationPropertyValueException.class)
                    .hasMessageContaining(property);
        });
    }

    @Test
    void cacheControlAndLastModifiedFollowBootsKeys() {
        serve(runner.withPropertyValues("spring.web.resources.cache.period=1h",
                "spring.web.resources.cache.cachecontrol.max-age=1d",
                "spring.web.resources.cache.cachecontrol.cache-public=true",
                "spring.web.resources.cache.use-last-modified=false"), (context, port) -> {
                    Response response = RawHttp.get(port, "/letters.txt");
                    assertThat(response.header("Cache-Control")).isEqualTo("max-age=86400, public");
                    assertThat(response.header("Last-Modified")).isNull();
                    // Without Last-Modified there is no date to compare: If-Modified-Since is ignored.
                    assertThat(RawHttp.get(port, "/letters.txt", "If-Modified-Since: Fri, 31 Dec 9999 23:59:59 GMT")
                            .status()).isEqualTo(200);
                });
    }

    @Test
    void mimeMappingsExtendTheBuiltInTypes() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("site"));
        Files.writeString(folder.resolve("notes.adoc"), "= Notes\n");
        serve(runner.withPropertyValues(location(folder), "server.mime-mappings.adoc=text/asciidoc"),
                (context, port) -> assertThat(RawHttp.get(port, "/notes.adoc").header("Content-Type"))
                        .isEqualTo("text/asciidoc"));
    }

    @Test
    void aFileLargerThanTheMemoryLimitIsStreamedWholeOrInPart() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("site"));
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Files.write(folder.resolve("video.mp4"), content);
        serve(runner.withPropertyValues(location(folder), "sluice.web.resources.in-memory.max-file-size=64KB"),
                (context, port) -> {
                    Response whole = RawHttp.get(port, "/video.mp4");
                    assertThat(whole.status()).isEqualTo(200);
                    assertThat(whole.header("Content-Type")).isEqualTo("video/mp4");
                    assertThat(whole.header("Content-Length")).isEqualTo("300000");
                    assertThat(whole.body()).isEqualTo(content);
                    // Identified by length and modification time, as it is not read to be hashed.
                    assertThat(whole.header("ETag")).startsWith("\"" + Long.toHexString(content.length) + "-");

                    Response part = RawHttp.get(port, "/video.mp4", "Range: bytes=200000-200099");
                    assertThat(part.status()).isEqualTo(206);
                    assertThat(part.header("Content-Range")).isEqualTo("bytes 200000-200099/300000");
                    assertThat(part.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 200_000, 200_100));

                    Response tail = RawHttp.get(port, "/video.mp4", "Range: bytes=-10");
                    assertThat(tail.body()).isEqualTo(java.util.Arrays.copyOfRange(content, 299_990, 300_000));

                    Response head = RawHttp.send(port, "HEAD", "/video.mp4");
                    assertThat(head.header("Content-Length")).isEqualTo("300000");
                    assertThat(head.body()).isEmpty();

                    assertThat(RawHttp.get(port, "/video.mp4", "If-None-Match: " + whole.header("ETag")).status())
                            .isEqualTo(304);
                });
    }

    @Test
    void aFileChangedOnDiskIsServedAnewWithANewTag() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("site"));
        Path page = Files.writeString(folder.resolve("page.html"), "<p>first</p>");
        serve(runner.withPropertyValues(location(folder)), (context, port) -> {
            Response first = RawHttp.get(port, "/page.html");
            assertThat(first.text()).isEqualTo("<p>first</p>");

            Files.writeString(page, "<p>second</p>");
            Files.setLastModifiedTime(page, FileTime.from(Instant.now().plusSeconds(60)));
            Response second = RawHttp.get(port, "/page.html");
            assertThat(second.text()).isEqualTo("<p>second</p>");
            assertThat(second.header("ETag")).isNotEqualTo(first.header("ETag"));
            assertThat(RawHttp.get(port, "/page.html", "If-None-Match: " + first.header("ETag")).status())
                    .isEqualTo(200);

            Files.delete(page);
            assertThat(RawHttp.get(port, "/page.html").status()).isEqualTo(404);
        });
    }

    @Test
    void withNoMemoryBudgetFilesAreReadOnEachRequestWithTheSameTag() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("site"));
        Files.writeString(folder.resolve("a.txt"), "alpha");
        serve(runner.withPropertyValues(location(folder), "sluice.web.resources.in-memory.max-total-size=0"),
                (context, port) -> {
                    Response first = RawHttp.get(port, "/a.txt");
                    Response second = RawHttp.get(port, "/a.txt");
                    assertThat(second.text()).isEqualTo(first.text()).isEqualTo("alpha");
                    assertThat(second.header("ETag")).isEqualTo(first.header("ETag"));
                    assertThat(RawHttp.get(port, "/a.txt", "If-None-Match: " + first.header("ETag")).status())
                            .isEqualTo(304);
                });
    }

    @Test
    void aFileSystemLocationNeverServesTheFilesBesideIt() throws IOException {
        Path folder = Files.createDirectories(temp.resolve("site"));
        Files.writeString(folder.resolve("index.html"), "<p>site</p>");
        Files.writeString(temp.resolve("secret.txt"), "CANARY");
        Files.writeString(temp.resolve("site-secret.txt"), "CANARY");
        serve(runner.withPropertyValues(location(folder)), (context, port) -> {
            assertThat(RawHttp.get(port, "/").text()).isEqualTo("<p>site</p>");
            for (String target : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                    "/%252e%252e/secret.txt", "/..;/secret.txt", "/" + temp.resolve("secret.txt"),
                    "/" + temp.resolve("secret.txt").toUri(), "/../site-secret.txt", "/%2e%2e%2fsite-secret.txt")) {
                Response response = RawHttp.get(port, target);
                assertThat(response.status()).as(target).isEqualTo(404);
                assertThat(response.text()).as(target).doesNotContain("CANARY");
            }
        });
    }

    @Test
    void theClassPathRootAsALocationStillHidesClassesAndMetaInf() {
        serve(runner.withPropertyValues("spring.web.resources.static-locations=classpath:/"), (context, port) -> {
            assertThat(RawHttp.get(port, "/static/letters.txt").status()).isEqualTo(200);
            assertThat(RawHttp.get(port, "/io/sluice/boot/web/resources/StaticPath.class").status()).isEqualTo(404);
            assertThat(RawHttp.get(port, "/META-INF/resources/from-meta-inf.txt").status()).isEqualTo(404);
        });
    }

    @Test
    void filesInsideAJarAreServedAndItsFoldersAreNot() throws IOException {
        Path jar = temp.resolve("site.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            directory(out, "static/");
            file(out, "static/jarred.css", "p { margin: 0 }");
            directory(out, "static/guide/");
            file(out, "static/guide/index.html", "<p>guide</p>");
            directory(out, "static/images/");
            file(out, "static/images/dot.svg", "<svg/>");
        }
        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, getClass().getClassLoader())) {
            serve(runner.withClassLoader(loader), (context, port) -> {
                Response css = RawHttp.get(port, "/jarred.css");
                assertThat(css.status()).isEqualTo(200);
                assertThat(css.text()).isEqualTo("p { margin: 0 }");
                assertThat(css.header("Content-Type")).isEqualTo("text/css; charset=utf-8");
                assertThat(RawHttp.get(port, "/jarred.css", "If-None-Match: " + css.header("ETag")).status())
                        .isEqualTo(304);
                assertThat(RawHttp.get(port, "/guide/").text()).isEqualTo("<p>guide</p>");
                assertThat(RawHttp.get(port, "/guide").header("Location")).isEqualTo("/guide/");
                // A folder entry of the jar is no file, with or without its slash.
                assertThat(RawHttp.get(port, "/images").status()).isEqualTo(404);
                assertThat(RawHttp.get(port, "/images/").status()).isEqualTo(404);
                assertThat(RawHttp.get(port, "/images/dot.svg").header("Content-Type")).isEqualTo("image/svg+xml");
            });
        }
    }

    @Test
    void theBootKeysHonouredAreDocumented() throws IOException {
        String docs = Files.readString(Path.of("../docs/configuration.md"));
        assertThat(List.of("spring.web.resources.add-mappings", "spring.web.resources.static-locations",
                "spring.web.resources.cache.period", "spring.web.resources.cache.cachecontrol.*",
                "spring.web.resources.cache.use-last-modified", "server.mime-mappings.*"))
                .allSatisfy(key -> assertThat(docs).as("docs/configuration.md").contains("`" + key + "`"));
    }

    private static void directory(JarOutputStream jar, String name) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.closeEntry();
    }

    private static void file(JarOutputStream jar, String name, String content) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        OutputStream out = jar;
        out.write(content.getBytes(StandardCharsets.UTF_8));
        jar.closeEntry();
    }

    private static String location(Path folder) {
        return "spring.web.resources.static-locations=" + folder.toUri();
    }
}
