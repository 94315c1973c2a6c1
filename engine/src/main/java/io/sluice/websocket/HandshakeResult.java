package io.sluice.websocket;

import io.sluice.api.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The outcome of {@link WebSocketHandshake#validate}: an acceptance, answered with
 * {@code 101 Switching Protocols} ({@link #responseHead()}), or a refusal, answered with an ordinary
 * HTTP error response ({@link #refusalResponse()}).
 */
public final class HandshakeResult {

    private static final String[] NO_FIELDS = new String[0];

    private final int status;
    private final String refusalReason;
    private final String[] refusalFields;
    private final String acceptValue;
    private final String subprotocol;
    private final PerMessageDeflate deflate;
    private byte[] responseHead;

    private HandshakeResult(int status, String refusalReason, String[] refusalFields, String acceptValue,
            String subprotocol, PerMessageDeflate deflate) {
        this.status = status;
        this.refusalReason = refusalReason;
        this.refusalFields = refusalFields;
        this.acceptValue = acceptValue;
        this.subprotocol = subprotocol;
        this.deflate = deflate;
    }

    static HandshakeResult refused(int status, String reason, String... fieldNamesAndValues) {
        return new HandshakeResult(status, reason, fieldNamesAndValues, null, null, null);
    }

    static HandshakeResult accepted(String acceptValue, String subprotocol, PerMessageDeflate deflate) {
        return new HandshakeResult(101, null, NO_FIELDS, acceptValue, subprotocol, deflate);
    }

    public boolean isAccepted() {
        return status == 101;
    }

    /** {@code 101} when accepted; otherwise the refusal status (400, 403 or 426). */
    public int status() {
        return status;
    }

    /** Why the handshake was refused (a fixed, client-safe sentence), or {@code null} when accepted. */
    public String refusalReason() {
        return refusalReason;
    }

    /** Header fields the refusal response must carry (e.g. {@code Sec-WebSocket-Version: 13} with 426), as name/value pairs. */
    public List<String[]> refusalHeaderFields() {
        return pairs(refusalFields);
    }

    /**
     * The refusal as a response: its status, its {@link #refusalHeaderFields() fields} and the reason as a
     * plain-text body.
     *
     * @throws IllegalStateException when the handshake was accepted
     */
    public HttpResponse refusalResponse() {
        if (isAccepted()) {
            throw new IllegalStateException("handshake accepted");
        }
        HttpResponse.Builder builder = HttpResponse.status(status);
        for (int i = 0; i < refusalFields.length; i += 2) {
            builder.header(refusalFields[i], refusalFields[i + 1]);
        }
        return builder.text(refusalReason + "\n");
    }

    /** The {@code Sec-WebSocket-Accept} value, or {@code null} when refused. */
    public String acceptValue() {
        return acceptValue;
    }

    /** The selected subprotocol, or {@code null} (none offered, none supported, or refused). */
    public String subprotocol() {
        return subprotocol;
    }

    /** The agreed permessage-deflate parameters, or {@code null} when the session is not compressed. */
    public PerMessageDeflate permessageDeflate() {
        return deflate;
    }

    /** A new deflater for this session's outgoing messages, or {@code null} when not compressed. Release it on close. */
    public MessageDeflater newDeflater() {
        return deflate == null ? null : deflate.newDeflater();
    }

    /** A new inflater for this session's incoming messages, or {@code null} when not compressed. Release it on close. */
    public DeflateInflater newInflater() {
        return deflate == null ? null : deflate.newInflater();
    }

    /** The {@code Sec-WebSocket-Extensions} value of the 101 response, or {@code null} for none. */
    public String extensionsHeaderValue() {
        return deflate == null ? null : deflate.responseHeaderValue();
    }

    /**
     * The 101 response's header fields as name/value pairs: {@code Upgrade}, {@code Connection},
     * {@code Sec-WebSocket-Accept} and, when negotiated, {@code Sec-WebSocket-Protocol} and
     * {@code Sec-WebSocket-Extensions}.
     *
     * @throws IllegalStateException when the handshake was refused
     */
    public List<String[]> responseHeaderFields() {
        requireAccepted();
        List<String[]> fields = new ArrayList<>(5);
        fields.add(new String[] {"Upgrade", "websocket"});
        fields.add(new String[] {"Connection", "Upgrade"});
        fields.add(new String[] {"Sec-WebSocket-Accept", acceptValue});
        if (subprotocol != null) {
            fields.add(new String[] {"Sec-WebSocket-Protocol", subprotocol});
        }
        if (deflate != null) {
            fields.add(new String[] {"Sec-WebSocket-Extensions", deflate.responseHeaderValue()});
        }
        return fields;
    }

    /**
     * The complete 101 response head, ending with the empty line. Never modify the returned array.
     *
     * @throws IllegalStateException when the handshake was refused
     */
    public byte[] responseHead() {
        requireAccepted();
        if (responseHead == null) {
            StringBuilder head = new StringBuilder(160).append("HTTP/1.1 101 Switching Protocols\r\n");
            for (String[] field : responseHeaderFields()) {
                head.append(field[0]).append(": ").append(field[1]).append("\r\n");
            }
            responseHead = head.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
        }
        return responseHead;
    }

    /**
     * Puts the 101 response head into {@code destination}.
     *
     * @throws java.nio.BufferOverflowException when it does not fit ({@code responseHead().length} bytes)
     * @throws IllegalStateException when the handshake was refused
     */
    public void writeResponseHead(ByteBuffer destination) {
        destination.put(responseHead());
    }

    private void requireAccepted() {
        if (!isAccepted()) {
            throw new IllegalStateException("handshake refused: " + refusalReason);
        }
    }

    private static List<String[]> pairs(String[] namesAndValues) {
        if (namesAndValues.length == 0) {
            return Collections.emptyList();
        }
        List<String[]> out = new ArrayList<>(namesAndValues.length / 2);
        for (int i = 0; i < namesAndValues.length; i += 2) {
            out.add(new String[] {namesAndValues[i], namesAndValues[i + 1]});
        }
        return out;
    }

    @Override
    public String toString() {
        return isAccepted()
                ? "HandshakeResult[101, subprotocol=" + subprotocol + ", extensions=" + extensionsHeaderValue() + "]"
                : "HandshakeResult[" + status + ", " + refusalReason + "]";
    }
}
