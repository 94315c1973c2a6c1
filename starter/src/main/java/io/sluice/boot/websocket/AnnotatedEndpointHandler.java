package io.sluice.boot.websocket;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketSession;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.json.UnreadableJsonException;
import io.sluice.websocket.CloseCodes;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's handler for one annotated endpoint: binds each event to the endpoint's method, sends what it
 * returns, and applies the failure policy.
 *
 * <ul>
 *   <li>A callback that throws: {@code @OnError} if it takes that failure (the session stays open), else an ERROR
 *       log and close code 1011.
 *   <li>A text message that does not bind as JSON: {@code @OnError} if it takes {@link UnreadableJsonException},
 *       else close code 1007 with the codec's explanation as the reason.
 *   <li>A path variable that does not convert: {@code @OnError} if it takes {@link InvalidPathVariableException},
 *       else close code 1008.
 *   <li>A message kind the endpoint has no method for: close code 1003.
 * </ul>
 *
 * <p>The engine serialises the callbacks of a session, so none of this needs locks; it also never sees an
 * exception from here, so it neither logs nor closes a second time.
 */
final class AnnotatedEndpointHandler implements WebSocketHandler {

    private static final Logger log = LoggerFactory.getLogger(AnnotatedEndpointHandler.class);

    /** The protocol's limit on a close frame's reason. */
    private static final int MAX_REASON_BYTES = 123;

    private final String endpoint;
    private final CallbackMethod onOpen;
    private final CallbackMethod onText;
    private final Type textJsonType;
    private final boolean textJsonPrimitive;
    private final CallbackMethod onBinary;
    private final CallbackMethod onClose;
    private final CallbackMethod onError;
    private final JsonCodec codec;

    /**
     * Any callback may be {@code null} (absent). {@code codec} may be {@code null} unless the text callback takes
     * JSON.
     */
    AnnotatedEndpointHandler(String endpoint, CallbackMethod onOpen, CallbackMethod onText, CallbackMethod onBinary,
            CallbackMethod onClose, CallbackMethod onError, JsonCodec codec) {
        this.endpoint = endpoint;
        this.onOpen = onOpen;
        this.onText = onText;
        boolean json = onText != null && onText.eventType() != String.class;
        this.textJsonType = json ? onText.eventGenericType() : null;
        this.textJsonPrimitive = json && onText.eventType().isPrimitive();
        this.onBinary = onBinary;
        this.onClose = onClose;
        this.onError = onError;
        this.codec = codec;
    }

    @Override
    public void onOpen(WebSocketSession session) {
        if (onOpen != null) {
            call(onOpen, session, null);
        }
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        if (onText == null) {
            refuse(session, "text");
            return;
        }
        Object message = text;
        if (textJsonType != null) {
            try {
                message = bindJson(text);
            } catch (UnreadableJsonException e) {
                fail(session, onText, e, CloseCodes.INVALID_PAYLOAD, e.getMessage());
                return;
            } catch (RuntimeException e) {
                // Not the client's JSON but the codec or a custom deserializer failing: a server error.
                fail(session, onText, e, CloseCodes.INTERNAL_ERROR, "");
                return;
            }
        }
        call(onText, session, message);
    }

    private Object bindJson(String text) {
        // The engine hands over a String; the codec reads bytes. One re-encoding per JSON message.
        Object bound = codec.read(text.getBytes(StandardCharsets.UTF_8), textJsonType);
        if (bound == null && textJsonPrimitive) {
            throw new UnreadableJsonException("JSON null where a " + textJsonType.getTypeName() + " is expected", null);
        }
        return bound;
    }

    @Override
    public void onBinary(WebSocketSession session, byte[] data) {
        if (onBinary == null) {
            refuse(session, "binary");
            return;
        }
        call(onBinary, session, data);
    }

    @Override
    public void onClose(WebSocketSession session, int code, String reason) {
        if (onClose == null) {
            return;
        }
        try {
            onClose.invokeAndReply(session, onClose.arguments(session, new CloseStatus(code, reason)));
        } catch (Throwable t) {
            // The session is gone: nobody to tell, nothing to close.
            log.warn("{} failed for session {} of {}", onClose, session.id(), endpoint, t);
        }
    }

    /** Failures the engine detected (protocol errors, limits); it closes the session itself. */
    @Override
    public void onError(WebSocketSession session, Throwable error) {
        if (handles(error)) {
            callOnError(session, error);
        }
    }

    private void call(CallbackMethod method, WebSocketSession session, Object event) {
        Object[] arguments;
        try {
            arguments = method.arguments(session, event);
        } catch (InvalidPathVariableException e) {
            fail(session, method, e, CloseCodes.POLICY_VIOLATION, e.getMessage());
            return;
        }
        try {
            method.invokeAndReply(session, arguments);
        } catch (Throwable t) {
            fail(session, method, t, CloseCodes.INTERNAL_ERROR, "");
        }
    }

    /**
     * Hands {@code failure} to {@code @OnError} when it takes it, else closes the session with {@code code}. Only
     * 1011 is logged as an error: the other codes mean the client sent something wrong, which is its problem.
     */
    private void fail(WebSocketSession session, CallbackMethod method, Throwable failure, int code, String reason) {
        if (handles(failure)) {
            callOnError(session, failure);
            return;
        }
        if (code == CloseCodes.INTERNAL_ERROR) {
            log.error("{} failed for session {} of {}; closing it with 1011", method, session.id(), endpoint, failure);
        } else {
            log.debug("{} refused input of session {} of {}; closing it with {}: {}", method, session.id(), endpoint,
                    code, failure.getMessage());
        }
        close(session, code, reason);
    }

    private boolean handles(Throwable failure) {
        return onError != null && onError.eventType().isInstance(failure);
    }

    private void callOnError(WebSocketSession session, Throwable failure) {
        try {
            onError.invokeAndReply(session, onError.arguments(session, failure));
        } catch (Throwable t) {
            t.addSuppressed(failure);
            log.error("{} failed for session {} of {}; closing it with 1011", onError, session.id(), endpoint, t);
            close(session, CloseCodes.INTERNAL_ERROR, "");
        }
    }

    private void refuse(WebSocketSession session, String kind) {
        log.debug("Session {} of {} sent a {} message, which the endpoint does not take; closing it with 1003",
                session.id(), endpoint, kind);
        close(session, CloseCodes.UNSUPPORTED_DATA, capitalized(kind) + " messages are not accepted");
    }

    private static String capitalized(String word) {
        return Character.toUpperCase(word.charAt(0)) + word.substring(1);
    }

    private static void close(WebSocketSession session, int code, String reason) {
        if (session.isOpen()) {
            session.close(code, truncate(reason));
        }
    }

    /** {@code reason} cut to what a close frame can carry, at a character boundary. */
    static String truncate(String reason) {
        if (reason == null) {
            return "";
        }
        if (reason.length() * 3 <= MAX_REASON_BYTES
                || reason.getBytes(StandardCharsets.UTF_8).length <= MAX_REASON_BYTES) {
            return reason;
        }
        int bytes = 0;
        int end = 0;
        while (end < reason.length()) {
            int codePoint = reason.codePointAt(end);
            int size = codePoint < 0x80 ? 1 : codePoint < 0x800 ? 2 : codePoint < 0x10000 ? 3 : 4;
            // Room for the ellipsis (3 bytes) that says the reason goes on.
            if (bytes + size > MAX_REASON_BYTES - 3) {
                break;
            }
            bytes += size;
            end += Character.charCount(codePoint);
        }
        return reason.substring(0, end) + "\u2026";
    }

    @Override
    public String toString() {
        return endpoint;
    }
}
