package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MediaTypesTest {

    private final MediaTypes builtIn = new MediaTypes(Map.of());

    @ParameterizedTest(name = "{0} is {1}")
    @CsvSource(delimiter = '|', value = {
        "index.html           | text/html; charset=utf-8",
        "css/site.css         | text/css; charset=utf-8",
        "app.js               | text/javascript; charset=utf-8",
        "module.mjs           | text/javascript; charset=utf-8",
        "notes.txt            | text/plain; charset=utf-8",
        "data.json            | application/json",
        "app.js.map           | application/json",
        "logo.svg             | image/svg+xml",
        "photo.png            | image/png",
        "photo.jpg            | image/jpeg",
        "photo.JPEG           | image/jpeg",
        "anim.gif             | image/gif",
        "photo.webp           | image/webp",
        "favicon.ico          | image/x-icon",
        "fonts/a.woff         | font/woff",
        "fonts/a.woff2        | font/woff2",
        "lib.wasm             | application/wasm",
        "archive.tar.gz       | application/octet-stream",
        "README               | application/octet-stream",
        "v1.2/README          | application/octet-stream",
        "trailing.            | application/octet-stream",
    })
    void typeFollowsTheExtension(String path, String type) {
        assertThat(builtIn.forPath(path)).isEqualTo(type);
    }

    @Test
    void bootsMimeMappingsAddAndOverride() {
        MediaTypes types = new MediaTypes(Map.of("GZ", "application/gzip", "txt", "text/plain; charset=iso-8859-1"));

        assertThat(types.forPath("archive.tar.gz")).isEqualTo("application/gzip");
        assertThat(types.forPath("notes.txt")).isEqualTo("text/plain; charset=iso-8859-1");
        assertThat(types.forPath("index.html")).isEqualTo("text/html; charset=utf-8");
    }
}
