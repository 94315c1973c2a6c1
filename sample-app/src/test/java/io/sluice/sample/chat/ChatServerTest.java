package io.sluice.sample.chat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Timeout;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The whole application on a free port of 127.0.0.1, with limits small enough to reach in a test. Test classes
 * with this annotation share one running application (Spring caches the context), so each test uses rooms of
 * its own.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "server.address=127.0.0.1",
        "chat.history.size=20",
        "chat.history.default-page-size=10",
        "chat.history.max-page-size=15",
        "chat.input.max-name-length=12",
        "chat.input.max-text-length=200",
        "chat.rate-limit.burst=5",
        "chat.rate-limit.per-second=1",
        "sluice.websocket.max-message-size=2KB",
        "sluice.websocket.max-frame-size=2KB" })
@Timeout(60)
@interface ChatServerTest {
}
