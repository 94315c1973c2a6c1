package io.sluice.boot.web.resources;

import java.time.Duration;
import java.util.StringJoiner;
import org.springframework.boot.autoconfigure.web.WebProperties;

/**
 * The {@code Cache-Control} value Boot's resource handlers send for {@code spring.web.resources.cache.*}:
 * the {@code cachecontrol.*} directives when any is set, else {@code max-age} from {@code period}
 * ({@code no-store} for a period of zero), else no header at all.
 *
 * <p>Boot turns these properties into Spring's {@code org.springframework.http.CacheControl}, which lives
 * in {@code spring-web}, a library a standalone application does not have; this renders the same value,
 * directive for directive and in the same order, from the same properties.
 */
final class CacheControlHeader {

    private CacheControlHeader() {
    }

    /** The header value, or {@code null} for none. */
    static String of(WebProperties.Resources.Cache cache) {
        String directives = directives(cache.getCachecontrol());
        if (directives != null) {
            return directives;
        }
        Duration period = cache.getPeriod();
        if (period == null) {
            return null;
        }
        return period.getSeconds() > 0 ? "max-age=" + period.getSeconds() : "no-store";
    }

    /**
     * As Boot's {@code Cachecontrol.toHttpCacheControl()}: {@code no-store} wins over {@code no-cache},
     * which wins over {@code max-age}; the other directives are added to whichever applies.
     */
    private static String directives(WebProperties.Resources.Cache.Cachecontrol control) {
        StringJoiner value = new StringJoiner(", ");
        if (isTrue(control.getNoStore())) {
            value.add("no-store");
        } else if (isTrue(control.getNoCache())) {
            value.add("no-cache");
        } else if (control.getMaxAge() != null) {
            value.add("max-age=" + control.getMaxAge().getSeconds());
        }
        addIf(value, control.getMustRevalidate(), "must-revalidate");
        addIf(value, control.getNoTransform(), "no-transform");
        addIf(value, control.getCachePublic(), "public");
        addIf(value, control.getCachePrivate(), "private");
        addIf(value, control.getProxyRevalidate(), "proxy-revalidate");
        addSeconds(value, control.getSMaxAge(), "s-maxage=");
        addSeconds(value, control.getStaleIfError(), "stale-if-error=");
        addSeconds(value, control.getStaleWhileRevalidate(), "stale-while-revalidate=");
        return value.length() == 0 ? null : value.toString();
    }

    private static void addIf(StringJoiner value, Boolean flag, String directive) {
        if (isTrue(flag)) {
            value.add(directive);
        }
    }

    private static void addSeconds(StringJoiner value, Duration duration, String directive) {
        if (duration != null) {
            value.add(directive + duration.getSeconds());
        }
    }

    private static boolean isTrue(Boolean flag) {
        return Boolean.TRUE.equals(flag);
    }
}
