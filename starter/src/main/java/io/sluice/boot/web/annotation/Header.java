package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter to a request header (names compare case-insensitively), converted to the
 * parameter's type. A collection or array parameter receives every value of a repeated header; an
 * {@link java.util.Optional} one is empty when the header is absent.
 *
 * <p>A required header that is absent (or empty, for a type other than {@code String}) answers
 * {@code 400 Bad Request}, as does a value that cannot be converted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Header {

    /** The header's name, e.g. {@code X-Request-Id}; defaults to the method parameter's name. */
    String value() default "";

    /**
     * Whether a request without the header is refused with {@code 400}. Ignored when a
     * {@link #defaultValue()} is given or the parameter is an {@link java.util.Optional}.
     */
    boolean required() default true;

    /** The value used when the header is absent or empty; implies not required. */
    String defaultValue() default ValueConstants.NO_DEFAULT;
}
