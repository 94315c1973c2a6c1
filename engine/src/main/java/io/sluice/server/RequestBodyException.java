package io.sluice.server;

import java.io.IOException;

/**
 * A streamed request body failed (malformed chunk, too large, too slow, client gone). Thrown to the
 * handler reading it; if the handler lets it escape, the response gets {@link #status()}.
 */
public final class RequestBodyException extends IOException {

    private final int status;

    public RequestBodyException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The status the request is answered with when the handler does not answer itself. */
    public int status() {
        return status;
    }
}
