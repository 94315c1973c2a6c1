package io.sluice.boot.websocket.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called for each complete message. Exactly one parameter is the message, and its type decides which messages
 * the method receives:
 * <ul>
 *   <li>{@code String}: text messages;
 *   <li>{@code byte[]}: binary messages;
 *   <li>any other type: text messages, bound from JSON to that (possibly generic) type.
 * </ul>
 * An endpoint has at most one method for text messages and one for binary messages. Other parameters may be the
 * {@code io.sluice.api.WebSocketSession} and {@link io.sluice.boot.web.annotation.PathVar @PathVar} values.
 *
 * <p>A returned value is sent back to the client: a {@code CharSequence} as text, a {@code byte[]} as binary, a
 * {@code io.sluice.api.WebSocketMessage} as it is, any other object as JSON text; {@code void} and {@code null}
 * send nothing.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnMessage {
}
