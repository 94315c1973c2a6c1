package io.sluice.boot.websocket;

import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketSession;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.Future;

/**
 * Sends a callback's return value back to its session, chosen once from the declared return type. A send's
 * stage is not awaited: it fails only when the session has closed, and then there is nobody to tell.
 */
@FunctionalInterface
interface Reply {

    Reply NONE = (session, value) -> {
    };

    /** Sends {@code value}, which may be {@code null} (nothing is sent). */
    void send(WebSocketSession session, Object value);

    /**
     * The reply for {@code returnType}.
     *
     * @param json the JSON writer, or {@code null} when the application has no JSON codec
     * @throws IllegalArgumentException saying why values of {@code returnType} cannot be sent
     */
    static Reply forReturnType(Class<?> returnType, JsonMessages json) {
        if (returnType == void.class || returnType == Void.class) {
            return NONE;
        }
        if (CharSequence.class.isAssignableFrom(returnType)) {
            return (session, value) -> {
                if (value != null) {
                    session.sendText((CharSequence) value);
                }
            };
        }
        if (returnType == byte[].class) {
            return (session, value) -> {
                if (value != null) {
                    session.sendBinary((byte[]) value);
                }
            };
        }
        if (returnType == WebSocketMessage.class) {
            return (session, value) -> {
                if (value != null) {
                    session.send((WebSocketMessage) value);
                }
            };
        }
        if (isDeferred(returnType)) {
            throw new IllegalArgumentException("returns " + returnType.getSimpleName()
                    + ", which is not supported: return the value itself, or send it later through the session");
        }
        if (returnType == Object.class) {
            return (session, value) -> sendByRuntimeType(session, value, json);
        }
        if (json == null) {
            throw new IllegalArgumentException("returns " + returnType.getSimpleName()
                    + ", which would be sent as JSON, but there is no JsonCodec bean (add tools.jackson.core:jackson-databind)");
        }
        return (session, value) -> {
            if (value != null) {
                session.send(json.of(value));
            }
        };
    }

    private static boolean isDeferred(Class<?> type) {
        return CompletionStage.class.isAssignableFrom(type) || Future.class.isAssignableFrom(type)
                || Flow.Publisher.class.isAssignableFrom(type) || type == Optional.class;
    }

    /** For methods declared to return {@code Object}: the value's own type decides. */
    private static void sendByRuntimeType(WebSocketSession session, Object value, JsonMessages json) {
        if (value == null) {
            return;
        }
        if (value instanceof CharSequence text) {
            session.sendText(text);
        } else if (value instanceof byte[] data) {
            session.sendBinary(data);
        } else if (value instanceof WebSocketMessage message) {
            session.send(message);
        } else if (json != null) {
            session.send(json.of(value));
        } else {
            throw new IllegalStateException("Cannot send a " + value.getClass().getName()
                    + " as JSON: there is no JsonCodec bean");
        }
    }
}
