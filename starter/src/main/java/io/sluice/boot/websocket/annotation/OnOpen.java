package io.sluice.boot.websocket.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once per session when the handshake has completed, before any message. Parameters may be the
 * {@code io.sluice.api.WebSocketSession} and {@link io.sluice.boot.web.annotation.PathVar @PathVar} values. A
 * returned value is sent to the client as {@link OnMessage} describes.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnOpen {
}
