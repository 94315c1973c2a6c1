package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter to the request body: a {@code String} (decoded with the charset of
 * {@code Content-Type}, UTF-8 when none is given), a {@code byte[]}, or any other type read from JSON with
 * the application's {@link io.sluice.boot.json.JsonCodec}. Body that is not valid JSON for the type answers
 * {@code 400 Bad Request}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface Body {

    /**
     * Whether an empty body (or the JSON literal {@code null}) is refused with {@code 400}. When not
     * required, the parameter is {@code null} then; an {@link java.util.Optional} parameter is never required.
     */
    boolean required() default true;
}
