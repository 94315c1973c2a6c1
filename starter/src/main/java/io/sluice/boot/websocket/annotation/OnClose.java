package io.sluice.boot.websocket.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Called once per session, last, when it has closed. Parameters may be an {@code int} (the close code), a
 * {@code String} without annotation (the close reason), the {@code io.sluice.api.WebSocketSession} and
 * {@link io.sluice.boot.web.annotation.PathVar @PathVar} values. The method returns {@code void}: the session can
 * no longer send.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface OnClose {
}
