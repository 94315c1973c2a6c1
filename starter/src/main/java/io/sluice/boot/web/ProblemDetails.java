package io.sluice.boot.web;

import io.sluice.api.HttpResponse;
import io.sluice.api.HttpStatus;
import java.nio.charset.StandardCharsets;

/**
 * Error responses with an RFC 9457 problem body. Written by hand rather than through the JSON codec: error
 * answers must work even when the application has no JSON library, and the shape is fixed and tiny.
 */
final class ProblemDetails {

    static final String CONTENT_TYPE = "application/problem+json";
    /** Longest excerpt of client input quoted back in a {@code detail}. */
    private static final int MAX_QUOTED_LENGTH = 64;
    /** Longest message from a parser (which may quote input itself) put in a {@code detail}. */
    private static final int MAX_MESSAGE_LENGTH = 400;

    private ProblemDetails() {
    }

    /**
     * A response with {@code status} and a problem body: {@code type} {@code about:blank} (the status says it
     * all), {@code title} the status's reason phrase, {@code detail} when given, {@code instance} the path.
     */
    static HttpResponse response(int status, String detail, String instance) {
        return HttpResponse.status(status).contentType(CONTENT_TYPE).body(body(status, detail, instance));
    }

    static byte[] body(int status, String detail, String instance) {
        StringBuilder json = new StringBuilder(128);
        json.append("{\"type\":\"about:blank\",\"title\":");
        appendString(json, HttpStatus.reasonPhrase(status));
        json.append(",\"status\":").append(status);
        if (detail != null) {
            json.append(",\"detail\":");
            appendString(json, detail);
        }
        if (instance != null) {
            json.append(",\"instance\":");
            appendString(json, instance);
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Client input for quoting in a {@code detail}: in quotes, cut short so that a huge value cannot make a
     * huge error response.
     */
    static String quote(String value) {
        if (value.length() <= MAX_QUOTED_LENGTH) {
            return "'" + value + "'";
        }
        int end = Character.isHighSurrogate(value.charAt(MAX_QUOTED_LENGTH - 1)) ? MAX_QUOTED_LENGTH - 1 : MAX_QUOTED_LENGTH;
        return "'" + value.substring(0, end) + "…' (" + value.length() + " characters)";
    }

    /** A message that may quote client input, cut short for the same reason as in {@link #quote}. */
    static String abbreviate(String message) {
        if (message.length() <= MAX_MESSAGE_LENGTH) {
            return message;
        }
        int end = Character.isHighSurrogate(message.charAt(MAX_MESSAGE_LENGTH - 1)) ? MAX_MESSAGE_LENGTH - 1
                : MAX_MESSAGE_LENGTH;
        return message.substring(0, end) + "…";
    }

    /** A JSON string (RFC 8259 §7): quotes, backslashes and control characters escaped. */
    private static void appendString(StringBuilder json, String value) {
        json.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
