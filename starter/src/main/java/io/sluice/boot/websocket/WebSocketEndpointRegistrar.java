package io.sluice.boot.websocket;

import io.sluice.api.WebSocketRoute;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import io.sluice.server.SluiceServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.convert.ConversionService;

/**
 * Serves every {@link WebSocketEndpoint @WebSocketEndpoint} bean: reads them once all singletons exist (so a
 * mistake fails startup, naming the bean and method), then adds their routes to each server it customizes.
 */
public final class WebSocketEndpointRegistrar implements SluiceServerCustomizer, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(WebSocketEndpointRegistrar.class);

    private final ListableBeanFactory beanFactory;
    private final EndpointIntrospector introspector;
    private List<WebSocketRoute> routes;

    /**
     * @param conversions converts path variables to the types of {@code @PathVar} parameters
     * @param codec binds and writes JSON messages, or {@code null} when the application has no JSON codec
     */
    public WebSocketEndpointRegistrar(ListableBeanFactory beanFactory, ConversionService conversions, JsonCodec codec) {
        this.beanFactory = beanFactory;
        this.introspector = new EndpointIntrospector(conversions, codec);
    }

    @Override
    public void afterSingletonsInstantiated() {
        routes();
    }

    @Override
    public void customize(SluiceServer.Builder builder) {
        routes().forEach(builder::webSocket);
    }

    /** The routes of the endpoint beans, read on first use. */
    public synchronized List<WebSocketRoute> routes() {
        if (routes == null) {
            routes = discover();
        }
        return routes;
    }

    private List<WebSocketRoute> discover() {
        Map<String, EndpointIntrospector.Endpoint> byShape = new HashMap<>();
        List<WebSocketRoute> found = new ArrayList<>();
        for (String name : beanFactory.getBeanNamesForAnnotation(WebSocketEndpoint.class)) {
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue;
            }
            EndpointIntrospector.Endpoint endpoint = introspector.introspect(name, beanFactory.getBean(name));
            EndpointIntrospector.Endpoint previous = byShape.putIfAbsent(endpoint.shape(), endpoint);
            if (previous != null) {
                throw new InvalidWebSocketEndpointException("WebSocket endpoints " + previous.describe() + " at "
                        + previous.path() + " and " + endpoint.describe() + " at " + endpoint.path()
                        + " serve the same paths; give each endpoint its own path");
            }
            log.debug("WebSocket endpoint '{}' serves {} ({})", name, endpoint.path(), endpoint.route().dispatch());
            found.add(endpoint.route());
        }
        return List.copyOf(found);
    }
}
