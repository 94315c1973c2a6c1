package io.sluice.boot.web.resources;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a static file, from its extension: a compact table of what web pages are
 * made of, extended or overridden by Boot's {@code server.mime-mappings}. Text types declare UTF-8, the
 * encoding of nearly every file a build writes; a file of an unknown type is
 * {@code application/octet-stream}, which a browser downloads rather than guesses at.
 */
final class MediaTypes {

    static final String OCTET_STREAM = "application/octet-stream";

    private static final Map<String, String> BUILT_IN = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"),
            Map.entry("htm", "text/html; charset=utf-8"),
            Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"),
            Map.entry("txt", "text/plain; charset=utf-8"),
            Map.entry("csv", "text/csv; charset=utf-8"),
            Map.entry("xml", "text/xml; charset=utf-8"),
            Map.entry("md", "text/markdown; charset=utf-8"),
            Map.entry("json", "application/json"),
            Map.entry("map", "application/json"),
            Map.entry("webmanifest", "application/manifest+json"),
            Map.entry("wasm", "application/wasm"),
            Map.entry("pdf", "application/pdf"),
            Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("webp", "image/webp"),
            Map.entry("avif", "image/avif"),
            Map.entry("ico", "image/x-icon"),
            Map.entry("woff", "font/woff"),
            Map.entry("woff2", "font/woff2"),
            Map.entry("ttf", "font/ttf"),
            Map.entry("otf", "font/otf"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("ogg", "audio/ogg"));

    private final Map<String, String> byExtension;

    /**
     * @param overrides extension to media type, as in {@code server.mime-mappings}; extensions compare
     *     ignoring case, and a type is used exactly as given
     */
    MediaTypes(Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>(BUILT_IN);
        overrides.forEach((extension, type) -> all.put(extension.toLowerCase(Locale.ROOT), type));
        this.byExtension = Map.copyOf(all);
    }

    /** The content type of the file at {@code path}, by the extension of its last segment. */
    String forPath(String path) {
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return OCTET_STREAM;
        }
        String type = byExtension.get(path.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type != null ? type : OCTET_STREAM;
    }
}
