package io.sluice.boot.web;

import io.sluice.api.Route;
import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.web.annotation.SluiceController;
import io.sluice.server.SluiceServer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.scope.ScopedProxyUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.convert.ConversionService;

/**
 * Serves the endpoints of every {@link SluiceController} bean: reads them once all singletons exist (so a
 * broken endpoint fails the application's start, naming the method), then adds their routes whenever the
 * server is built.
 */
public class HttpEndpointRegistrar implements SluiceServerCustomizer, SmartInitializingSingleton {

    private static final Logger log = LoggerFactory.getLogger(HttpEndpointRegistrar.class);

    private final ListableBeanFactory beans;
    private final ConversionService conversion;
    private final ObjectProvider<JsonCodec> codec;
    private final ObjectProvider<EndpointInstrumentation> instrumentation;
    private List<Endpoint> endpoints;
    private List<Route> routes;

    /**
     * @param conversion converts path variables, query parameters and headers to parameter types
     * @param codec the JSON codec for bodies and results, when the application has one
     * @param instrumentation wraps the endpoints' handlers, when the application has one (e.g. for metrics)
     */
    public HttpEndpointRegistrar(ListableBeanFactory beans, ConversionService conversion,
            ObjectProvider<JsonCodec> codec, ObjectProvider<EndpointInstrumentation> instrumentation) {
        this.beans = beans;
        this.conversion = conversion;
        this.codec = codec;
        this.instrumentation = instrumentation;
    }

    @Override
    public void afterSingletonsInstantiated() {
        routes();
    }

    @Override
    public void customize(SluiceServer.Builder builder) {
        builder.routes(routes());
    }

    /** The endpoints found, in path order. */
    public synchronized List<Endpoint> endpoints() {
        if (endpoints == null) {
            endpoints = findEndpoints();
        }
        return endpoints;
    }

    private synchronized List<Route> routes() {
        if (routes == null) {
            EndpointInstrumentation wrapper = instrumentation.getIfAvailable();
            List<Route> built = new ArrayList<>();
            for (Endpoint endpoint : endpoints()) {
                built.add(endpoint.route(wrapper));
            }
            routes = List.copyOf(built);
        }
        return routes;
    }

    private List<Endpoint> findEndpoints() {
        EndpointFactory factory = new EndpointFactory(conversion, codec.getIfAvailable());
        List<Endpoint> found = new ArrayList<>();
        for (String name : beans.getBeanNamesForAnnotation(SluiceController.class)) {
            if (ScopedProxyUtils.isScopedTarget(name)) {
                continue; // served through its scoped proxy, which is found under the plain name
            }
            Object bean = beans.getBean(name);
            found.addAll(factory.endpointsOf(bean, AopProxyUtils.ultimateTargetClass(bean)));
        }
        requireDistinctRoutes(found);
        found.sort(Comparator.comparing(Endpoint::pathTemplate).thenComparing(Endpoint::method));
        if (log.isDebugEnabled()) {
            found.forEach(endpoint -> log.debug("Mapped {} {} to {} ({})", endpoint.method(), endpoint.pathTemplate(),
                    endpoint.handlerMethod(), endpoint.dispatch()));
        }
        if (!found.isEmpty()) {
            log.info("Mapped {} HTTP endpoint{}", found.size(), found.size() == 1 ? "" : "s");
        }
        return List.copyOf(found);
    }

    /**
     * Refuses two endpoints that would serve the same requests: the same HTTP method and templates that differ
     * at most in variable names. The engine would refuse them too, but could not say which methods clash.
     */
    private static void requireDistinctRoutes(List<Endpoint> endpoints) {
        Map<String, Endpoint> byShape = new HashMap<>();
        for (Endpoint endpoint : endpoints) {
            Endpoint previous = byShape.putIfAbsent(endpoint.method() + " " + shape(endpoint.pathTemplate()), endpoint);
            if (previous != null) {
                throw new InvalidEndpointException("Duplicate endpoint " + endpoint.method() + " "
                        + endpoint.pathTemplate() + ": both " + previous.handlerMethod() + " (" + previous.method() + " "
                        + previous.pathTemplate() + ") and " + endpoint.handlerMethod() + " serve the same requests");
            }
        }
    }

    /** The template with variable names erased: {@code /users/{id}} and {@code /users/{name}} match the same paths. */
    private static String shape(String template) {
        return template.replaceAll("\\{[^/}]*}", "{}");
    }
}
