package io.sluice.http;

/**
 * Why a request was refused before reaching a handler, with the status it is answered with. After
 * any of these the connection is closed: once framing is in doubt, nothing later on the same
 * connection can be trusted (RFC 9112 §9.6 and the request-smuggling advisories behind it).
 */
public enum RequestError {

    MALFORMED_REQUEST_LINE(400),
    /** Request line longer than the limit. */
    URI_TOO_LONG(414),
    /** Header section larger than the byte limit, or more fields than the count limit. */
    HEADERS_TOO_LARGE(431),
    /** A field line that is not {@code token ":" OWS value OWS}, or holds control bytes. */
    MALFORMED_HEADER(400),
    /** A field line starting with whitespace: obsolete line folding (RFC 9112 §5.2). */
    OBSOLETE_LINE_FOLDING(400),
    /** Whitespace between a field name and the colon (RFC 9112 §5.1). */
    WHITESPACE_BEFORE_COLON(400),
    /** A line ended by LF without CR, or a CR not followed by LF. */
    BARE_LINE_TERMINATOR(400),
    /** HTTP/1.1 without a Host field, or more than one Host field (RFC 9112 §3.2). */
    INVALID_HOST(400),
    /** A Content-Length that is not a decimal number, or differing values. */
    INVALID_CONTENT_LENGTH(400),
    /** Content-Length and Transfer-Encoding together, or Transfer-Encoding on HTTP/1.0. */
    CONFLICTING_FRAMING(400),
    /** Transfer-Encoding whose final coding is not chunked. */
    INVALID_TRANSFER_ENCODING(400),
    /** A transfer coding other than chunked (we decode no others). */
    UNSUPPORTED_TRANSFER_CODING(501),
    /** A malformed chunk-size line, chunk terminator or trailer section. */
    INVALID_CHUNK(400),
    /** A body larger than the limit; decided from Content-Length before reading it where possible. */
    BODY_TOO_LARGE(413),
    /** An HTTP version other than 1.0 and 1.1. */
    UNSUPPORTED_VERSION(505),
    /** An Expect value other than 100-continue. */
    EXPECTATION_FAILED(417),
    /** A path that is not valid percent-encoded UTF-8. */
    INVALID_PATH(400),
    /** A method the server does not implement at all (CONNECT). */
    METHOD_NOT_IMPLEMENTED(501);

    private final int status;

    RequestError(int status) {
        this.status = status;
    }

    /** The status code the request is answered with. */
    public int status() {
        return status;
    }
}
