package io.sluice.boot.web;

import io.sluice.api.Dispatch;
import io.sluice.api.HttpRequest;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.web.annotation.Body;
import io.sluice.boot.web.annotation.Delete;
import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.Header;
import io.sluice.boot.web.annotation.NonBlocking;
import io.sluice.boot.web.annotation.Patch;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.Post;
import io.sluice.boot.web.annotation.Put;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;
import io.sluice.boot.web.annotation.ValueConstants;
import io.sluice.routing.PathTemplate;
import java.lang.annotation.Annotation;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.DefaultParameterNameDiscoverer;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.ParameterNameDiscoverer;
import org.springframework.core.ResolvableType;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.core.annotation.SynthesizingMethodParameter;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Reads the endpoint methods of a {@link SluiceController} bean into {@link Endpoint}s, checking everything
 * that can be checked before a request arrives: templates, parameter bindings and conversions, return types.
 */
final class EndpointFactory {

    /** The method annotations and the HTTP method each stands for. */
    private static final List<Mapping> MAPPINGS = List.of(
            new Mapping(Get.class, "GET", annotation -> ((Get) annotation).value()),
            new Mapping(Post.class, "POST", annotation -> ((Post) annotation).value()),
            new Mapping(Put.class, "PUT", annotation -> ((Put) annotation).value()),
            new Mapping(Delete.class, "DELETE", annotation -> ((Delete) annotation).value()),
            new Mapping(Patch.class, "PATCH", annotation -> ((Patch) annotation).value()));

    private static final List<Class<? extends Annotation>> BINDINGS =
            List.of(PathVar.class, QueryParam.class, Header.class, Body.class);

    private final ConversionService conversion;
    /** {@code null} when the application has no JSON codec. */
    private final JsonCodec codec;
    private final ParameterNameDiscoverer parameterNames = new DefaultParameterNameDiscoverer();

    EndpointFactory(ConversionService conversion, JsonCodec codec) {
        this.conversion = conversion;
        this.codec = codec;
    }

    private record Mapping(Class<? extends Annotation> annotation, String httpMethod,
            Function<Annotation, String> path) {
    }

    /** A method annotation found on a method: the HTTP method and the path relative to the prefix. */
    private record Mapped(String httpMethod, String path) {
    }

    /**
     * The endpoints of {@code bean}, whose own class (behind any proxy) is {@code userClass}.
     *
     * @throws InvalidEndpointException naming the method when one cannot be served
     */
    List<Endpoint> endpointsOf(Object bean, Class<?> userClass) {
        SluiceController controller = AnnotatedElementUtils.findMergedAnnotation(userClass, SluiceController.class);
        String prefix = controller == null ? "" : controller.path();
        boolean controllerNonBlocking = AnnotatedElementUtils.hasAnnotation(userClass, NonBlocking.class);
        Map<Method, List<Mapped>> methods = MethodIntrospector.selectMethods(userClass,
                (MethodIntrospector.MetadataLookup<List<Mapped>>) method -> {
                    List<Mapped> mapped = mappingsOf(method);
                    return mapped.isEmpty() ? null : mapped;
                });
        List<Endpoint> endpoints = new ArrayList<>();
        methods.forEach((method, mappings) -> {
            for (Mapped mapped : mappings) {
                try {
                    endpoints.add(endpoint(bean, userClass, method, mapped.httpMethod(), join(prefix, mapped.path()),
                            controllerNonBlocking));
                } catch (IllegalArgumentException | IllegalStateException e) {
                    throw new InvalidEndpointException("Invalid endpoint " + describe(userClass, method) + ": "
                            + e.getMessage(), e);
                }
            }
        });
        return endpoints;
    }

    private static List<Mapped> mappingsOf(Method method) {
        List<Mapped> found = new ArrayList<>(1);
        for (Mapping mapping : MAPPINGS) {
            Annotation annotation = AnnotatedElementUtils.findMergedAnnotation(method, mapping.annotation());
            if (annotation != null) {
                found.add(new Mapped(mapping.httpMethod(), mapping.path().apply(annotation)));
            }
        }
        return found;
    }

