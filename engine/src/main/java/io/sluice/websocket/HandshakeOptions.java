package io.sluice.websocket;

import io.sluice.api.HttpStatus;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What a WebSocket endpoint accepts in an opening handshake: its subprotocols, the origins allowed to
 * connect, and whether (and how) it compresses with permessage-deflate. Immutable; build with
 * {@link #builder()}. {@link #DEFAULT}: no subprotocols, any origin, no compression.
 */
public final class HandshakeOptions {

    /** No subprotocols, any origin, permessage-deflate off. */
    public static final HandshakeOptions DEFAULT = builder().build();

    private final List<String> subprotocols;
    private final boolean preferServerSubprotocolOrder;
    private final Set<String> allowedOrigins;
    private final boolean anyOrigin;
    private final PerMessageDeflate.Settings deflate;

    private HandshakeOptions(Builder builder) {
        this.subprotocols = Collections.unmodifiableList(new ArrayList<>(builder.subprotocols));
        this.preferServerSubprotocolOrder = builder.preferServerSubprotocolOrder;
        this.allowedOrigins = Collections.unmodifiableSet(new LinkedHashSet<>(builder.allowedOrigins));
        this.anyOrigin = allowedOrigins.isEmpty() || allowedOrigins.contains("*");
        this.deflate = builder.deflate;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The endpoint's subprotocols, in its order of preference. */
    public List<String> subprotocols() {
        return subprotocols;
    }

    /**
     * Whether the endpoint's order decides which of several supported subprotocols the client offered is
     * chosen; by default the client's order does (the first offered that the endpoint supports).
     */
    public boolean preferServerSubprotocolOrder() {
        return preferServerSubprotocolOrder;
    }

    /** The allowed origins, lower-cased; empty (or containing {@code *}) means any origin. */
    public Set<String> allowedOrigins() {
        return allowedOrigins;
    }

    /** Whether a request with {@code origin} in its {@code Origin} field may connect. */
    public boolean isOriginAllowed(String origin) {
        return anyOrigin || allowedOrigins.contains(origin.trim().toLowerCase(Locale.ROOT));
    }

    /** Whether any origin may connect. */
    public boolean allowsAnyOrigin() {
        return anyOrigin;
    }

    /** The permessage-deflate preferences, or {@code null} when compression is off. */
    public PerMessageDeflate.Settings permessageDeflate() {
        return deflate;
    }

    @Override
    public String toString() {
        return "HandshakeOptions[subprotocols=" + subprotocols + ", allowedOrigins="
                + (anyOrigin ? "*" : allowedOrigins) + ", permessageDeflate=" + deflate + "]";
    }

    public static final class Builder {

        private final List<String> subprotocols = new ArrayList<>();
        private boolean preferServerSubprotocolOrder;
        private final Set<String> allowedOrigins = new LinkedHashSet<>();
        private PerMessageDeflate.Settings deflate;

        private Builder() {
        }

        /**
         * The subprotocols the endpoint speaks, in its order of preference. Names are tokens and compare
         * case-sensitively.
         */
        public Builder subprotocols(String... names) {
            subprotocols.clear();
            for (String name : names) {
                requireToken(name);
                if (!subprotocols.contains(name)) {
                    subprotocols.add(name);
                }
            }
            return this;
        }

        /** Choose among the client's supported offers by the endpoint's order instead of the client's. */
        public Builder preferServerSubprotocolOrder(boolean enabled) {
            this.preferServerSubprotocolOrder = enabled;
            return this;
        }

        /**
         * The origins allowed to connect, each a serialized origin ({@code scheme://host[:port]}, compared
         * ignoring ASCII case, no path; {@code null} for opaque origins) or {@code *} for any. Without
         * any, every origin is allowed. A request without an {@code Origin} field (a non-browser client)
         * is always allowed: the check protects browsers' users from cross-site pages, it is not
         * authentication.
         */
        public Builder allowedOrigins(String... origins) {
            allowedOrigins.clear();
            for (String origin : origins) {
                Objects.requireNonNull(origin, "origin");
                String normalized = origin.trim().toLowerCase(Locale.ROOT);
                if (!normalized.equals("*") && !normalized.equals("null") && !isSerializedOrigin(normalized)) {
                    throw new IllegalArgumentException("not an origin (scheme://host[:port], no path): " + origin);
                }
                allowedOrigins.add(normalized);
            }
            return this;
        }

        /** Turns permessage-deflate on with default preferences ({@code true}) or off. */
        public Builder permessageDeflate(boolean enabled) {
            this.deflate = enabled ? PerMessageDeflate.Settings.DEFAULT : null;
            return this;
        }

        /** Turns permessage-deflate on with these preferences ({@code null}: off). */
        public Builder permessageDeflate(PerMessageDeflate.Settings settings) {
            this.deflate = settings;
            return this;
        }

        public HandshakeOptions build() {
            return new HandshakeOptions(this);
        }

        private static void requireToken(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("subprotocol must not be empty");
            }
            for (int i = 0; i < name.length(); i++) {
                if (!HttpStatus.isTokenChar(name.charAt(i))) {
                    throw new IllegalArgumentException("subprotocol is not a token: " + name);
                }
            }
        }

        private static boolean isSerializedOrigin(String origin) {
            int schemeEnd = origin.indexOf("://");
            if (schemeEnd <= 0) {
                return false;
            }
            String authority = origin.substring(schemeEnd + 3);
            return !authority.isEmpty() && authority.indexOf('/') < 0 && authority.indexOf('?') < 0
                    && authority.indexOf('#') < 0 && authority.indexOf('@') < 0 && authority.indexOf(' ') < 0;
        }
    }
}
