package io.sluice.sample.chat;

import java.util.regex.Pattern;

/**
 * What room names, user names and message texts may look like. Each check returns the value as the chat will
 * use it (surrounding white space removed) or throws {@link InvalidInputException} saying what is wrong.
 *
 * <ul>
 *   <li>Room names appear in URLs, so they are plain: letters, digits, {@code -} and {@code _}.
 *   <li>User names are any text of printable characters. Control characters and invisible format characters
 *       (such as right-to-left overrides) are refused, so a name cannot pose as someone else's or break lines.
 *   <li>Texts are printable characters too, but may contain format characters: emoji sequences need the
 *       zero-width joiner.
 * </ul>
 *
 * <p>Lengths count characters as people do (code points), not UTF-16 units. Text is never interpreted as
 * markup: the page renders it as text, which is what keeps {@code <script>} harmless, not a filter here.
 */
public final class InputRules {

    public static final String INVALID_ROOM = "invalid-room";
    public static final String INVALID_NAME = "invalid-name";
    public static final String INVALID_TEXT = "invalid-text";

    static final int MAX_ROOM_NAME_LENGTH = 32;
    private static final Pattern ROOM_NAME = Pattern.compile("[A-Za-z0-9_-]{1," + MAX_ROOM_NAME_LENGTH + "}");

    private final int maxNameLength;
    private final int maxTextLength;

    public InputRules(ChatProperties.Input limits) {
        this.maxNameLength = limits.maxNameLength();
        this.maxTextLength = limits.maxTextLength();
    }

    public String roomName(String room) {
        if (room == null || !ROOM_NAME.matcher(room).matches()) {
            throw new InvalidInputException(INVALID_ROOM, "A room name is 1 to " + MAX_ROOM_NAME_LENGTH
                    + " letters, digits, '-' or '_'");
        }
        return room;
    }

    public String userName(String name) {
        return printable(name, "name", INVALID_NAME, maxNameLength, false);
    }

    public String text(String text) {
        return printable(text, "text", INVALID_TEXT, maxTextLength, true);
    }

    public int maxTextLength() {
        return maxTextLength;
    }

    private static String printable(String value, String what, String code, int maxLength, boolean formatAllowed) {
        String stripped = value == null ? "" : value.strip();
        if (stripped.isEmpty()) {
            throw new InvalidInputException(code, "The " + what + " must not be empty");
        }
        int length = 0;
        for (int i = 0; i < stripped.length(); ) {
            int c = stripped.codePointAt(i);
            i += Character.charCount(c);
            length++;
            if (length > maxLength) {
                throw new InvalidInputException(code, "The " + what + " may be at most " + maxLength + " characters long");
            }
            if (!allowed(c, formatAllowed)) {
                throw new InvalidInputException(code, "The " + what + " contains a character that is not allowed ("
                        + describe(c) + ") at position " + length);
            }
        }
        return stripped;
    }

    private static boolean allowed(int c, boolean formatAllowed) {
        switch (Character.getType(c)) {
            case Character.CONTROL:        // C0 and C1 controls: line breaks, escapes, NUL...
            case Character.SURROGATE:      // half of a pair: JSON's "\ud800" escape can produce one
            case Character.UNASSIGNED:     // includes noncharacters such as U+FFFF
            case Character.PRIVATE_USE:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                return false;
            case Character.FORMAT:
                return formatAllowed;
            default:
                return true;
        }
    }

    private static String describe(int c) {
        return String.format("U+%04X", c);
    }
}
