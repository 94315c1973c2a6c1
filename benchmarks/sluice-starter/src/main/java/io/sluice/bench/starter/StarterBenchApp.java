package io.sluice.bench.starter;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The benchmark endpoints written the way a user of the starter writes them: annotated beans, a
 * {@code String} return for plaintext, a record serialised by Jackson for JSON, a {@code byte[]} body for
 * the echo, and an annotated WebSocket endpoint.
 * {@code java -jar sluice-bench-sluice-starter.jar <port> [loop|worker]}: {@code loop} runs the handlers on
 * the event loop ({@code @NonBlocking}), to compare with the raw engine's loop mode; {@code worker} (the
 * starter's default dispatch) compares with the raw engine's worker mode.
 */
@SpringBootApplication
public class StarterBenchApp {

    public static void main(String[] args) {
        String port = args.length > 0 ? args[0] : System.getenv().getOrDefault("PORT", "8080");
        String mode = args.length > 1 ? args[1] : "loop";
        if (!mode.equals("loop") && !mode.equals("worker")) {
            throw new IllegalArgumentException("mode must be loop or worker, not " + mode);
        }
        Map<String, Object> properties = new HashMap<>(Map.of(
                "server.port", port,
                "bench.mode", mode,
                "spring.main.banner-mode", "off"));
        // The runner's idle-connection scenario passes the same overrides to every peer.
        Integer idleTimeout = Integer.getInteger("bench.idleTimeout");
        if (idleTimeout != null) {
            properties.put("sluice.timeouts.idle", idleTimeout + "s");
        }
        Integer maxConnections = Integer.getInteger("bench.maxConnections");
        if (maxConnections != null) {
            properties.put("sluice.max-connections", maxConnections);
        }
        SpringApplication app = new SpringApplication(StarterBenchApp.class);
        app.setDefaultProperties(properties);
        app.run(Arrays.copyOfRange(args, Math.min(2, args.length), args.length));
    }
}
