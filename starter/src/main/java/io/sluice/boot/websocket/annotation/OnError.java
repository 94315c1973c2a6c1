package io.sluice.boot.websocket.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Handles failures of a session: exceptions thrown by the endpoint's other callbacks, messages that do not bind
 * ({@code io.sluice.boot.json.UnreadableJsonException}), path variables that do not convert
 * ({@code io.sluice.boot.websocket.InvalidPathVariableException}), and protocol errors the server detected.
 *
 * <p>Exactly one parameter is a {@link Throwable} type, and the method handles only failures of that type; others
 * get the default treatment (see the WebSocket endpoints guide). Other parameters may be the
 * {@code io.sluice.api.WebSocketSession} and {@link io.sluice.boot.web.annotation.PathVar @PathVar} values.
 *
 * <p>A failure handled here leaves the session open: close it from the method if it cannot go on. A returned
 * value is sent to the client as {@link OnMessage} describes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnError {
}
