package io.sluice.boot.web.resources;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.autoconfigure.web.WebProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;
import org.springframework.http.CacheControl;

/**
 * The header rendered without {@code spring-web} is the one Boot's servers send with it: compared with
 * {@code Cachecontrol.toHttpCacheControl()}, which the test class path can run.
 */
class CacheControlHeaderTest {

    static Stream<Map<String, String>> cachecontrolSettings() {
        String prefix = "spring.web.resources.cache.cachecontrol.";
        return Stream.of(
                Map.of(prefix + "max-age", "1h"),
                Map.of(prefix + "max-age", "60", prefix + "cache-public", "true", prefix + "must-revalidate", "true"),
                Map.of(prefix + "no-cache", "true", prefix + "max-age", "10m"),
                Map.of(prefix + "no-store", "true", prefix + "no-cache", "true", prefix + "cache-private", "true"),
                Map.of(prefix + "no-transform", "true", prefix + "proxy-revalidate", "true", prefix + "s-max-age", "2h",
                        prefix + "stale-if-error", "30s", prefix + "stale-while-revalidate", "1m"),
                Map.of(prefix + "max-age", "0", prefix + "cache-public", "false", prefix + "must-revalidate", "true"),
                Map.of(prefix + "max-age", "1d", prefix + "must-revalidate", "true", prefix + "no-transform", "true",
                        prefix + "cache-public", "true", prefix + "cache-private", "true", prefix + "proxy-revalidate",
                        "true", prefix + "s-max-age", "1h", prefix + "stale-if-error", "1", prefix
                                + "stale-while-revalidate", "2"));
    }

    @ParameterizedTest
    @MethodSource("cachecontrolSettings")
    void cachecontrolRendersAsSpringDoes(Map<String, String> settings) {
        WebProperties.Resources.Cache cache = bind(settings).getResources().getCache();

        CacheControl spring = cache.getCachecontrol().toHttpCacheControl();
        assertThat(spring).isNotNull();
        assertThat(CacheControlHeader.of(cache)).isEqualTo(spring.getHeaderValue());
    }

    @Test
    void periodGivesMaxAgeWhenNoDirectiveIsSet() {
        assertThat(CacheControlHeader.of(bind(Map.of("spring.web.resources.cache.period", "3600"))
                .getResources().getCache())).isEqualTo("max-age=3600");
        assertThat(CacheControlHeader.of(bind(Map.of("spring.web.resources.cache.period", "2d"))
                .getResources().getCache())).isEqualTo("max-age=172800");
        // Spring MVC's rule for a cache period of 0 seconds: prevent caching altogether.
        assertThat(CacheControlHeader.of(bind(Map.of("spring.web.resources.cache.period", "0"))
                .getResources().getCache())).isEqualTo("no-store");
    }

    @Test
    void cachecontrolWinsOverPeriod() {
        assertThat(CacheControlHeader.of(bind(Map.of("spring.web.resources.cache.period", "1h",
                "spring.web.resources.cache.cachecontrol.no-cache", "true")).getResources().getCache()))
                .isEqualTo("no-cache");
    }

    @Test
    void nothingSetSendsNoHeader() {
        assertThat(CacheControlHeader.of(new WebProperties().getResources().getCache())).isNull();
    }

    private static WebProperties bind(Map<String, String> settings) {
        return new Binder(new MapConfigurationPropertySource(settings)).bind("spring.web", WebProperties.class)
                .orElseGet(WebProperties::new);
    }
}
