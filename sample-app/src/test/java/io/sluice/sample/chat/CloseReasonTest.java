package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CloseReasonTest {

    @Test
    void aShortReasonIsKept() {
        assertThat(ChatEndpoint.closeReason("The name must not be empty")).isEqualTo("The name must not be empty");
    }

    @Test
    void aLongReasonIsCutToWhatACloseFrameCarriesWithoutSplittingACharacter() {
        assertThat(ChatEndpoint.closeReason("x".repeat(200))).isEqualTo("x".repeat(123));
        String cut = ChatEndpoint.closeReason("x" + "\u20ac".repeat(100));    // 1 + 3 * 100 bytes
        assertThat(cut).isEqualTo("x" + "\u20ac".repeat(40));               // 121 bytes: the 41st would end at 124
        assertThat(cut.getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
    }
}
