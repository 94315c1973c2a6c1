package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The status an exception thrown by an endpoint answers with, instead of {@code 500}. Either on the
 * exception class itself (it applies to subclasses too):
 *
 * <pre>{@code
 * @ErrorStatus(404)
 * class UserNotFoundException extends RuntimeException { ... }
 * }</pre>
 *
 * or on an endpoint method or {@link SluiceController} class, naming the exception types it maps:
 *
 * <pre>{@code
 * @ErrorStatus(value = 409, exceptions = IllegalStateException.class)
 * @Post("/orders/{id}/cancel")
 * Order cancel(@PathVar long id) { ... }
 * }</pre>
 *
 * <p>The closest mapping wins: the method's, then the controller's, then the exception's own; within each,
 * the one for the most specific exception type. The answer has a problem body whose {@code detail} is
 * {@link #detail()}, or else, for a 4xx status, the exception's message (which the client then sees).
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Repeatable(ErrorStatuses.class)
public @interface ErrorStatus {

    /** The status, 400-599. */
    int value();

    /**
     * The exception types this maps, when placed on an endpoint method or controller class (required
     * there); ignored on an exception class, which maps itself.
     */
    Class<? extends Throwable>[] exceptions() default {};

    /** A fixed {@code detail} for the problem body; empty to use the rule described on the class. */
    String detail() default "";
}
