package io.sluice.boot.web;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Reports an endpoint that cannot be served in Boot's startup-failure format, without a stack trace to dig through. */
class InvalidEndpointFailureAnalyzer extends AbstractFailureAnalyzer<InvalidEndpointException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidEndpointException cause) {
        return new FailureAnalysis(cause.getMessage(),
                "Fix the endpoint method named above: its mapping annotation, its parameters' bindings, or its "
                        + "return type. The rules are in the starter's guide to annotated endpoints.",
                cause);
    }
}
