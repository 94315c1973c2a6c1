package io.sluice.boot.web;

import io.sluice.api.HttpRequest;
import io.sluice.boot.json.JsonCodec;
import io.sluice.boot.json.UnreadableJsonException;
import java.lang.reflect.Type;
import java.util.Optional;

/** The request body as a {@code String}, a {@code byte[]}, or an object read from JSON. */
final class BodyArgument implements ArgumentResolver {

    enum Kind {
        TEXT, BYTES, JSON
    }

    private final Kind kind;
    private final boolean required;
    private final boolean optional;
    /** The type JSON is bound to; {@code null} for the other kinds. */
    private final Type jsonType;
    private final JsonCodec codec;

    BodyArgument(Kind kind, boolean required, boolean optional, Type jsonType, JsonCodec codec) {
        this.kind = kind;
        this.required = required && !optional;
        this.optional = optional;
        this.jsonType = jsonType;
        this.codec = codec;
    }

    @Override
    public Object resolve(HttpRequest request) {
        byte[] body = request.body();
        Object value = body.length == 0 ? null : switch (kind) {
            case TEXT -> request.bodyAsString();
            case BYTES -> body;
            case JSON -> readJson(body);
        };
        if (value == null && required) {
            throw new BadRequestException("Required request body is missing");
        }
        return optional ? Optional.ofNullable(value) : value;
    }

    private Object readJson(byte[] body) {
        try {
            return codec.read(body, jsonType);
        } catch (UnreadableJsonException e) {
            String reason = e.getMessage();
            throw new BadRequestException(reason == null || reason.isBlank() ? "Unreadable JSON body"
                    : "Unreadable JSON body: " + ProblemDetails.abbreviate(reason), e);
        }
    }

    @Override
    public String toString() {
        return "request body (" + kind + ")";
    }
}
