package io.sluice.boot.autoconfigure;

import io.sluice.server.SluiceServer;

/**
 * A callback that shapes the {@link SluiceServer} before it is built: adds routes and WebSocket
 * endpoints, changes settings. The auto-configuration first applies {@code sluice.*} and Boot's
 * {@code server.*} properties, then every customizer bean in {@link org.springframework.core.Ordered
 * order}, so a customizer can override a property.
 *
 * <p>Annotated endpoints are registered through customizers too; an application may add plain
 * engine routes the same way.
 */
@FunctionalInterface
public interface SluiceServerCustomizer {

    void customize(SluiceServer.Builder builder);
}
