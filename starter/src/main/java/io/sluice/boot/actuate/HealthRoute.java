package io.sluice.boot.actuate;

import io.sluice.api.HttpRequest;
import io.sluice.api.HttpResponse;
import io.sluice.api.Route;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.routing.PathTemplate;
import io.sluice.server.SluiceServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.actuate.endpoint.ApiVersion;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.jackson.EndpointJsonMapper;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointWebExtension;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;

/**
 * Serves Boot's health endpoint from the engine, for applications without a web stack: {@code GET} (and
 * {@code HEAD}) on {@code /actuator/health}, and on {@code /actuator/health/<component or group>}.
 *
 * <p>It answers exactly as the actuator's web extension does over Spring MVC: the status code comes from
 * the group's {@code HttpCodeStatusMapper} (503 for {@code DOWN} and {@code OUT_OF_SERVICE}), components and
 * details are shown as {@code management.endpoint.health.show-components} / {@code show-details} allow for
 * an anonymous caller, and the body is {@code application/vnd.spring-boot.actuator.v3+json} (v2, or plain
 * {@code application/json}, when the {@code Accept} header asks). Runs on workers: health indicators may
 * block.
 */
public final class HealthRoute implements SluiceServerCustomizer {

    private static final List<MimeType> MIME_TYPES = List.of(ApiVersion.V3.getProducedMimeType(),
            ApiVersion.V2.getProducedMimeType(), MimeTypeUtils.APPLICATION_JSON);
    private static final List<ApiVersion> VERSIONS = List.of(ApiVersion.V3, ApiVersion.V2, ApiVersion.V3);
    private static final String[] NO_PATH = new String[0];
    private static final int NOT_ACCEPTABLE = 406;

    private final HealthEndpointWebExtension health;
    private final EndpointJsonMapper json;
    private final String path;

    /**
     * @param health what computes the health, as Boot's web extension does
     * @param json   the actuator's JSON mapper, or {@code null} without Jackson; the body is then only the status
     * @param path   where to serve it, e.g. {@code /actuator/health}
     */
    public HealthRoute(HealthEndpointWebExtension health, EndpointJsonMapper json, String path) {
        this.health = Objects.requireNonNull(health, "health");
        this.json = json;
        this.path = Objects.requireNonNull(path, "path");
    }

    @Override
    public void customize(SluiceServer.Builder builder) {
        // The trailing wildcard also matches the path itself, with nothing after it.
        builder.route(Route.of("GET", path.equals("/") ? "/*" : path + "/*", this::health));
    }

    /** The path the overall health is served on. */
    public String path() {
        return path;
    }

    HttpResponse health(HttpRequest request) {
        int chosen = ContentNegotiation.choose(request.header("Accept"), MIME_TYPES);
        if (chosen == ContentNegotiation.NOT_ACCEPTABLE) {
            return HttpResponse.error(NOT_ACCEPTABLE);
        }
        String rest = request.pathVariable(PathTemplate.WILDCARD_VARIABLE);
        String[] segments = rest == null || rest.isEmpty() ? NO_PATH : rest.split("/");
        WebEndpointResponse<HealthDescriptor> response = health.health(VERSIONS.get(chosen), WebServerNamespace.SERVER,
                SecurityContext.NONE, false, segments);
        HealthDescriptor descriptor = response.getBody();
        if (descriptor == null) {
            return HttpResponse.status(response.getStatus()).empty();
        }
        return HttpResponse.status(response.getStatus())
                .contentType(MIME_TYPES.get(chosen).toString())
                .header("Vary", "Accept")
                .body(toJson(descriptor));
    }

    private byte[] toJson(HealthDescriptor descriptor) {
        if (json != null) {
            return json.get().writeValueAsBytes(descriptor);
        }
        return ("{\"status\":\"" + escape(descriptor.getStatus().getCode()) + "\"}").getBytes(StandardCharsets.UTF_8);
    }

    private static String escape(String text) {
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                escaped.append('\\').append(c);
            } else if (c < 0x20) {
                escaped.append(String.format("\\u%04x", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
