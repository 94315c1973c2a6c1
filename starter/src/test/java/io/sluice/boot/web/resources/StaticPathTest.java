package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class StaticPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/                      | ''",
        "/index.html            | index.html",
        "/css/site.css          | css/site.css",
        "/docs/                 | docs/",
        "/caf%C3%A9.txt         | café.txt",
        "/with%20space.txt      | with space.txt",
        "/a+b.txt               | a+b.txt",
        "/.well-known/x.json    | .well-known/x.json",
        "/...                   | ...",
        "/..hidden              | ..hidden",
        "/file..txt             | file..txt",
        "/classes.txt           | classes.txt",
        "/my.class/readme.txt   | my.class/readme.txt",
        "/META-INF-notes.txt    | META-INF-notes.txt",
    })
    void acceptsPlainPaths(String rawPath, String relative) {
        assertThat(StaticPath.relativePath(rawPath)).isEqualTo(relative);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "index.html", "*",
        // dot-segments, plain and encoded in every case
        "/..", "/../secret.txt", "/static/../../secret.txt", "/a/./b", "/.", "/./", "/a/..", "/a/../",
        "/%2e%2e/secret.txt", "/%2E%2E/secret.txt", "/.%2e/secret.txt", "/%2e./secret.txt", "/%2e/secret.txt",
        // empty segments: absolute-looking paths and protocol-relative redirects
        "//etc/passwd", "/a//b", "//", "///",
        // encoded separators, which one decoding would turn into real ones
        "/..%2fsecret.txt", "/..%2Fsecret.txt", "/a%2fb", "/..%5csecret.txt", "/..%5Csecret.txt",
        // backslashes
        "/..\\secret.txt", "/a\\b",
        // double encoding: a '%' left after decoding
        "/%252e%252e/secret.txt", "/%252fetc", "/100%25.txt",
        // NUL and other controls
        "/index.html%00.txt", "/%00", "/a%0d%0ab", "/%7f", "/a%09b",
        // drive letters, schemes, NTFS streams
        "/C:/Windows/win.ini", "/c:%5cboot.ini", "/file:/etc/passwd", "/index.html::$DATA",
        // path parameters
        "/..;/secret.txt", "/index.html;jsessionid=1", "/a;b/c", "/%3b",
        // what a location such as classpath:/ would expose
        "/META-INF/MANIFEST.MF", "/meta-inf/maven/pom.xml", "/WEB-INF/web.xml", "/a/Web-Inf/x",
        "/io/sluice/Example.class", "/Example.CLASS",
        // malformed escapes and overlong UTF-8 (a smuggled '/' or '.')
        "/%zz", "/%2", "/%c0%af", "/%c0%ae%c0%ae/secret.txt", "/%e0%80%ae"
    })
    void refusesEverythingElse(String rawPath) {
        assertThat(StaticPath.relativePath(rawPath)).isNull();
    }
}
