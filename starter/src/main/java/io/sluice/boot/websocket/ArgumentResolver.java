package io.sluice.boot.websocket;

import io.sluice.api.WebSocketSession;

/**
 * Produces one argument of a callback. Chosen per parameter at startup, so a call does no type inspection.
 */
@FunctionalInterface
interface ArgumentResolver {

    /**
     * @param event what the callback is about: the bound message for {@code @OnMessage}, the failure for
     *     {@code @OnError}, the {@link CloseStatus} for {@code @OnClose}, {@code null} for {@code @OnOpen}
     */
    Object resolve(WebSocketSession session, Object event);
}
