package io.sluice.boot.docs.gettingstarted;

import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.websocket.annotation.OnMessage;
import io.sluice.boot.websocket.annotation.OnOpen;
import io.sluice.boot.websocket.annotation.WebSocketEndpoint;

@WebSocketEndpoint("/ws/echo/{name}")
public class EchoEndpoint {

    @OnOpen
    public String greet(@PathVar String name) {
        return "Hello, " + name + "!";                        // sent to the client as a text message
    }

    @OnMessage
    public String echo(String text) {
        return text;                                           // every text message comes straight back
    }
}
