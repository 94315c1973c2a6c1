package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Serves {@code PUT} requests for a path template with the annotated method of a {@link SluiceController}.
 * The template is appended to the controller's prefix; see {@link io.sluice.routing.PathTemplate} for
 * the syntax ({@code {name}} variables, a trailing {@code *}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Put {

    /** The path template, e.g. {@code /users/{id}}; empty for the controller's prefix itself. */
    String value() default "";
}
