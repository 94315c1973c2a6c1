package io.sluice.boot.websocket;

import io.sluice.boot.websocket.annotation.OnClose;
import io.sluice.boot.websocket.annotation.OnError;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import java.lang.annotation.Annotation;

/** The kinds of endpoint callback, with the parameters each may declare besides the session and path variables. */
enum Callback {

    OPEN(OnOpen.class, ""),
    MESSAGE(OnMessage.class, ", and one message parameter: String for text, byte[] for binary, any other type for JSON text"),
    CLOSE(OnClose.class, ", an int close code and a String close reason"),
    ERROR(OnError.class, ", and one Throwable parameter: the type of failure it handles");

    private final Class<? extends Annotation> annotation;
    private final String otherParameters;

    Callback(Class<? extends Annotation> annotation, String otherParameters) {
        this.annotation = annotation;
        this.otherParameters = otherParameters;
    }

    Class<? extends Annotation> annotation() {
        return annotation;
    }

    /** For error messages: "@OnMessage". */
    String label() {
        return "@" + annotation.getSimpleName();
    }

    /** For error messages: what the callback's parameters may be. */
    String allowedParameters() {
        return "an " + label() + " method takes the WebSocketSession and @PathVar parameters" + otherParameters;
    }
}
