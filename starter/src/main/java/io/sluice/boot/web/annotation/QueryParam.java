package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter to a query parameter, converted to the parameter's type. A collection or array
 * parameter receives every value of a repeated parameter; an {@link java.util.Optional} one is empty when
 * the parameter is absent.
 *
 * <p>A required parameter that is absent (or empty, for a type other than {@code String}) answers
 * {@code 400 Bad Request}, as does a value that cannot be converted.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface QueryParam {

    /** The query parameter's name; defaults to the method parameter's name. */
    String value() default "";

    /**
     * Whether a request without the parameter is refused with {@code 400}. Ignored when a
     * {@link #defaultValue()} is given or the parameter is an {@link java.util.Optional}.
     */
    boolean required() default true;

    /** The value used when the parameter is absent or empty; implies not required. */
    String defaultValue() default ValueConstants.NO_DEFAULT;
}
