package io.sluice.boot.actuate;

import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointProperties;

/** Where an actuator endpoint lives: {@code management.endpoints.web.base-path} plus its id or path mapping. */
final class ActuatorPaths {

    private ActuatorPaths() {
    }

    /** {@code /actuator/health} by default; {@code /health} with base path {@code /}. */
    static String of(WebEndpointProperties web, String endpointId) {
        String mapped = web.getPathMapping().getOrDefault(endpointId, endpointId);
        while (mapped.startsWith("/")) {
            mapped = mapped.substring(1);
        }
        String base = web.getBasePath();
        while (base.endsWith("/")) {
            base = base.substring(0, base.length() - 1);
        }
        if (mapped.isEmpty()) {
            return base.isEmpty() ? "/" : base;
        }
        return base + "/" + mapped;
    }
}
