package io.sluice.boot.websocket;

import io.sluice.api.Dispatch;
import io.sluice.api.WebSocketRoute;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;
import io.sluice.routing.PathTemplate;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.convert.ConversionService;

/**
 * Reads one {@link WebSocketEndpoint @WebSocketEndpoint} bean into an engine route, rejecting at startup anything
 * that could only fail later: an invalid path or subprotocol, a callback declared twice, an unsupported signature.
 */
final class EndpointIntrospector {

    private final ConversionService conversions;
    private final JsonCodec codec;
    private final JsonMessages json;

    /** @param codec the application's JSON codec, or {@code null} when it has none */
    EndpointIntrospector(ConversionService conversions, JsonCodec codec) {
        this.conversions = conversions;
        this.codec = codec;
        this.json = codec == null ? null : new JsonMessages(codec);
    }

    /** An endpoint bean, read: its route and the key that equivalent paths share. */
    record Endpoint(String beanName, Class<?> type, String path, String shape, WebSocketRoute route) {

        String describe() {
            return "'" + beanName + "' (" + type.getName() + ")";
        }
    }

    Endpoint introspect(String beanName, Object bean) {
        Class<?> type = AopProxyUtils.ultimateTargetClass(bean);
        WebSocketEndpoint annotation = AnnotatedElementUtils.findMergedAnnotation(type, WebSocketEndpoint.class);
        if (annotation == null) {
            throw invalid(beanName, type, "is not annotated with @WebSocketEndpoint");
        }
        String path = annotation.path();
        if (path.isEmpty()) {
            throw invalid(beanName, type, "has no path; write @WebSocketEndpoint(\"/your/path\")");
        }
        PathTemplate template;
        try {
            template = PathTemplate.parse(path);
        } catch (IllegalArgumentException e) {
            throw invalid(beanName, type, "has an invalid path: " + e.getMessage());
        }
        for (String subprotocol : annotation.subprotocols()) {
            if (!isToken(subprotocol)) {
                throw invalid(beanName, type, "declares subprotocol '" + subprotocol
                        + "', which is not an HTTP token (letters, digits and !#$%&'*+-.^_`|~)");
            }
        }

        CallbackMethodFactory factory = new CallbackMethodFactory(beanName, bean, type, path, template.variableNames(),
                conversions, json);
        Callbacks callbacks = new Callbacks(beanName, type);
        Map<Method, Callback> methods = MethodIntrospector.selectMethods(type,
                (MethodIntrospector.MetadataLookup<Callback>) method -> callbackOf(beanName, type, factory, method));
        methods.forEach((method, kind) -> callbacks.add(kind, factory.create(kind, method)));

        Dispatch dispatch = AnnotatedElementUtils.hasAnnotation(type, NonBlocking.class) ? Dispatch.EVENT_LOOP : Dispatch.WORKER;
        String name = "WebSocket endpoint '" + beanName + "' at " + path;
        WebSocketRoute route = WebSocketRoute.of(path, callbacks.handler(name, codec)).dispatch(dispatch);
        if (annotation.subprotocols().length > 0) {
            route = route.withSubprotocols(annotation.subprotocols());
        }
        return new Endpoint(beanName, type, path, shape(template), route);
    }

    /** The callback {@code method} declares, {@code null} for none. */
    private static Callback callbackOf(String beanName, Class<?> type, CallbackMethodFactory factory, Method method) {
        List<Callback> declared = new ArrayList<>(1);
        for (Callback kind : Callback.values()) {
            if (AnnotatedElementUtils.hasAnnotation(method, kind.annotation())) {
                declared.add(kind);
            }
        }
        if (declared.isEmpty()) {
            return null;
        }
        if (declared.size() > 1) {
            throw invalid(beanName, type, "has " + factory.describe(method) + " annotated with both "
                    + declared.get(0).label() + " and " + declared.get(1).label() + "; a method handles one event");
        }
        if (AnnotatedElementUtils.hasAnnotation(method, NonBlocking.class)) {
            throw invalid(beanName, type, "has @NonBlocking on " + factory.describe(method)
                    + "; a WebSocket endpoint's callbacks all run in one place, so put @NonBlocking on the class");
        }
        return declared.get(0);
    }

    /** Collects an endpoint's callbacks, at most one per event and message kind. */
    private static final class Callbacks {

        private final String beanName;
        private final Class<?> type;
        private CallbackMethod onOpen;
        private CallbackMethod onText;
        private CallbackMethod onBinary;
        private CallbackMethod onClose;
        private CallbackMethod onError;

        Callbacks(String beanName, Class<?> type) {
            this.beanName = beanName;
            this.type = type;
        }

        void add(Callback kind, CallbackMethod method) {
            switch (kind) {
                case OPEN -> onOpen = only(onOpen, method, "@OnOpen methods");
                case MESSAGE -> {
                    if (method.eventType() == byte[].class) {
                        onBinary = only(onBinary, method, "@OnMessage methods for binary messages");
                    } else {
                        onText = only(onText, method, "@OnMessage methods for text messages");
                    }
                }
                case CLOSE -> onClose = only(onClose, method, "@OnClose methods");
                case ERROR -> onError = only(onError, method, "@OnError methods");
            }
        }

        private CallbackMethod only(CallbackMethod existing, CallbackMethod candidate, String what) {
            if (existing != null) {
                throw invalid(beanName, type, "has two " + what + ": " + existing + " and " + candidate);
            }
            return candidate;
        }

        AnnotatedEndpointHandler handler(String name, JsonCodec codec) {
            return new AnnotatedEndpointHandler(name, onOpen, onText, onBinary, onClose, onError, codec);
        }
    }

    /** Equal for templates that match the same paths: {@code /a/{x}} and {@code /a/{y}} share one. */
    static String shape(PathTemplate template) {
        StringBuilder shape = new StringBuilder();
        for (String segment : template.pattern().split("/")) {
            if (segment.isEmpty()) {
                continue;
            }
            // The template has been validated: a brace can only open a whole-segment variable.
            shape.append('/').append(segment.charAt(0) == '{' ? "{}" : segment);
        }
        return shape.length() == 0 ? "/" : shape.toString();
    }

    /** An HTTP token (RFC 9110 §5.6.2), as a subprotocol name must be. */
    private static boolean isToken(String value) {
        if (value.isEmpty()) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean alphanumeric = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
            if (!alphanumeric && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
                return false;
            }
        }
        return true;
    }

    private static InvalidWebSocketEndpointException invalid(String beanName, Class<?> type, String reason) {
        return new InvalidWebSocketEndpointException("WebSocket endpoint '" + beanName + "' (" + type.getName() + ") " + reason);
    }
}
