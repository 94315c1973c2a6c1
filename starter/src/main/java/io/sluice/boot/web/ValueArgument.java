package io.sluice.boot.web;

import io.sluice.api.HttpRequest;
import java.util.List;
import java.util.Optional;
import org.springframework.core.ResolvableType;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.convert.ConversionService;
import org.springframework.core.convert.TypeDescriptor;

/**
 * A path variable, query parameter or header, converted from text to the parameter's type with the
 * application's {@link ConversionService}.
 */
final class ValueArgument implements ArgumentResolver {

    /** Where a value comes from, and how the client is told about it. */
    enum Source {
        PATH("Path variable") {
            @Override
            String first(HttpRequest request, String name) {
                return request.pathVariable(name);
            }

            @Override
            List<String> all(HttpRequest request, String name) {
                String value = request.pathVariable(name);
                return value == null ? List.of() : List.of(value);
            }
        },
        QUERY("Query parameter") {
            @Override
            String first(HttpRequest request, String name) {
                return request.query().first(name);
            }

            @Override
            List<String> all(HttpRequest request, String name) {
                return request.query().all(name);
            }
        },
        HEADER("Header") {
            @Override
            String first(HttpRequest request, String name) {
                return request.headers().first(name);
            }

            @Override
            List<String> all(HttpRequest request, String name) {
                return request.headers().all(name);
            }
        };

        private final String label;

        Source(String label) {
            this.label = label;
        }

        abstract String first(HttpRequest request, String name);

        abstract List<String> all(HttpRequest request, String name);

        String describe(String name) {
            return label + " '" + name + "'";
        }
    }

    private static final TypeDescriptor STRING = TypeDescriptor.valueOf(String.class);
    private static final TypeDescriptor STRING_LIST = TypeDescriptor.collection(List.class, STRING);

    private final Source source;
    private final String name;
    private final boolean required;
    /** {@code null} when there is none. */
    private final String defaultValue;
    private final boolean optional;
    /** A collection or array parameter takes every value of a repeated parameter or header. */
    private final boolean multiValued;
    private final TypeDescriptor target;
    private final boolean passThrough;
    private final ConversionService conversion;
    /** The target type as the client is told it, e.g. {@code int} or {@code List<Integer>}. */
    private final String typeName;

    /**
     * @param target the parameter's type, inside {@code Optional} for an optional one
     */
    ValueArgument(Source source, String name, boolean required, String defaultValue, boolean optional,
            TypeDescriptor target, ConversionService conversion) {
        this.source = source;
        this.name = name;
        this.required = required && defaultValue == null && !optional;
        this.defaultValue = defaultValue;
        this.optional = optional;
        this.multiValued = target.isCollection() || target.isArray();
        this.target = target;
        this.passThrough = target.getType() == String.class;
        this.conversion = conversion;
        this.typeName = typeName(target);
    }

    /** Whether the conversion service can produce the target type from what this source gives. */
    static boolean canConvert(ConversionService conversion, TypeDescriptor target) {
        if (target.getType() == String.class) {
            return true;
        }
        boolean multiValued = target.isCollection() || target.isArray();
        return conversion.canConvert(STRING, target) && (!multiValued || conversion.canConvert(STRING_LIST, target));
    }

    @Override
    public Object resolve(HttpRequest request) {
        Object value = multiValued ? resolveAll(request) : resolveFirst(request);
        if (value == null && required) {
            throw new BadRequestException("Required " + lowerCase(source.describe(name)) + " is missing");
        }
        return optional ? Optional.ofNullable(value) : value;
    }

    private Object resolveFirst(HttpRequest request) {
        String text = source.first(request, name);
        if (text == null || text.isEmpty() && !passThrough) {
            if (defaultValue == null) {
                return null;
            }
            text = defaultValue;
        }
        return passThrough ? text : convert(text, STRING);
    }

    private Object resolveAll(HttpRequest request) {
        List<String> texts = source.all(request, name);
        if (texts.isEmpty()) {
            return defaultValue == null ? null : convert(defaultValue, STRING);
        }
        // A single value may itself be a comma-separated list ("?ids=1,2,3"), which converting the
        // string (rather than a one-element list) splits.
        return texts.size() == 1 ? convert(texts.get(0), STRING) : convert(texts, STRING_LIST);
    }

    /** Converts a {@code String} or a {@code List<String>}. */
    private Object convert(Object value, TypeDescriptor sourceType) {
        try {
            return conversion.convert(value, sourceType, target);
        } catch (ConversionException e) {
            String text = value instanceof String single ? single : String.join(",", texts(value));
            throw new BadRequestException(source.describe(name) + " has the invalid value " + ProblemDetails.quote(text)
                    + " for type " + typeName, e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<String> texts(Object value) {
        return (List<String>) value;
    }

    /** {@code target} as a client or developer would write it: {@code int}, {@code List<Integer>}. */
    static String typeName(TypeDescriptor target) {
        return simpleName(target.getResolvableType());
    }

    private static String simpleName(ResolvableType type) {
        Class<?> raw = type.toClass();
        if (raw.isArray()) {
            return simpleName(type.getComponentType()) + "[]";
        }
        if (!type.hasGenerics()) {
            return raw.getSimpleName();
        }
        StringBuilder name = new StringBuilder(raw.getSimpleName()).append('<');
        ResolvableType[] generics = type.getGenerics();
        for (int i = 0; i < generics.length; i++) {
            name.append(i == 0 ? "" : ", ").append(simpleName(generics[i]));
        }
        return name.append('>').toString();
    }

    private static String lowerCase(String label) {
        return Character.toLowerCase(label.charAt(0)) + label.substring(1);
    }

    @Override
    public String toString() {
        return source.describe(name);
    }
}
