package io.sluice.boot.actuate;

import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusOutputFormat;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.prometheus.PrometheusScrapeEndpoint;
import org.springframework.util.MimeType;

/**
 * Serves Boot's {@link PrometheusScrapeEndpoint} from the engine, for applications without a web stack:
 * {@code GET} (and {@code HEAD}) on {@code /actuator/prometheus} answers the Prometheus text format 0.0.4,
 * or OpenMetrics 1.0.0 when the {@code Accept} header prefers it, as the actuator does over Spring MVC or
 * WebFlux. {@code ?includedNames=a,b} limits the scrape to those metric names. Runs on workers: a scrape
 * walks every meter.
 */
public final class PrometheusScrapeRoute implements SluiceServerCustomizer {

    /** The text formats, the default first; the endpoint also speaks protobuf, which we do not offer. */
    private static final List<PrometheusOutputFormat> FORMATS = List.of(PrometheusOutputFormat.CONTENT_TYPE_004,
            PrometheusOutputFormat.CONTENT_TYPE_OPENMETRICS_100);
    private static final List<MimeType> MIME_TYPES = FORMATS.stream().map(PrometheusOutputFormat::getProducedMimeType)
            .toList();

    private static final int NOT_ACCEPTABLE = 406;

    private final PrometheusScrapeEndpoint endpoint;
    private final String path;

    /**
     * @param endpoint Boot's scrape endpoint
     * @param path     where to serve it, e.g. {@code /actuator/prometheus}
     */
    public PrometheusScrapeRoute(PrometheusScrapeEndpoint endpoint, String path) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public void customize(SluiceServer.Builder builder) {
        builder.route(Route.of("GET", path, this::scrape));
    }

    /** The path the scrape is served on. */
    public String path() {
        return path;
    }

    HttpResponse scrape(HttpRequest request) {
        int chosen = ContentNegotiation.choose(request.header("Accept"), MIME_TYPES);
        if (chosen == ContentNegotiation.NOT_ACCEPTABLE) {
            return HttpResponse.error(NOT_ACCEPTABLE);
        }
        PrometheusOutputFormat format = FORMATS.get(chosen);
        WebEndpointResponse<byte[]> scraped = endpoint.scrape(format, includedNames(request));
        byte[] body = scraped.getBody();
        return HttpResponse.status(scraped.getStatus())
                .contentType(MIME_TYPES.get(chosen).toString())
                .header("Vary", "Accept")
                .body(body != null ? body : new byte[0]);
    }

    /** {@code includedNames}, repeated or comma-separated as Boot binds it; {@code null} (all) when absent. */
    private static Set<String> includedNames(HttpRequest request) {
        List<String> values = request.query().all("includedNames");
        if (values.isEmpty()) {
            return null;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String value : values) {
            for (String name : value.split(",")) {
                if (!name.isBlank()) {
                    names.add(name.trim());
                }
            }
        }
        return names;
    }
}
