package io.sluice.boot.web;

import io.sluice.api.HttpResponse;
import io.sluice.boot.json.JsonCodec;
import org.springframework.core.ResolvableType;

/**
 * Turns what an endpoint method returned into the response. Chosen from the declared return type when the
 * application starts; only a declared {@code Object} (or a {@link Reply} of one) looks at the value's class.
 */
@FunctionalInterface
interface ResponseWriter {

    String OCTET_STREAM = "application/octet-stream";
    String JSON = "application/json";
    HttpResponse NO_CONTENT = HttpResponse.noContent();

    HttpResponse write(Object value);

    /**
     * The writer for values of {@code type} (already unwrapped from a {@code CompletionStage}).
     *
     * @param codec the JSON codec, or {@code null} when the application has none
     * @throws IllegalStateException when {@code type} needs JSON and there is no codec
     */
    static ResponseWriter forType(ResolvableType type, JsonCodec codec) {
        Class<?> raw = type.toClass();
        if (raw == void.class || raw == Void.class) {
            return value -> NO_CONTENT;
        }
        if (raw == String.class) {
            return value -> value == null ? NO_CONTENT : HttpResponse.text((String) value);
        }
        if (raw == byte[].class) {
            return value -> value == null ? NO_CONTENT : bytes((byte[]) value);
        }
        if (raw == HttpResponse.class) {
            return value -> {
                if (value == null) {
                    throw new IllegalStateException("The endpoint returned a null HttpResponse");
                }
                return (HttpResponse) value;
            };
        }
        if (raw == Reply.class) {
            ResolvableType bodyType = type.getGeneric(0);
            requireCodecIfJson(bodyType.toClass(), codec);
            return value -> {
                if (value == null) {
                    throw new IllegalStateException("The endpoint returned a null Reply");
                }
                return reply((Reply<?>) value, codec);
            };
        }
        if (raw == Object.class) {
            return value -> dynamic(value, codec);
        }
        requireCodecIfJson(raw, codec);
        return value -> value == null ? NO_CONTENT : json(value, codec);
    }

    private static void requireCodecIfJson(Class<?> bodyType, JsonCodec codec) {
        boolean json = bodyType != Object.class && bodyType != String.class && bodyType != byte[].class
                && bodyType != Void.class;
        if (json && codec == null) {
            throw new IllegalStateException("it returns " + bodyType.getSimpleName()
                    + " as JSON, but there is no JsonCodec bean; add Jackson (tools.jackson.core:jackson-databind)"
                    + " or define a JsonCodec");
        }
    }

    /** For a declared {@code Object}: whatever the value is, written as if it had been declared so. */
    private static HttpResponse dynamic(Object value, JsonCodec codec) {
        if (value == null) {
            return NO_CONTENT;
        }
        if (value instanceof String text) {
            return HttpResponse.text(text);
        }
        if (value instanceof byte[] bytes) {
            return bytes(bytes);
        }
        if (value instanceof HttpResponse response) {
            return response;
        }
        if (value instanceof Reply<?> reply) {
            return reply(reply, codec);
        }
        return json(value, codec);
    }

    private static HttpResponse bytes(byte[] bytes) {
        return HttpResponse.status(200).contentType(OCTET_STREAM).body(bytes);
    }

    private static HttpResponse json(Object value, JsonCodec codec) {
        return HttpResponse.status(200).contentType(JSON).body(encode(value, codec));
    }

    private static byte[] encode(Object value, JsonCodec codec) {
        if (codec == null) {
            throw new IllegalStateException("Cannot write " + value.getClass().getName()
                    + " as JSON: there is no JsonCodec bean");
        }
        return codec.write(value);
    }

    private static HttpResponse reply(Reply<?> reply, JsonCodec codec) {
        HttpResponse.Builder response = HttpResponse.status(reply.status());
        boolean hasContentType = false;
        for (int i = 0; i < reply.headerCount(); i++) {
            String name = reply.headerName(i);
            hasContentType |= name.equalsIgnoreCase("Content-Type");
            response.header(name, reply.headerValue(i));
        }
        Object body = reply.body();
        if (body == null) {
            return response.empty();
        }
        if (body instanceof String text) {
            return response.text(text);
        }
        if (body instanceof byte[] bytes) {
            return (hasContentType ? response : response.contentType(OCTET_STREAM)).body(bytes);
        }
        byte[] json = encode(body, codec);
        return (hasContentType ? response : response.contentType(JSON)).body(json);
    }
}
