package io.sluice.boot.json;

import java.lang.reflect.Type;

/**
 * Reads and writes JSON bodies and WebSocket messages for annotated endpoints. The starter provides a
 * Jackson-backed codec when Jackson is on the classpath (using the application's {@code JsonMapper} bean
 * when there is one); an application may define its own bean to replace it.
 */
public interface JsonCodec {

    /** Serialises {@code value} to UTF-8 JSON. */
    byte[] write(Object value);

    /**
     * Binds UTF-8 JSON to {@code type}.
     *
     * @throws UnreadableJsonException when the bytes are not JSON or do not fit {@code type}
     */
    <T> T read(byte[] json, Type type);
}
