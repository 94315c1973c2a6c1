package io.sluice.boot.json;

import java.lang.reflect.Type;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;
import tools.jackson.databind.json.JsonMapper;

/** A {@link JsonCodec} on Jackson 3. Thread-safe: Jackson's mapper is. */
public final class JacksonJsonCodec implements JsonCodec {

    private final JsonMapper mapper;

    public JacksonJsonCodec(JsonMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    public byte[] write(Object value) {
        return mapper.writeValueAsBytes(value);
    }

    @Override
    public <T> T read(byte[] json, Type type) {
        JavaType javaType = mapper.getTypeFactory().constructType(type);
        try {
            return mapper.readValue(json, javaType);
        } catch (JacksonException e) {
            // Jackson's message names the offending property and position, which the client needs to fix its input.
            throw new UnreadableJsonException(e.getOriginalMessage(), e);
        }
    }
}
