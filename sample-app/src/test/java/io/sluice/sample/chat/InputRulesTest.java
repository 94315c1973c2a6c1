package io.sluice.sample.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class InputRulesTest {

    private final InputRules rules = new InputRules(new ChatProperties.Input(5, 16));

    @Test
    void roomNamesAreUrlSafeWords() {
        assertThat(rules.roomName("team-7_b")).isEqualTo("team-7_b");
        for (String invalid : new String[] { "", "a b", "a/b", "..", "caf\u00e9", "x".repeat(33), null }) {
            assertThatThrownBy(() -> rules.roomName(invalid)).as(invalid)
                    .isInstanceOf(InvalidInputException.class)
                    .hasMessage("A room name is 1 to 32 letters, digits, '-' or '_'")
                    .extracting(e -> ((InvalidInputException) e).code()).isEqualTo("invalid-room");
        }
    }

    @Test
    void namesAreStrippedAndCountedInCharacters() {
        assertThat(rules.userName("  Zoë ")).isEqualTo("Zoë");
        assertThat(rules.userName("\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00\uD83D\uDE00"))
                .as("five emoji are five characters").hasSize(10);
        assertThatThrownBy(() -> rules.userName("abcdef")).hasMessage("The name may be at most 5 characters long");
        assertThatThrownBy(() -> rules.userName(null)).hasMessage("The name must not be empty");
        assertThatThrownBy(() -> rules.userName(" \t ")).hasMessage("The name must not be empty");
    }

    @Test
    void controlAndInvisibleCharactersAreRefusedInNames() {
        assertThatThrownBy(() -> rules.userName("a\u0000b")).hasMessage(
                "The name contains a character that is not allowed (U+0000) at position 2");
        assertThatThrownBy(() -> rules.userName("a\u200Bb")).as("zero-width space").hasMessage(
                "The name contains a character that is not allowed (U+200B) at position 2");
        assertThatThrownBy(() -> rules.userName("a\u0085")).as("C1 next line").hasMessage(
                "The name contains a character that is not allowed (U+0085) at position 2");
        assertThatThrownBy(() -> rules.userName("\uDC00a")).as("lone surrogate").hasMessage(
                "The name contains a character that is not allowed (U+DC00) at position 1");
    }

    @Test
    void textsMayHoldEmojiSequencesButNoControls() {
        String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67";    // joined by zero-width joiners
        assertThat(rules.text(family)).isEqualTo(family);
        assertThat(rules.text("<b>&amp;</b>")).as("markup is only text").isEqualTo("<b>&amp;</b>");
        assertThatThrownBy(() -> rules.text("a\u2028b")).hasMessage(
                "The text contains a character that is not allowed (U+2028) at position 2");
        assertThatThrownBy(() -> rules.text("tab\there")).hasMessage(
                "The text contains a character that is not allowed (U+0009) at position 4");
        assertThatThrownBy(() -> rules.text("x".repeat(17))).hasMessage("The text may be at most 16 characters long");
    }
}
