package io.sluice.boot.websocket;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.web.annotation.PathVar;
import java.io.InputStream;
import java.io.Reader;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Parameter;
import java.lang.reflect.Type;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.GenericTypeResolver;
import org.springframework.core.MethodParameter;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ReflectionUtils;

/**
 * Turns the annotated methods of one endpoint bean into {@link CallbackMethod}s, checking every parameter and
 * return type once, at startup, and deciding how each argument will be produced.
 */
final class CallbackMethodFactory {

    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);

    private final String beanName;
    private final Object bean;
    private final Class<?> userClass;
    private final String path;
    private final List<String> pathVariables;
    private final ConversionService conversions;
    private final JsonMessages json;

    /**
     * @param userClass the class that declares the callbacks (the bean's class behind any proxy)
     * @param pathVariables the variable names of the endpoint's path template
     * @param json writes JSON, or {@code null} when the application has no JSON codec
     */
    CallbackMethodFactory(String beanName, Object bean, Class<?> userClass, String path, List<String> pathVariables,
            ConversionService conversions, JsonMessages json) {
        this.beanName = beanName;
        this.bean = bean;
        this.userClass = userClass;
        this.path = path;
        this.pathVariables = pathVariables;
        this.conversions = conversions;
        this.json = json;
    }

    CallbackMethod create(Callback kind, Method method) {
        if (Modifier.isStatic(method.getModifiers())) {
            throw invalid(method, "is static; " + kind.label() + " methods are called on the endpoint bean");
        }
        Parameter[] parameters = method.getParameters();
        ArgumentResolver[] resolvers = new ArgumentResolver[parameters.length];
        Signature signature = new Signature(kind, method);
        for (int i = 0; i < parameters.length; i++) {
            resolvers[i] = signature.resolverFor(parameters[i], new MethodParameter(method, i).withContainingClass(userClass));
        }
        signature.checkComplete();
        return new CallbackMethod(describe(method), invoker(method, parameters.length), resolvers, reply(kind, method),
                signature.eventType, signature.eventGenericType);
    }

    /** Collects one method's parameters, remembering what it has seen so far to reject duplicates. */
    private final class Signature {

        private final Callback kind;
        private final Method method;
        private Class<?> eventType;
        private Type eventGenericType;
        private String eventParameter;
        private String codeParameter;
        private String reasonParameter;

        Signature(Callback kind, Method method) {
            this.kind = kind;
            this.method = method;
        }

        ArgumentResolver resolverFor(Parameter parameter, MethodParameter methodParameter) {
            Class<?> type = methodParameter.getParameterType();
            PathVar pathVar = methodParameter.getParameterAnnotation(PathVar.class);
            if (pathVar != null) {
                return pathVariable(method, parameter, methodParameter, pathVar);
            }
            if (type == WebSocketSession.class) {
                return (session, event) -> session;
            }
            return switch (kind) {
                case MESSAGE -> message(parameter, methodParameter, type);
                case CLOSE -> closeStatus(parameter, type);
                case ERROR -> failure(parameter, type);
                case OPEN -> throw unsupported(parameter, type);
            };
        }

        private ArgumentResolver message(Parameter parameter, MethodParameter methodParameter, Class<?> type) {
            if (eventParameter != null) {
                throw invalid(method, "has two message parameters ('" + eventParameter + "' and '"
                        + parameter.getName() + "'); " + kind.allowedParameters());
            }
            if (type != String.class && type != byte[].class) {
                if (isUnbindable(type)) {
                    throw invalid(method, "has a message parameter of type " + type.getSimpleName()
                            + ", which is not supported; use String for text, byte[] for binary, or a type bound from JSON");
                }
                if (json == null) {
                    throw invalid(method, "takes " + type.getSimpleName() + " messages, which are bound from JSON, "
                            + "but there is no JsonCodec bean (add tools.jackson.core:jackson-databind)");
                }
            }
            event(parameter, methodParameter, type);
            return (session, event) -> event;
        }

        private ArgumentResolver closeStatus(Parameter parameter, Class<?> type) {
            if ((type == int.class || type == Integer.class) && codeParameter == null) {
                codeParameter = parameter.getName();
                return (session, event) -> ((CloseStatus) event).code();
            }
            if (type == String.class && reasonParameter == null) {
                reasonParameter = parameter.getName();
                return (session, event) -> ((CloseStatus) event).reason();
            }
            throw unsupported(parameter, type);
        }

        private ArgumentResolver failure(Parameter parameter, Class<?> type) {
            if (!Throwable.class.isAssignableFrom(type) || eventParameter != null) {
                throw unsupported(parameter, type);
            }
            event(parameter, null, type);
            return (session, event) -> event;
        }

        private void event(Parameter parameter, MethodParameter methodParameter, Class<?> type) {
            eventParameter = parameter.getName();
            eventType = type;
            eventGenericType = methodParameter == null ? type
                    : GenericTypeResolver.resolveType(methodParameter.getGenericParameterType(), userClass);
        }

        void checkComplete() {
            if (kind == Callback.MESSAGE && eventType == null) {
                throw invalid(method, "has no message parameter; " + kind.allowedParameters());
            }
            if (kind == Callback.ERROR && eventType == null) {
                throw invalid(method, "has no Throwable parameter; " + kind.allowedParameters());
            }
        }

        private InvalidWebSocketEndpointException unsupported(Parameter parameter, Class<?> type) {
            return invalid(method, "has an unsupported parameter '" + parameter.getName() + "' of type "
                    + type.getSimpleName() + "; " + kind.allowedParameters());
        }
    }

    /** Types that look like a message but are not one the server delivers; JSON binding would only confuse. */
    private static boolean isUnbindable(Class<?> type) {
        return CharSequence.class.isAssignableFrom(type) || type == ByteBuffer.class || type == WebSocketMessage.class
                || InputStream.class.isAssignableFrom(type) || Reader.class.isAssignableFrom(type)
                || Throwable.class.isAssignableFrom(type);
    }

    private ArgumentResolver pathVariable(Method method, Parameter parameter, MethodParameter methodParameter,
            PathVar pathVar) {
        String name = pathVar.value();
        if (name.isEmpty()) {
            if (!parameter.isNamePresent()) {
                throw invalid(method, "has a @PathVar parameter without a name, and parameter names were not compiled in; "
                        + "write @PathVar(\"name\") or compile with -parameters");
            }
            name = parameter.getName();
        }
        if (!pathVariables.contains(name)) {
            throw invalid(method, "binds path variable '" + name + "', but " + path + " has "
                    + (pathVariables.isEmpty() ? "no variables" : "only " + pathVariables));
        }
        String variable = name;
        Class<?> type = methodParameter.getParameterType();
        if (type == String.class) {
            return (session, event) -> session.pathVariable(variable);
        }
        TypeDescriptor target = new TypeDescriptor(methodParameter);
        if (!conversions.canConvert(STRING, target)) {
            throw invalid(method, "binds path variable '" + name + "' to " + type.getSimpleName()
                    + ", but the ConversionService cannot convert a String to it");
        }
        boolean primitive = type.isPrimitive();
        return (session, event) -> {
            String value = session.pathVariable(variable);
            Object converted;
            try {
                converted = conversions.convert(value, STRING, target);
            } catch (ConversionException e) {
                throw new InvalidPathVariableException(variable, value, e);
            }
            if (converted == null && primitive) {
                throw new InvalidPathVariableException(variable, value, null);
            }
            return converted;
        };
    }

    private Reply reply(Callback kind, Method method) {
        Class<?> returnType = method.getReturnType();
        if (kind == Callback.CLOSE) {
            if (returnType != void.class) {
                throw invalid(method, "returns " + returnType.getSimpleName()
                        + "; an @OnClose method returns void, since a closed session cannot send");
            }
            return Reply.NONE;
        }
        try {
            return Reply.forReturnType(returnType, json);
        } catch (IllegalArgumentException e) {
            throw invalid(method, e.getMessage());
        }
    }

    /** A handle of type {@code (Object[])Object} that calls {@code method} on the bean. */
    private MethodHandle invoker(Method method, int arity) {
        Method invocable;
        try {
            // The proxy's own method when the bean is a proxy, so that its advice applies.
            invocable = AopUtils.selectInvocableMethod(method, bean.getClass());
        } catch (IllegalStateException e) {
            throw invalid(method, "cannot be called on the bean: " + e.getMessage(), e);
        }
        ReflectionUtils.makeAccessible(invocable);
        try {
            return MethodHandles.lookup().unreflect(invocable)
                    .bindTo(bean)
                    .asType(MethodType.genericMethodType(arity))
                    .asSpreader(Object[].class, arity);
        } catch (IllegalAccessException e) {
            throw invalid(method, "is not accessible: " + e.getMessage(), e);
        }
    }

    String describe(Method method) {
        return userClass.getSimpleName() + "." + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private InvalidWebSocketEndpointException invalid(Method method, String reason) {
        return invalid(method, reason, null);
    }

    private InvalidWebSocketEndpointException invalid(Method method, String reason, Throwable cause) {
        return new InvalidWebSocketEndpointException(
                "WebSocket endpoint '" + beanName + "': " + describe(method) + " " + reason, cause);
    }
}
