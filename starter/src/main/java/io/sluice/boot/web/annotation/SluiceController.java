package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean whose methods annotated with {@link Get}, {@link Post}, {@link Put}, {@link Delete} or
 * {@link Patch} are served as HTTP endpoints by the Sluice server. It is a {@link Component}, so component
 * scanning picks it up; a bean defined by a {@code @Bean} method works as well.
 *
 * <pre>{@code
 * @SluiceController("/users")
 * class UserEndpoints {
 *     @Get("/{id}")
 *     User find(@PathVar long id) { ... }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
public @interface SluiceController {

    /** Alias for {@link #path()}. */
    @AliasFor("path")
    String value() default "";

    /**
     * A prefix for the paths of every endpoint of this bean, e.g. {@code /api/users}; empty for none. It may
     * hold template variables, which the methods bind with {@link PathVar} like their own.
     */
    @AliasFor("value")
    String path() default "";
}
