package io.sluice.boot.web.resources;

import io.sluice.api.HttpHandler;
import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import java.io.IOException;

/**
 * Answers GET and HEAD with the static file the path names: {@code index.html} for a folder, a redirect
 * from a folder's name without its final slash, {@code 304} when the client's copy is current, {@code 206}
 * for a single byte range, and {@code 404} for anything else, including every path {@link StaticPath}
 * refuses. Runs on workers, because finding and reading a file blocks.
 */
final class StaticResourceHandler implements HttpHandler {

    static final String INDEX = "index.html";

    private static final HttpResponse NOT_FOUND = HttpResponse.error(404);

    private final StaticFiles files;

    StaticResourceHandler(StaticFiles files) {
        this.files = files;
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws IOException {
        String path = StaticPath.relativePath(request.rawPath());
        if (path == null) {
            return NOT_FOUND;
        }
        boolean folder = path.isEmpty() || path.endsWith("/");
        StaticFile file = files.find(folder ? path + INDEX : path);
        if (file == null) {
            // A folder named without its final slash: relative links in its index need the slash to resolve.
            if (!folder && files.find(path + "/" + INDEX) != null) {
                return redirectToFolder(request);
            }
            return NOT_FOUND;
        }
        return respond(request, file);
    }

    private static HttpResponse respond(HttpRequest request, StaticFile file) {
        // If-None-Match decides alone when present; If-Modified-Since is then ignored (RFC 9110 §13.2.2).
        String ifNoneMatch = request.header("If-None-Match");
        if (ifNoneMatch != null) {
            if (ConditionalRequest.noneMatchHits(ifNoneMatch, file.etag())) {
                return file.notModified();
            }
        } else if (file.lastModifiedHeader() != null) {
            String ifModifiedSince = request.header("If-Modified-Since");
            if (ifModifiedSince != null && ConditionalRequest.notModifiedSince(ifModifiedSince,
                    file.lastModifiedHeader(), file.lastModifiedSecond())) {
                return file.notModified();
            }
        }
        String range = request.header("Range");
        // Ranges are defined for GET only; a HEAD gets the headers of the whole file (RFC 9110 §14.2).
        if (range == null || !request.method().equals("GET")) {
            return file.whole();
        }
        String ifRange = request.header("If-Range");
        if (ifRange != null && !ConditionalRequest.rangeStillValid(ifRange, file.etag(), file.lastModifiedHeader(),
                file.lastModifiedSecond())) {
            return file.whole(); // the client's part belongs to another version: send the current one whole
        }
        ByteRange requested = ByteRange.of(range, file.length());
        if (requested.isWhole()) {
            return file.whole();
        }
        return requested.isUnsatisfiable() ? file.unsatisfiable() : file.part(requested);
    }

    private static HttpResponse redirectToFolder(HttpRequest request) {
        String query = request.rawQuery();
        String location = request.rawPath() + "/" + (query == null ? "" : "?" + query);
        return HttpResponse.status(301).header("Location", location).text("Moved Permanently\n");
    }
}
