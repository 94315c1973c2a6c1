package io.sluice.boot.web;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What an endpoint answers when the status or headers matter: an immutable status, header fields and body.
 * The body is written as an endpoint's return value would be: a {@code String} as UTF-8 text, a
 * {@code byte[]} as {@code application/octet-stream}, {@code null} as no body, anything else as JSON. A
 * {@code Content-Type} header given here overrides those defaults.
 *
 * <pre>{@code
 * @Post("/users")
 * Reply<User> create(@Body NewUser user) {
 *     User created = users.add(user);
 *     return Reply.created("/users/" + created.id(), created);
 * }
 * }</pre>
 *
 * <p>The {@code with…} methods return modified copies, so a reply kept in a constant is safe to share.
 *
 * @param <T> the body's type
 */
public final class Reply<T> {

    private static final String[] NO_HEADERS = new String[0];

    private final int status;
    /** Name/value pairs in order. */
    private final String[] headers;
    private final T body;

    private Reply(int status, String[] headers, T body) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("status must be 200-999 (1xx are sent by the server): " + status);
        }
        this.status = status;
        this.headers = headers;
        this.body = body;
    }

    /** {@code 200 OK} with {@code body}. */
    public static <T> Reply<T> ok(T body) {
        return new Reply<>(200, NO_HEADERS, body);
    }

    /** {@code 201 Created} with a {@code Location} header and {@code body}. */
    public static <T> Reply<T> created(String location, T body) {
        return new Reply<T>(201, NO_HEADERS, body).withHeader("Location", location);
    }

    /** {@code 204 No Content}. */
    public static Reply<Void> noContent() {
        return new Reply<>(204, NO_HEADERS, null);
    }

    /** {@code status} without a body; add one with {@link #withBody}. */
    public static Reply<Void> status(int status) {
        return new Reply<>(status, NO_HEADERS, null);
    }

    /** This reply with {@code body} instead of its own. */
    public <B> Reply<B> withBody(B body) {
        return new Reply<>(status, headers, body);
    }

    /** This reply with {@code status} instead of its own. */
    public Reply<T> withStatus(int status) {
        return new Reply<>(status, headers, body);
    }

    /**
     * This reply with one more header field. The name and value are checked when the response is written:
     * {@code Content-Length}, {@code Transfer-Encoding} and {@code Date} belong to the server, and a value
     * with line breaks is refused.
     */
    public Reply<T> withHeader(String name, String value) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        String[] more = Arrays.copyOf(headers, headers.length + 2);
        more[headers.length] = name;
        more[headers.length + 1] = value;
        return new Reply<>(status, more, body);
    }

    public int status() {
        return status;
    }

    /** The body, or {@code null} for none. */
    public T body() {
        return body;
    }

    /** The header fields in the order they were added. */
    public List<Map.Entry<String, String>> headers() {
        List<Map.Entry<String, String>> entries = new ArrayList<>(headers.length / 2);
        for (int i = 0; i < headers.length; i += 2) {
            entries.add(Map.entry(headers[i], headers[i + 1]));
        }
        return entries;
    }

    /** The first value of header {@code name} (case-insensitive), or {@code null}. */
    public String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    /** Number of header name/value pairs, for iterating with {@link #headerName}/{@link #headerValue}. */
    int headerCount() {
        return headers.length / 2;
    }

    String headerName(int index) {
        return headers[2 * index];
    }

    String headerValue(int index) {
        return headers[2 * index + 1];
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Reply<?> that && status == that.status && Arrays.equals(headers, that.headers)
                && Objects.equals(body, that.body);
    }

    @Override
    public int hashCode() {
        return Objects.hash(status, Arrays.hashCode(headers), body);
    }

    @Override
    public String toString() {
        return "Reply[" + status + ", headers=" + Arrays.toString(headers) + ", body=" + body + "]";
    }
}
