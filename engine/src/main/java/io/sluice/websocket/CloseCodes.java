package io.sluice.websocket;

/**
 * WebSocket close status codes (RFC 6455 §7.4 and the IANA "WebSocket Close Code Number Registry").
 *
 * <p>Some registered codes are only for reporting locally and must never appear in a close frame:
 * {@link #NO_STATUS} (the close frame had no code), {@link #ABNORMAL} (no close frame at all) and
 * {@link #TLS_HANDSHAKE}. {@link #isValidOnWire} tells them apart from codes a peer may send.
 */
public final class CloseCodes {

    /** The purpose of the connection was fulfilled. */
    public static final int NORMAL = 1000;
    /** The endpoint is going away: server shutdown, browser leaving the page. */
    public static final int GOING_AWAY = 1001;
    /** The peer broke the protocol. */
    public static final int PROTOCOL_ERROR = 1002;
    /** A message of a type the endpoint cannot accept (e.g. binary where only text is understood). */
    public static final int UNSUPPORTED_DATA = 1003;
    /** Local only: the close frame carried no status code. Never sent. */
    public static final int NO_STATUS = 1005;
    /** Local only: the connection ended without a close frame. Never sent. */
    public static final int ABNORMAL = 1006;
    /** Message data inconsistent with its type: invalid UTF-8 in text, undecompressable data. */
    public static final int INVALID_PAYLOAD = 1007;
    /** A generic policy violation, when no more specific code fits. */
    public static final int POLICY_VIOLATION = 1008;
    /** A frame or message larger than the endpoint accepts. */
    public static final int MESSAGE_TOO_BIG = 1009;
    /** Sent by a client: the server did not negotiate an extension the client requires. */
    public static final int MANDATORY_EXTENSION = 1010;
    /** The server hit an unexpected condition. */
    public static final int INTERNAL_ERROR = 1011;
    /** The server is restarting. */
    public static final int SERVICE_RESTART = 1012;
    /** The server is overloaded; the client may reconnect later. */
    public static final int TRY_AGAIN_LATER = 1013;
    /** A gateway received an invalid response from upstream. */
    public static final int BAD_GATEWAY = 1014;
    /** Local only: the TLS handshake failed. Never sent. */
    public static final int TLS_HANDSHAKE = 1015;

    private CloseCodes() {
    }

    /**
     * Whether {@code code} may appear in a close frame: the assigned protocol codes 1000-1003 and
     * 1007-1014, and the ranges for libraries and frameworks (3000-3999) and for applications
     * (4000-4999). Everything else — below 1000, the local-only 1005, 1006 and 1015, the reserved
     * 1004, the unassigned 1016-2999 and anything from 5000 — is a protocol error when received.
     */
    public static boolean isValidOnWire(int code) {
        return (code >= 1000 && code <= 1003)
                || (code >= 1007 && code <= 1014)
                || (code >= 3000 && code <= 4999);
    }
}
