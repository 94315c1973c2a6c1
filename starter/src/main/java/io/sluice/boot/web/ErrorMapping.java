package io.sluice.boot.web;

import io.sluice.boot.web.annotation.ErrorStatus;
import java.lang.reflect.AnnotatedElement;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Which status an exception thrown by one endpoint answers with: the endpoint method's {@link ErrorStatus}
 * mappings, then its controller's, then the annotation on the exception's class (or a superclass).
 * Consulted only when an endpoint fails, never on a successful request.
 */
final class ErrorMapping {

    /** A status and the fixed detail to answer with (empty: use the rule of {@link ErrorStatus}). */
    record Status(int status, String detail) {

        /** The {@code detail} of the problem body for {@code error}. */
        String detailFor(Throwable error) {
            if (!detail.isEmpty()) {
                return detail;
            }
            // A 4xx status means the client caused it, and whoever mapped the exception chose to tell it why.
            return status < 500 ? error.getMessage() : null;
        }
    }

    /** The annotation on each exception class (or its closest annotated superclass), looked up once per class. */
    private static final ClassValue<Status> BY_EXCEPTION_CLASS = new ClassValue<>() {
        @Override
        protected Status computeValue(Class<?> type) {
            ErrorStatus status = AnnotatedElementUtils.findMergedAnnotation(type, ErrorStatus.class);
            return status != null && isValid(status.value()) ? new Status(status.value(), status.detail()) : null;
        }
    };

    private final Map<Class<?>, Status> methodMappings;
    private final Map<Class<?>, Status> controllerMappings;

    private ErrorMapping(Map<Class<?>, Status> methodMappings, Map<Class<?>, Status> controllerMappings) {
        this.methodMappings = methodMappings;
        this.controllerMappings = controllerMappings;
    }

    /**
     * Reads the mappings declared on an endpoint method and its controller class.
     *
     * @throws IllegalStateException for a mapping without exception types or with a status outside 400-599
     */
    static ErrorMapping of(AnnotatedElement method, Class<?> controller) {
        return new ErrorMapping(declared(method, "the method"), declared(controller, "its class"));
    }

    private static Map<Class<?>, Status> declared(AnnotatedElement element, String where) {
        Set<ErrorStatus> annotations = AnnotatedElementUtils.findMergedRepeatableAnnotations(element, ErrorStatus.class);
        Map<Class<?>, Status> mappings = new LinkedHashMap<>();
        for (ErrorStatus annotation : annotations) {
            if (annotation.exceptions().length == 0) {
                throw new IllegalStateException("@ErrorStatus(" + annotation.value() + ") on " + where
                        + " must name the exceptions it maps, e.g. exceptions = NoSuchElementException.class");
            }
            if (!isValid(annotation.value())) {
                throw new IllegalStateException("@ErrorStatus on " + where + " has status " + annotation.value()
                        + "; an error status is 400-599");
            }
            for (Class<? extends Throwable> type : annotation.exceptions()) {
                Status previous = mappings.put(type, new Status(annotation.value(), annotation.detail()));
                if (previous != null) {
                    throw new IllegalStateException("@ErrorStatus on " + where + " maps " + type.getName() + " twice");
                }
            }
        }
        return mappings.isEmpty() ? Map.of() : mappings;
    }

    private static boolean isValid(int status) {
        return status >= 400 && status <= 599;
    }

    /** The mapped status for {@code error}, or {@code null} when nothing maps it (it is a 500). */
    Status find(Throwable error) {
        Status status = closest(methodMappings, error.getClass());
        if (status == null) {
            status = closest(controllerMappings, error.getClass());
        }
        return status != null ? status : BY_EXCEPTION_CLASS.get(error.getClass());
    }

    private static Status closest(Map<Class<?>, Status> mappings, Class<?> type) {
        if (mappings.isEmpty()) {
            return null;
        }
        for (Class<?> candidate = type; candidate != null; candidate = candidate.getSuperclass()) {
            Status status = mappings.get(candidate);
            if (status != null) {
                return status;
            }
        }
        return null;
    }
}
