package io.sluice.boot.docs.snippets;

import io.sluice.boot.autoconfigure.SluiceServerCustomizer;
import java.time.Duration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The engine settings without a property, as docs/operations.md sets them. */
@Configuration(proxyBeanMethods = false)
public class TransportTuning {

    @Bean
    SluiceServerCustomizer transportTuning() {
        return builder -> builder
                .acceptBacklog(4096)                               // default 1024
                .lingerTimeout(Duration.ofSeconds(1))              // default 2 s
                .writeBufferWaterMarks(64 * 1024, 256 * 1024);     // low, high; default 32 KiB, 64 KiB
    }
}