    /** The controller's prefix and a method's path as one template: {@code /api} + {@code /users} → {@code /api/users}. */
    static String join(String prefix, String path) {
        String head = prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
        if (!head.isEmpty() && !head.startsWith("/")) {
            head = "/" + head;
        }
        if (path.isEmpty()) {
            return head.isEmpty() ? "/" : head;
        }
        return head + (path.startsWith("/") ? path : "/" + path);
    }

    private Endpoint endpoint(Object bean, Class<?> userClass, Method method, String httpMethod, String path,
            boolean controllerNonBlocking) {
        PathTemplate template = PathTemplate.parse(path);
        ArgumentResolver[] arguments = new ArgumentResolver[method.getParameterCount()];
        boolean hasBody = false;
        for (int i = 0; i < arguments.length; i++) {
            MethodParameter parameter = SynthesizingMethodParameter.forExecutable(method, i);
            parameter.initParameterNameDiscovery(parameterNames);
            try {
                arguments[i] = argument(parameter, template);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalStateException("parameter " + i + " (" + parameter.getParameterType().getSimpleName()
                        + " " + parameter.getParameterName() + "): " + e.getMessage(), e);
            }
            if (arguments[i] instanceof BodyArgument) {
                if (hasBody) {
                    throw new IllegalStateException("more than one parameter is bound to the body");
                }
                hasBody = true;
            }
        }
        ResolvableType returnType = ResolvableType.forMethodReturnType(method, userClass);
        boolean async = CompletionStage.class.isAssignableFrom(returnType.toClass());
        ResolvableType resultType = async ? returnType.as(CompletionStage.class).getGeneric(0) : returnType;
        ResponseWriter responses = ResponseWriter.forType(resultType, codec);
        boolean nonBlocking = controllerNonBlocking || AnnotatedElementUtils.hasAnnotation(method, NonBlocking.class);
        return new Endpoint(httpMethod, template.pattern(), describe(userClass, method),
                nonBlocking ? Dispatch.EVENT_LOOP : Dispatch.WORKER, async, invoker(bean, method), arguments, responses,
                ErrorMapping.of(method, userClass));
    }

    private ArgumentResolver argument(MethodParameter parameter, PathTemplate template) {
        List<Annotation> bindings = new ArrayList<>(1);
        for (Class<? extends Annotation> type : BINDINGS) {
            Annotation binding = parameter.getParameterAnnotation(type);
            if (binding != null) {
                bindings.add(binding);
            }
        }
        if (bindings.size() > 1) {
            throw new IllegalStateException("it has more than one of @PathVar, @QueryParam, @Header and @Body");
        }
        if (bindings.isEmpty()) {
            if (parameter.getParameterType() == HttpRequest.class) {
                return request -> request;
            }
            throw new IllegalStateException("it says nothing about what to bind; annotate it with @PathVar,"
                    + " @QueryParam, @Header or @Body, or declare an io.sluice.api.HttpRequest to get the request");
        }
        Annotation binding = bindings.get(0);
        boolean optional = parameter.getParameterType() == Optional.class;
        MethodParameter value = parameter.nestedIfOptional();
        if (binding instanceof Body body) {
            return bodyArgument(value, body.required(), optional);
        }
        TypeDescriptor target = new TypeDescriptor(value);
        if (!ValueArgument.canConvert(conversion, target)) {
            throw new IllegalStateException("no conversion from String to " + ValueArgument.typeName(target)
                    + " is known; register a Converter or use another type");
        }
        if (binding instanceof PathVar pathVar) {
            String name = name(pathVar.value(), parameter);
            if (!template.variableNames().contains(name)) {
                throw new IllegalStateException("@PathVar '" + name + "' is not a variable of " + template
                        + " (it has " + template.variableNames() + ")");
            }
            return new ValueArgument(ValueArgument.Source.PATH, name, true, null, optional, target, conversion);
        }
        if (binding instanceof QueryParam query) {
            return valueArgument(ValueArgument.Source.QUERY, name(query.value(), parameter), query.required(),
                    query.defaultValue(), optional, target, parameter);
        }
        Header header = (Header) binding;
        return valueArgument(ValueArgument.Source.HEADER, name(header.value(), parameter), header.required(),
                header.defaultValue(), optional, target, parameter);
    }

