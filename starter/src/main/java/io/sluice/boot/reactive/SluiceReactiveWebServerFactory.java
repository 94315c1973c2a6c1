package io.sluice.boot.reactive;

import io.sluice.boot.autoconfigure.SluiceProperties;
import io.sluice.boot.autoconfigure.SluiceServerConfigurer;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.server.SluiceServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.boot.web.server.Http2;
import org.springframework.boot.web.server.Shutdown;
import org.springframework.boot.web.server.Ssl;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.reactive.AbstractReactiveWebServerFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.util.unit.DataSize;

/**
 * Makes Sluice the server of a Spring WebFlux application: Boot asks it for the {@link WebServer} that runs
 * the application's {@link HttpHandler}. Port, address, shutdown mode, compression and server header come
 * from Boot's {@code server.*} properties through Boot's own customizer; the engine's settings from
 * {@code sluice.*}; {@link SluiceServerCustomizer}s run last (they may, for instance, add engine routes that
 * answer ahead of WebFlux).
 *
 * <p>Features the engine does not have yet fail fast: SSL and HTTP/2.
 */
public class SluiceReactiveWebServerFactory extends AbstractReactiveWebServerFactory {

    private SluiceProperties properties = new SluiceProperties();
    private DataSize maxRequestHeaderSize;
    private final List<SluiceServerCustomizer> customizers = new ArrayList<>();

    public SluiceReactiveWebServerFactory() {
    }

    public SluiceReactiveWebServerFactory(int port) {
        super(port);
    }

    /** The engine's settings ({@code sluice.*}). */
    public void setProperties(SluiceProperties properties) {
        this.properties = Objects.requireNonNull(properties, "properties");
    }

    public SluiceProperties getProperties() {
        return properties;
    }

    /**
     * The largest request header section ({@code server.max-http-request-header-size}); {@code null} leaves
     * {@code sluice.limits.max-header-size} in charge.
     */
    public void setMaxRequestHeaderSize(DataSize size) {
        this.maxRequestHeaderSize = size;
    }

    public DataSize getMaxRequestHeaderSize() {
        return maxRequestHeaderSize;
    }

    /** Customizers applied to the engine's builder after every setting, in order. */
    public void setServerCustomizers(List<? extends SluiceServerCustomizer> customizers) {
        this.customizers.clear();
        this.customizers.addAll(customizers);
    }

    public void addServerCustomizers(SluiceServerCustomizer... customizers) {
        this.customizers.addAll(List.of(customizers));
    }

    /**
     * Builds the server without binding it: Boot calls this while the context refreshes, long before
     * {@link WebServer#start()}.
     *
     * @throws IllegalStateException when SSL or HTTP/2 is asked for
     */
    @Override
    public WebServer getWebServer(HttpHandler httpHandler) {
        refuseUnsupported();
        SluiceServer.Builder builder = SluiceServer.builder().port(getPort()).address(getAddress());
        new SluiceServerConfigurer(properties).configure(builder);
        if (maxRequestHeaderSize != null) {
            builder.maxHeaderSize((int) Math.min(Integer.MAX_VALUE, maxRequestHeaderSize.toBytes()));
        }
        if (getServerHeader() != null) {
            builder.serverHeader(getServerHeader());
        }
        ResponseCompression compression = ResponseCompression.of(getCompression());
        builder.fallback(new SluiceHttpHandlerAdapter(httpHandler, DefaultDataBufferFactory.sharedInstance, compression));
        customizers.forEach(customizer -> customizer.customize(builder));
        return new SluiceReactiveWebServer(builder.build(), getShutdown() == Shutdown.GRACEFUL);
    }

    private void refuseUnsupported() {
        Ssl ssl = getSsl();
        if (Ssl.isEnabled(ssl)) {
            throw new IllegalStateException("Sluice does not support SSL yet, but server.ssl is enabled"
                    + (ssl.getBundle() != null ? " (bundle '" + ssl.getBundle() + "')" : "")
                    + ". Terminate TLS in front of the application (a proxy or load balancer), or set"
                    + " server.ssl.enabled=false.");
        }
        Http2 http2 = getHttp2();
        if (http2 != null && http2.isEnabled()) {
            throw new IllegalStateException("Sluice speaks HTTP/1.1 only, but server.http2.enabled is true."
                    + " Set server.http2.enabled=false, or terminate HTTP/2 in front of the application.");
        }
    }
}
