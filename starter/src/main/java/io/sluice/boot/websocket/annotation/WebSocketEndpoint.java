package io.sluice.boot.websocket.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.core.annotation.AliasFor;
import org.springframework.stereotype.Component;

/**
 * Marks a bean as a WebSocket endpoint served at a path template such as {@code /ws/rooms/{room}}. Its
 * {@link OnOpen}, {@link OnMessage}, {@link OnClose} and {@link OnError} methods receive the events of every
 * session of that path: one bean instance serves all sessions concurrently, so it must be thread-safe and keep
 * per-session state in {@code session.attributes()}.
 *
 * <p>Callbacks run on worker threads, one at a time and in order per session; annotate the class with
 * {@link io.sluice.boot.web.annotation.NonBlocking @NonBlocking} to run them on the event loop instead.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@Component
public @interface WebSocketEndpoint {

    /** Alias for {@link #path()}. */
    // Declared as an alias so that Spring does not take the path for the bean's name.
    @AliasFor("path")
    String value() default "";

    /** The path template: literal segments, {@code {variable}} segments and an optional final {@code *}. */
    @AliasFor("value")
    String path() default "";

    /**
     * Subprotocols the endpoint speaks; the first one the client offers among them is chosen and available as
     * {@code session.subprotocol()}.
     */
    String[] subprotocols() default {};
}
