package io.sluice.routing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A path pattern such as {@code /users/{id}}, {@code /files/{id}/raw}, {@code /static/*} or
 * {@code /}, validated when it is parsed so that a mistake fails at registration, not at the first
 * request.
 *
 * <p>A template is a sequence of segments, each one of:
 * <ul>
 *   <li>a <b>literal</b>, compared with the request's percent-decoded segment, so it is written
 *       decoded: {@code /café} matches a request for {@code /caf%C3%A9};
 *   <li>a <b>variable</b> {@code {name}}, filling the whole segment, which matches any non-empty
 *       segment and binds its decoded value to {@code name}; names are ASCII identifiers
 *       ({@code [A-Za-z_][A-Za-z0-9_]*}) and unique within the template;
 *   <li>a <b>wildcard</b> {@code *}, allowed only as the last segment, which matches the rest of the
 *       path (zero or more segments) and binds it to {@link #WILDCARD_VARIABLE}.
 * </ul>
 *
 * <p>Empty segments are rejected (except in the root template {@code /}), so a template never ends
 * in {@code '/'}; matching is strict about trailing slashes, and {@code /users/} does not match
 * {@code /users}. {@code '%'}, {@code '?'} and {@code '#'} are rejected in literals because they
 * almost always mean an encoded literal or a query pasted into a path pattern.
 */
public final class PathTemplate {

    /**
     * The variable name under which a wildcard binds the rest of the path: the remaining segments,
     * each percent-decoded, joined with {@code '/'}, without a leading {@code '/'}; {@code ""} when the
     * wildcard matched no segment. Because each segment is decoded separately, an encoded slash
     * ({@code %2F}) is indistinguishable from a real one in this value, and dot-segments are passed
     * through as they are: a handler that maps it onto a file system must validate it.
     */
    public static final String WILDCARD_VARIABLE = "*";

    private final String pattern;
    private final Segment[] segments;
    /** Variable names in the order they bind, {@link #WILDCARD_VARIABLE} last if there is a wildcard. */
    private final String[] variableNames;

    private PathTemplate(String pattern, Segment[] segments, String[] variableNames) {
        this.pattern = pattern;
        this.segments = segments;
        this.variableNames = variableNames;
    }

    /**
     * Parses and validates {@code pattern}.
     *
     * @throws IllegalArgumentException naming the offending segment when the pattern breaks a rule
     *     described on this class
     */
    public static PathTemplate parse(String pattern) {
        if (pattern == null || pattern.isEmpty() || pattern.charAt(0) != '/') {
            throw invalid(pattern, "it must start with '/'");
        }
        if (pattern.length() == 1) {
            return new PathTemplate(pattern, new Segment[0], new String[0]);
        }
        String[] texts = pattern.substring(1).split("/", -1);
        Segment[] segments = new Segment[texts.length];
        List<String> variableNames = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < texts.length; i++) {
            Segment segment = parseSegment(pattern, texts[i], i + 1, i == texts.length - 1);
            if (segment instanceof Variable variable) {
                if (!seen.add(variable.name())) {
                    throw invalid(pattern, "variable '" + variable.name() + "' appears more than once");
                }
                variableNames.add(variable.name());
            } else if (segment instanceof Wildcard) {
                variableNames.add(WILDCARD_VARIABLE);
            }
            segments[i] = segment;
        }
        return new PathTemplate(pattern, segments, variableNames.toArray(new String[0]));
    }

    private static Segment parseSegment(String pattern, String text, int position, boolean last) {
        if (text.isEmpty()) {
            throw invalid(pattern, "segment " + position + " is empty; remove the doubled or trailing '/'");
        }
        if (text.equals("*")) {
            if (!last) {
                throw invalid(pattern, "the wildcard '*' must be the last segment, but is segment " + position);
            }
            return Wildcard.INSTANCE;
        }
        if (text.length() >= 2 && text.charAt(0) == '{' && text.charAt(text.length() - 1) == '}') {
            String name = text.substring(1, text.length() - 1);
            if (!isVariableName(name)) {
                throw invalid(pattern, describe(text, position)
                        + " has an invalid variable name; use letters, digits and '_', not starting with a digit");
            }
            return new Variable(name);
        }
        for (int i = 0; i < text.length(); i++) {
            String problem = literalCharacterProblem(text.charAt(i));
            if (problem != null) {
                throw invalid(pattern, describe(text, position) + " " + problem);
            }
        }
        return new Literal(text);
    }

    private static String literalCharacterProblem(char c) {
        return switch (c) {
            case '{', '}' -> "has a brace; a variable must be a whole segment, as in '/users/{id}'";
            case '*' -> "has a '*'; the wildcard must be a whole segment, the last one, as in '/static/*'";
            case '%' -> "has a '%'; write literals decoded, as in '/café' rather than '/caf%C3%A9'";
            case '?', '#' -> "has a '" + c + "'; a template matches the path only, not a query or fragment";
            default -> null;
        };
    }

    private static boolean isVariableName(String name) {
        if (name.isEmpty() || isDigit(name.charAt(0))) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || isDigit(c) || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String describe(String segment, int position) {
        return "segment " + position + " ('" + segment + "')";
    }

    private static IllegalArgumentException invalid(String pattern, String reason) {
        return new IllegalArgumentException("Invalid path template '" + pattern + "': " + reason);
    }

    /** The text this template was parsed from. */
    public String pattern() {
        return pattern;
    }

    /** The variable names in path order, ending with {@link #WILDCARD_VARIABLE} if there is a wildcard. */
    public List<String> variableNames() {
        return List.of(variableNames);
    }

    public boolean hasWildcard() {
        return segments.length > 0 && segments[segments.length - 1] instanceof Wildcard;
    }

    /** Whether the template has neither variables nor a wildcard, so it matches exactly one path. */
    public boolean isLiteral() {
        return variableNames.length == 0;
    }

    /**
     * A key equal for templates that match the same paths: variable names are erased, so
     * {@code /a/{x}} and {@code /a/{y}} share one. No literal can contain the markers used here.
     */
    String shape() {
        StringBuilder shape = new StringBuilder(pattern.length());
        for (Segment segment : segments) {
            shape.append('/');
            if (segment instanceof Literal literal) {
                shape.append(literal.text());
            } else {
                shape.append(segment instanceof Variable ? "{}" : "*");
            }
        }
        return shape.length() == 0 ? "/" : shape.toString();
    }

    int segmentCount() {
        return segments.length;
    }

    Segment segment(int index) {
        return segments[index];
    }

    /** Shared with {@link PathVariables}, which never modifies it. */
    String[] variableNamesArray() {
        return variableNames;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PathTemplate that && pattern.equals(that.pattern);
    }

    @Override
    public int hashCode() {
        return pattern.hashCode();
    }

    @Override
    public String toString() {
        return pattern;
    }

    /** One segment of a template. */
    sealed interface Segment permits Literal, Variable, Wildcard {
    }

    /** A segment matched by exact (decoded) text. */
    record Literal(String text) implements Segment {
    }

    /** A segment matched by any non-empty text, bound to {@code name}. */
    record Variable(String name) implements Segment {
    }

    /** The trailing {@code *}. */
    enum Wildcard implements Segment {
        INSTANCE
    }
}