    private ValueArgument valueArgument(ValueArgument.Source source, String name, boolean required,
            String defaultValue, boolean optional, TypeDescriptor target, MethodParameter parameter) {
        String fallback = ValueConstants.NO_DEFAULT.equals(defaultValue) ? null : defaultValue;
        if (fallback != null && !target.isCollection() && !target.isArray() && target.getType() != String.class) {
            try {
                conversion.convert(fallback, TypeDescriptor.valueOf(String.class), target);
            } catch (RuntimeException e) {
                throw new IllegalStateException("its default value '" + fallback + "' cannot be converted to "
                        + ValueArgument.typeName(target), e);
            }
        }
        if (!required && fallback == null && parameter.getParameterType().isPrimitive()) {
            String wrapper = ClassUtils.resolvePrimitiveIfNecessary(parameter.getParameterType()).getSimpleName();
            throw new IllegalStateException("it is optional but primitive, so it cannot be left empty; give it a"
                    + " defaultValue, or declare it " + wrapper + " or Optional<" + wrapper + ">");
        }
        return new ValueArgument(source, name, required, fallback, optional, target, conversion);
    }

    private BodyArgument bodyArgument(MethodParameter value, boolean required, boolean optional) {
        Class<?> type = value.getNestedParameterType();
        if (type == String.class) {
            return new BodyArgument(BodyArgument.Kind.TEXT, required, optional, null, null);
        }
        if (type == byte[].class) {
            return new BodyArgument(BodyArgument.Kind.BYTES, required, optional, null, null);
        }
        if (codec == null) {
            throw new IllegalStateException("it reads " + type.getSimpleName() + " from JSON, but there is no"
                    + " JsonCodec bean; add Jackson (tools.jackson.core:jackson-databind) or define a JsonCodec");
        }
        if (!required && !optional && type.isPrimitive()) {
            throw new IllegalStateException("an optional body cannot be of primitive type");
        }
        return new BodyArgument(BodyArgument.Kind.JSON, required, optional, value.getNestedGenericParameterType(), codec);
    }

    private static String name(String declared, MethodParameter parameter) {
        if (!declared.isEmpty()) {
            return declared;
        }
        String name = parameter.getParameterName();
        if (name == null) {
            throw new IllegalStateException("its name is unknown (compile with -parameters, or name it in the"
                    + " annotation)");
        }
        return name;
    }

    /** {@code (Object[]) -> Object} calling {@code method} on {@code bean}, through any proxy it is behind. */
    private static MethodHandle invoker(Object bean, Method method) {
        Method invocable = Modifier.isStatic(method.getModifiers()) ? method
                : AopUtils.selectInvocableMethod(method, bean.getClass());
        ReflectionUtils.makeAccessible(invocable);
        MethodHandle handle;
        try {
            handle = MethodHandles.lookup().unreflect(invocable);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("it cannot be called: " + e.getMessage(), e);
        }
        if (!Modifier.isStatic(invocable.getModifiers())) {
            handle = handle.bindTo(bean);
        }
        // Spread one Object[] over the parameters (unboxing primitives) and box the result, so every endpoint
        // is invoked with the same exact type and no per-call reflection.
        return handle.asType(handle.type().changeReturnType(Object.class))
                .asSpreader(Object[].class, invocable.getParameterCount())
                .asType(MethodType.methodType(Object.class, Object[].class));
    }

    /** {@code com.example.Users#find(long, String)}. */
    static String describe(Class<?> type, Method method) {
        return type.getName() + "#" + method.getName() + Arrays.stream(method.getParameterTypes())
                .map(Class::getSimpleName).collect(Collectors.joining(", ", "(", ")"));
    }
}
