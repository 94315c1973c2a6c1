package io.sluice.boot.web.resources;

import java.time.DateTimeException;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * The validator comparisons of RFC 9110 §13 that a static file needs: {@code If-None-Match},
 * {@code If-Modified-Since} and {@code If-Range}. Entity-tags here are always strong and quoted.
 */
final class ConditionalRequest {

    private ConditionalRequest() {
    }

    /**
     * Whether an {@code If-None-Match} value matches {@code etag} by weak comparison (§13.1.2): it is
     * {@code *}, or lists the tag with or without {@code W/}. A malformed list matches nothing from the
     * malformation on, so the client gets the full response it can always use.
     */
    static boolean noneMatchHits(String ifNoneMatch, String etag) {
        if (ifNoneMatch.trim().equals("*")) {
            return true;
        }
        int length = ifNoneMatch.length();
        int i = 0;
        while (i < length) {
            char c = ifNoneMatch.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
                continue;
            }
            if (c == 'W' && i + 1 < length && ifNoneMatch.charAt(i + 1) == '/') {
                i += 2;
            }
            if (i >= length || ifNoneMatch.charAt(i) != '"') {
                return false;
            }
            // An opaque tag holds no '"', so the next one closes it (commas inside are part of it).
            int close = ifNoneMatch.indexOf('"', i + 1);
            if (close < 0) {
                return false;
            }
            if (close + 1 - i == etag.length() && ifNoneMatch.startsWith(etag, i)) {
                return true;
            }
            i = close + 1;
        }
        return false;
    }

    /**
     * Whether an {@code If-Modified-Since} value says the client's copy is current: the file was last
     * modified no later than that date. An unreadable date is ignored (§13.1.3), which means "modified".
     *
     * @param lastModifiedHeader what this server sends as {@code Last-Modified}, which clients echo
     * @param lastModifiedSecond the same instant in epoch seconds
     */
    static boolean notModifiedSince(String ifModifiedSince, String lastModifiedHeader, long lastModifiedSecond) {
        if (ifModifiedSince.equals(lastModifiedHeader)) {
            return true; // what browsers send: no date to parse
        }
        long since = epochSecond(ifModifiedSince);
        return since != Long.MIN_VALUE && lastModifiedSecond <= since;
    }

    /**
     * Whether an {@code If-Range} value still describes the file, so that the range may be served (§13.1.5):
     * a strong entity-tag equal to {@code etag}, or exactly the {@code Last-Modified} date. A weak tag never
     * matches.
     *
     * @param lastModifiedHeader the {@code Last-Modified} value sent, or {@code null} when none is
     */
    static boolean rangeStillValid(String ifRange, String etag, String lastModifiedHeader, long lastModifiedSecond) {
        String value = ifRange.trim();
        if (value.startsWith("\"") || value.startsWith("W/")) {
            return value.equals(etag);
        }
        if (lastModifiedHeader == null) {
            return false;
        }
        return value.equals(lastModifiedHeader) || epochSecond(value) == lastModifiedSecond;
    }

    /** An IMF-fixdate as epoch seconds, or {@link Long#MIN_VALUE} when it is not one. */
    private static long epochSecond(String httpDate) {
        try {
            return ZonedDateTime.parse(httpDate.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toEpochSecond();
        } catch (DateTimeException notADate) {
            return Long.MIN_VALUE;
        }
    }
}
