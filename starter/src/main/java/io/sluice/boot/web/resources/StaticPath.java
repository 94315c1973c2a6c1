package io.sluice.boot.web.resources;

import io.sluice.http.UriCodec;

/**
 * Turns a request's raw path into the path of a file relative to a static location, or refuses it.
 *
 * <p>This is the only gate between a client's path and a file lookup, so it accepts a deliberately small
 * language: segments of printable characters separated by single slashes, decoded exactly once. Anything a
 * lookup could read differently from this check is refused rather than normalised, because normalising
 * is how traversal bugs are made:
 * <ul>
 *   <li>{@code .} and {@code ..} segments, and empty ones ({@code //}), in any spelling: decoding happens
 *       before the check, so {@code %2e%2e} is {@code ..};
 *   <li>encoded slashes and backslashes ({@code %2F}, {@code %5C}), which would make one segment two for a
 *       file system while this check saw one, and a {@code %} left after decoding, which means the path was
 *       encoded twice ({@code %252e});
 *   <li>backslashes, control characters (an encoded NUL among them), {@code :} (drive letters, URL schemes,
 *       NTFS streams) and {@code ;} (path parameters, which servlet containers strip and file systems do not);
 *   <li>{@code META-INF} and {@code WEB-INF} segments, and {@code .class} files, which a location such as
 *       {@code classpath:/} would otherwise expose.
 * </ul>
 * A path ending in {@code /} names a folder; its relative path ends in {@code /} too (the root is {@code ""}).
 */
final class StaticPath {

    private StaticPath() {
    }

    /**
     * The relative path that {@code rawPath} names, without a leading slash, or {@code null} when it must be
     * answered 404 without looking anything up.
     *
     * @param rawPath the request's path as received: percent-encoded, without the query
     */
    static String relativePath(String rawPath) {
        if (rawPath.isEmpty() || rawPath.charAt(0) != '/') {
            return null;
        }
        String decoded = rawPath;
        if (rawPath.indexOf('%') >= 0) {
            if (hasEncodedSeparator(rawPath)) {
                return null;
            }
            decoded = UriCodec.decodePath(rawPath);
            if (decoded == null) {
                return null;
            }
        }
        return isAcceptable(decoded) ? decoded.substring(1) : null;
    }

    private static boolean hasEncodedSeparator(String raw) {
        for (int i = raw.indexOf('%'); i >= 0 && i + 2 < raw.length(); i = raw.indexOf('%', i + 1)) {
            char high = raw.charAt(i + 1);
            char low = raw.charAt(i + 2);
            if ((high == '2' && (low == 'f' || low == 'F')) || (high == '5' && (low == 'c' || low == 'C'))) {
                return true;
            }
        }
        return false;
    }

    /** Checks the decoded path, which starts with '/', character by character and segment by segment. */
    private static boolean isAcceptable(String path) {
        int segmentStart = 1;
        for (int i = 1; i <= path.length(); i++) {
            if (i == path.length() || path.charAt(i) == '/') {
                boolean last = i == path.length();
                if (!isAcceptableSegment(path, segmentStart, i, last)) {
                    return false;
                }
                segmentStart = i + 1;
                continue;
            }
            char c = path.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '\\' || c == ':' || c == ';' || c == '%') {
                return false;
            }
        }
        return true;
    }

    private static boolean isAcceptableSegment(String path, int start, int end, boolean last) {
        int length = end - start;
        if (length == 0) {
            return last; // only the empty name after a final '/': the folder itself
        }
        if (length <= 2 && path.charAt(start) == '.' && (length == 1 || path.charAt(start + 1) == '.')) {
            return false;
        }
        if (isNamed(path, start, length, "META-INF") || isNamed(path, start, length, "WEB-INF")) {
            return false;
        }
        return !(last && length > 6 && path.regionMatches(true, end - 6, ".class", 0, 6));
    }

    private static boolean isNamed(String path, int start, int length, String name) {
        return length == name.length() && path.regionMatches(true, start, name, 0, length);
    }
}
