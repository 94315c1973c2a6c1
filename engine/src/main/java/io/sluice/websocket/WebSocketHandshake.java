package io.sluice.websocket;

import io.sluice.api.Headers;
import io.sluice.http.RequestHead;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * The server side of the WebSocket opening handshake (RFC 6455 §4.2): decides whether an upgrade
 * request is a valid handshake the endpoint accepts, and computes the 101 response.
 *
 * <p>Refusals, checked in this order:
 *
 * <ul>
 *   <li>400: the method is not {@code GET}; the version is not HTTP/1.1; the request has a body; there
 *       is no {@code Host}; {@code Upgrade} does not list the token {@code websocket}; {@code Connection}
 *       does not list {@code upgrade} (tokens compare ignoring case);
 *   <li>426 with {@code Sec-WebSocket-Version: 13}: {@code Sec-WebSocket-Version} is missing, repeated or
 *       not {@code 13};
 *   <li>400: {@code Sec-WebSocket-Key} is missing, repeated, or not the canonical base64 of exactly 16
 *       bytes;
 *   <li>403: an {@code Origin} field is present and not allowed (or repeated while origins are
 *       restricted).
 * </ul>
 *
 * <p>Otherwise the handshake is accepted with the subprotocol and permessage-deflate parameters
 * selected from the client's offers. Neither is a reason to refuse: with no acceptable offer the
 * response simply does not name one, and the client decides whether to go on.
 */
public final class WebSocketHandshake {

    /** The GUID RFC 6455 appends to the key before hashing. */
    public static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** The only protocol version this server speaks. */
    public static final String VERSION = "13";

    /** Base64 of 16 bytes: 22 data characters (132 bits: 128 of data, 4 zero) and {@code ==}. */
    private static final int KEY_LENGTH = 24;

    private WebSocketHandshake() {
    }

    /** Evaluates a parsed request head against the endpoint's {@code options}. */
    public static HandshakeResult validate(RequestHead head, HandshakeOptions options) {
        return validate(head.method(), head.isHttp11(), head.hasBody(), head, options);
    }

    /**
     * Evaluates a handshake given its parts: for requests that do not come as a {@link RequestHead}.
     *
     * @param hasBody whether the request has a body (chunked, or a {@code Content-Length} above 0)
     */
    public static HandshakeResult validate(String method, boolean http11, boolean hasBody, Headers headers,
            HandshakeOptions options) {
        if (!"GET".equals(method)) {
            return HandshakeResult.refused(400, "A WebSocket handshake must be a GET request");
        }
        if (!http11) {
            return HandshakeResult.refused(400, "A WebSocket handshake must be HTTP/1.1");
        }
        if (hasBody) {
            return HandshakeResult.refused(400, "A WebSocket handshake must not have a body");
        }
        if (!headers.contains("Host")) {
            return HandshakeResult.refused(400, "Missing Host");
        }
        if (!isWebSocketUpgrade(headers)) {
            return HandshakeResult.refused(400, "Upgrade must list websocket");
        }
        if (!listContains(headers.all("Connection"), "upgrade")) {
            return HandshakeResult.refused(400, "Connection must list upgrade");
        }
        List<String> versions = headers.all("Sec-WebSocket-Version");
        if (versions.size() != 1 || !VERSION.equals(versions.get(0).trim())) {
            return HandshakeResult.refused(426, "Unsupported WebSocket version (only 13 is supported)",
                    "Sec-WebSocket-Version", VERSION, "Upgrade", "websocket");
        }
        List<String> keys = headers.all("Sec-WebSocket-Key");
        if (keys.size() != 1 || !isValidKey(keys.get(0).trim())) {
            return HandshakeResult.refused(400, "Sec-WebSocket-Key must be one base64-encoded 16-byte value");
        }
        if (!options.allowsAnyOrigin()) {
            List<String> origins = headers.all("Origin");
            if (origins.size() > 1 || (origins.size() == 1 && !options.isOriginAllowed(origins.get(0)))) {
                return HandshakeResult.refused(403, "Origin not allowed");
            }
        }
        String subprotocol = selectSubprotocol(headers.all("Sec-WebSocket-Protocol"), options);
        PerMessageDeflate deflate = null;
        if (options.permessageDeflate() != null) {
            deflate = PerMessageDeflate.negotiate(headers.all("Sec-WebSocket-Extensions"), options.permessageDeflate());
        }
        return HandshakeResult.accepted(acceptValue(keys.get(0).trim()), subprotocol, deflate);
    }

    /** Whether the {@code Upgrade} fields list the token {@code websocket} (ignoring case). */
    public static boolean isWebSocketUpgrade(Headers headers) {
        return listContains(headers.all("Upgrade"), "websocket");
    }

    /** The {@code Sec-WebSocket-Accept} value for {@code key}: base64(SHA-1(key + GUID)). */
    public static String acceptValue(String key) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required of every JDK", e);
        }
        sha1.update(key.getBytes(StandardCharsets.ISO_8859_1));
        sha1.update(GUID.getBytes(StandardCharsets.US_ASCII));
        return Base64.getEncoder().encodeToString(sha1.digest());
    }

    /**
     * Whether {@code key} is the base64 encoding of exactly 16 bytes: 24 characters of the standard
     * alphabet ending in {@code ==}, with the unused bits of the last data character zero (the encoding
     * every client produces).
     */
    public static boolean isValidKey(String key) {
        if (key.length() != KEY_LENGTH || key.charAt(22) != '=' || key.charAt(23) != '=') {
            return false;
        }
        for (int i = 0; i < 22; i++) {
            if (base64Value(key.charAt(i)) < 0) {
                return false;
            }
        }
        // The 22nd character carries the last 2 bits of the 16th byte and 4 padding bits that must be zero.
        return (base64Value(key.charAt(21)) & 0x0F) == 0;
    }

    private static int base64Value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        return c == '+' ? 62 : c == '/' ? 63 : -1;
    }

    /** The subprotocol to answer with, or {@code null}. */
    static String selectSubprotocol(List<String> offerFields, HandshakeOptions options) {
        List<String> supported = options.subprotocols();
        if (offerFields.isEmpty() || supported.isEmpty()) {
            return null;
        }
        List<String> offers = new ArrayList<>(4);
        for (String field : offerFields) {
            for (String element : field.split(",", -1)) {
                String offer = element.trim();
                if (!offer.isEmpty()) {
                    offers.add(offer);
                }
            }
        }
        if (options.preferServerSubprotocolOrder()) {
            for (String candidate : supported) {
                if (offers.contains(candidate)) {
                    return candidate;
                }
            }
        } else {
            for (String offer : offers) {
                if (supported.contains(offer)) {
                    return offer;
                }
            }
        }
        return null;
    }

    /** Whether a comma-separated list, possibly spread over several fields, has {@code token} (ignoring case). */
    private static boolean listContains(List<String> fields, String token) {
        for (String field : fields) {
            int start = 0;
            while (start <= field.length()) {
                int comma = field.indexOf(',', start);
                int end = comma < 0 ? field.length() : comma;
                if (field.substring(start, end).trim().equalsIgnoreCase(token)) {
                    return true;
                }
                start = end + 1;
            }
        }
        return false;
    }
}
