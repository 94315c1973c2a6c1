package io.sluice.boot.docs.gettingstarted;

import io.sluice.boot.web.annotation.Get;
import io.sluice.boot.web.annotation.PathVar;
import io.sluice.boot.web.annotation.QueryParam;
import io.sluice.boot.web.annotation.SluiceController;

@SluiceController("/greetings")
public class GreetingEndpoints {

    public record Greeting(String text) {
    }

    @Get("/{name}")
    public Greeting greet(@PathVar String name, @QueryParam(defaultValue = "Hello") String salutation) {
        return new Greeting(salutation + ", " + name + "!");   // written as JSON
    }
}
