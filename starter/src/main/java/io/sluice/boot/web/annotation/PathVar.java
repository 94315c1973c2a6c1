package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Binds a method parameter to a {@code {variable}} of the route's path template, for HTTP and WebSocket
 * endpoints alike. Without a value the parameter's name is used (the build compiles with {@code -parameters}).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface PathVar {

    /** The template variable's name; defaults to the parameter's name. */
    String value() default "";
}
