package io.sluice.boot.web.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs an endpoint on the connection's event loop instead of a worker thread
 * ({@link io.sluice.api.Dispatch#EVENT_LOOP}): no hand-off, the lowest latency. On a
 * {@link SluiceController} class it applies to every endpoint of the class.
 *
 * <p>Only for code that never blocks: computing a response from the request, or starting asynchronous
 * work and returning its {@link java.util.concurrent.CompletionStage}. A blocking call here stalls every
 * connection served by the same event loop.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface NonBlocking {
}
