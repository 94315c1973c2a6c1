package io.sluice.websocket;

import io.sluice.api.HttpStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One extension offered in a {@code Sec-WebSocket-Extensions} request field (RFC 6455 §9.1): a name and
 * its parameters, in the order sent.
 *
 * <pre>
 * extension-list  = 1#extension
 * extension       = extension-token *( ";" extension-param )
 * extension-param = token [ "=" (token | quoted-string) ]
 * </pre>
 *
 * <p>Names are kept as sent and compared ignoring ASCII case. A quoted value is unescaped; RFC 6455
 * requires the unescaped value to be a token, so an offer whose quoted value is not is reported as
 * {@link #isWellFormed() malformed} (and no extension accepts a malformed offer).
 */
public final class ExtensionOffer {

    private final String name;
    private final List<Parameter> parameters;
    private final boolean wellFormed;

    ExtensionOffer(String name, List<Parameter> parameters, boolean wellFormed) {
        this.name = name;
        this.parameters = Collections.unmodifiableList(parameters);
        this.wellFormed = wellFormed;
    }

    /** The extension token as sent. */
    public String name() {
        return name;
    }

    /** Whether this offer names {@code extension}, ignoring ASCII case. */
    public boolean is(String extension) {
        return name.equalsIgnoreCase(extension);
    }

    /** The parameters in the order sent (duplicates included). */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** Whether every parameter value is a token (after unescaping a quoted value). */
    public boolean isWellFormed() {
        return wellFormed;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(name);
        for (Parameter p : parameters) {
            s.append("; ").append(p);
        }
        return s.toString();
    }

    /**
     * Parses every offer in the given {@code Sec-WebSocket-Extensions} field values (a repeated field is
     * the same as one field with the values joined by commas), in order.
     *
     * <p>A syntax error drops the offer it occurs in: parsing resumes after the next comma that is not
     * inside a quoted string, so offers before and after it are still returned. Empty list elements are
     * skipped.
     */
    public static List<ExtensionOffer> parse(List<String> fieldValues) {
        List<ExtensionOffer> offers = new ArrayList<>(2);
        for (String value : fieldValues) {
            new Parser(value).parseInto(offers);
        }
        return offers;
    }

    /** An extension parameter: a name and an optional value. */
    public static final class Parameter {

        private final String name;
        private final String value;

        Parameter(String name, String value) {
            this.name = name;
            this.value = value;
        }

        /** The parameter name as sent. */
        public String name() {
            return name;
        }

        /** The parameter name in lower case, for comparisons. */
        public String lowerCaseName() {
            return name.toLowerCase(Locale.ROOT);
        }

        /** The value (unescaped if it was quoted), or {@code null} when the parameter has none. */
        public String value() {
            return value;
        }

        @Override
        public String toString() {
            return value == null ? name : name + "=" + value;
        }
    }

    private static final class Parser {

        private final String s;
        private int p;

        Parser(String s) {
            this.s = s;
        }

        void parseInto(List<ExtensionOffer> offers) {
            int length = s.length();
            while (p < length) {
                skipWhitespace();
                if (p >= length) {
                    return;
                }
                if (s.charAt(p) == ',') {
                    p++;
                    continue;
                }
                ExtensionOffer offer = offer();
                if (offer != null) {
                    offers.add(offer);
                } else {
                    skipPastComma();
                }
            }
        }

        /** One offer, ending at a comma (consumed) or the end; {@code null} on a syntax error. */
        private ExtensionOffer offer() {
            String name = token();
            if (name == null) {
                return null;
            }
            List<Parameter> parameters = new ArrayList<>(2);
            boolean wellFormed = true;
            while (true) {
                skipWhitespace();
                if (p >= s.length()) {
                    break;
                }
                char c = s.charAt(p);
                if (c == ',') {
                    p++;
                    break;
                }
                if (c != ';') {
                    return null;
                }
                p++;
                skipWhitespace();
                String parameterName = token();
                if (parameterName == null) {
                    return null;
                }
                skipWhitespace();
                String value = null;
                if (p < s.length() && s.charAt(p) == '=') {
                    p++;
                    skipWhitespace();
                    if (p < s.length() && s.charAt(p) == '"') {
                        value = quotedString();
                        if (value == null) {
                            return null;
                        }
                        wellFormed &= HttpStatus.isToken(value);
                    } else {
                        value = token();
                        if (value == null) {
                            return null;
                        }
                    }
                }
                parameters.add(new Parameter(parameterName, value));
            }
            return new ExtensionOffer(name, parameters, wellFormed);
        }

        private String token() {
            int start = p;
            while (p < s.length() && HttpStatus.isTokenChar(s.charAt(p))) {
                p++;
            }
            return p > start ? s.substring(start, p) : null;
        }

        /** A quoted string starting at {@code p}, unescaped; {@code null} when unterminated or invalid. */
        private String quotedString() {
            StringBuilder value = new StringBuilder();
            p++;
            while (p < s.length()) {
                char c = s.charAt(p++);
                if (c == '"') {
                    return value.toString();
                }
                if (c == '\\') {
                    if (p >= s.length()) {
                        return null;
                    }
                    c = s.charAt(p++);
                }
                if ((c < 0x20 && c != '\t') || c == 0x7F) {
                    return null;
                }
                value.append(c);
            }
            return null;
        }

        private void skipWhitespace() {
            while (p < s.length() && (s.charAt(p) == ' ' || s.charAt(p) == '\t')) {
                p++;
            }
        }

        /** After a syntax error: skips to just past the next comma outside a quoted string. */
        private void skipPastComma() {
            boolean quoted = false;
            while (p < s.length()) {
                char c = s.charAt(p++);
                if (quoted) {
                    if (c == '\\') {
                        p++;
                    } else if (c == '"') {
                        quoted = false;
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    return;
                }
            }
        }
    }
}
