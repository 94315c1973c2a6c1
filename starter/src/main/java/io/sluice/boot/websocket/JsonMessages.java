package io.sluice.boot.websocket;

import io.sluice.api.WebSocketMessage;
import io.sluice.boot.json.JsonCodec;
import java.util.Objects;

/**
 * Makes WebSocket text messages of JSON with the application's {@link JsonCodec}. A message is encoded once, so
 * a broadcast serialises its value once however many sessions receive it:
 *
 * <pre>{@code
 * WebSocketMessage update = jsonMessages.of(new PriceUpdate(symbol, price));
 * subscribers.forEach(session -> session.send(update));
 * }</pre>
 */
public final class JsonMessages {

    private final JsonCodec codec;

    public JsonMessages(JsonCodec codec) {
        this.codec = Objects.requireNonNull(codec, "codec");
    }

    /** A text message holding {@code value} as JSON. */
    public WebSocketMessage of(Object value) {
        // The codec's contract is UTF-8 output, so the bytes need no second validation.
        return WebSocketMessage.textOfValidUtf8(codec.write(value));
    }
}
