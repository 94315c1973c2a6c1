package io.sluice.boot.autoconfigure;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports a taken port at startup as Boot does for its own servers: the port, and how to get past it. */
class SluicePortInUseFailureAnalyzer extends AbstractFailureAnalyzer<SluicePortInUseException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, SluicePortInUseException cause) {
        int port = cause.getPort();
        return new FailureAnalysis("Sluice failed to start: port " + port + " is already in use.",
                "Identify and stop the process that is listening on port " + port + ", or configure this "
                        + "application to listen on another port with server.port (0 picks a free one).",
                cause);
    }
}
