package io.sluice.websocket;

import java.util.List;
import java.util.zip.Deflater;

/**
 * The permessage-deflate extension (RFC 7692): negotiation, and the parameters agreed for one session.
 *
 * <p>{@link #negotiate} takes the client's {@code Sec-WebSocket-Extensions} values and accepts the first
 * {@code permessage-deflate} offer it can honour. An offer is declined, and the next one tried, when it
 * has an unknown parameter, a parameter twice, a value where none is allowed, a missing or invalid
 * value, or a quoted value that is not a token. Parameters (RFC 7692 §7.1):
 *
 * <ul>
 *   <li>{@code server_no_context_takeover}: honoured; the server also sends it when its
 *       {@link Settings#serverNoContextTakeover() settings} ask for it, which §7.1.1.1 allows even if the
 *       client did not offer it.
 *   <li>{@code client_no_context_takeover}: echoed, so both sides reset per message; the server also
 *       sends it when its settings ask for it (§7.1.1.2 allows this unconditionally).
 *   <li>{@code server_max_window_bits} (8-15): only 15 is accepted, and is then echoed (§7.1.2.1 requires
 *       the response to carry it when accepting). {@link Deflater} cannot be given a window size: it
 *       always compresses with a 32 KiB (15-bit) window and may emit back-references up to 32 KiB, which
 *       a client that asked for a smaller window could not decode. So an offer with a smaller value is
 *       declined; browsers follow it with a plain {@code permessage-deflate} offer.
 *   <li>{@code client_max_window_bits} (no value, or 8-15): accepted and not echoed (the server need not
 *       limit the client, §7.1.2.2): {@link java.util.zip.Inflater} decodes any window up to 15 bits.
 * </ul>
 *
 * <p>The per-session codec objects come from {@link #newDeflater()} and {@link #newInflater()}; each
 * holds native zlib memory from its first use until {@code release()}.
 */
public final class PerMessageDeflate {

    /** The extension token. */
    public static final String NAME = "permessage-deflate";

    static final String SERVER_NO_CONTEXT_TAKEOVER = "server_no_context_takeover";
    static final String CLIENT_NO_CONTEXT_TAKEOVER = "client_no_context_takeover";
    static final String SERVER_MAX_WINDOW_BITS = "server_max_window_bits";
    static final String CLIENT_MAX_WINDOW_BITS = "client_max_window_bits";

    private static final int MAX_WINDOW_BITS = 15;

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final int clientMaxWindowBits;
    private final int compressionLevel;
    private final String responseHeaderValue;

    private PerMessageDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover,
            boolean echoServerMaxWindowBits, int clientMaxWindowBits, int compressionLevel) {
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
        this.clientMaxWindowBits = clientMaxWindowBits;
        this.compressionLevel = compressionLevel;
        StringBuilder value = new StringBuilder(NAME);
        if (serverNoContextTakeover) {
            value.append("; ").append(SERVER_NO_CONTEXT_TAKEOVER);
        }
        if (clientNoContextTakeover) {
            value.append("; ").append(CLIENT_NO_CONTEXT_TAKEOVER);
        }
        if (echoServerMaxWindowBits) {
            value.append("; ").append(SERVER_MAX_WINDOW_BITS).append('=').append(MAX_WINDOW_BITS);
        }
        this.responseHeaderValue = value.toString();
    }

    /**
     * Negotiates permessage-deflate from the request's {@code Sec-WebSocket-Extensions} field values.
     *
     * @return the agreed parameters, or {@code null} when no offer is acceptable (the session then runs
     *     uncompressed and the response carries no {@code Sec-WebSocket-Extensions})
     */
    public static PerMessageDeflate negotiate(List<String> extensionFieldValues, Settings settings) {
        if (extensionFieldValues.isEmpty()) {
            return null;
        }
        return firstAcceptable(ExtensionOffer.parse(extensionFieldValues), settings);
    }

    /** Like {@link #negotiate(List, Settings)} with offers already parsed (other extensions are ignored). */
    public static PerMessageDeflate negotiateOffers(List<ExtensionOffer> offers, Settings settings) {
        return firstAcceptable(offers, settings);
    }

    private static PerMessageDeflate firstAcceptable(List<ExtensionOffer> offers, Settings settings) {
        for (ExtensionOffer offer : offers) {
            if (offer.is(NAME) && offer.isWellFormed()) {
                PerMessageDeflate accepted = accept(offer, settings);
                if (accepted != null) {
                    return accepted;
                }
            }
        }
        return null;
    }

    /** The agreement for {@code offer}, or {@code null} to decline it. */
    private static PerMessageDeflate accept(ExtensionOffer offer, Settings settings) {
        boolean serverNoContext = false;
        boolean clientNoContext = false;
        int serverMaxWindowBits = -1;
        boolean clientMaxWindowBitsSeen = false;
        int clientMaxWindowBits = MAX_WINDOW_BITS;
        for (ExtensionOffer.Parameter parameter : offer.parameters()) {
            String value = parameter.value();
            switch (parameter.lowerCaseName()) {
                case SERVER_NO_CONTEXT_TAKEOVER -> {
                    if (serverNoContext || value != null) {
                        return null;
                    }
                    serverNoContext = true;
                }
                case CLIENT_NO_CONTEXT_TAKEOVER -> {
                    if (clientNoContext || value != null) {
                        return null;
                    }
                    clientNoContext = true;
                }
                case SERVER_MAX_WINDOW_BITS -> {
                    if (serverMaxWindowBits != -1 || (serverMaxWindowBits = windowBits(value)) < 0) {
                        return null;
                    }
                }
                case CLIENT_MAX_WINDOW_BITS -> {
                    if (clientMaxWindowBitsSeen) {
                        return null;
                    }
                    clientMaxWindowBitsSeen = true;
                    if (value != null && (clientMaxWindowBits = windowBits(value)) < 0) {
                        return null;
                    }
                }
                default -> {
                    return null;
                }
            }
        }
        if (serverMaxWindowBits != -1 && serverMaxWindowBits < MAX_WINDOW_BITS) {
            return null; // Deflater always uses a 15-bit window; see the class comment
        }
        return new PerMessageDeflate(serverNoContext || settings.serverNoContextTakeover(),
                clientNoContext || settings.clientNoContextTakeover(), serverMaxWindowBits != -1,
                clientMaxWindowBits, settings.compressionLevel());
    }

    /** A window-bits value: 8-15 in decimal without leading zeros, or -1. */
    private static int windowBits(String value) {
        if (value == null || value.isEmpty() || value.length() > 2 || value.charAt(0) == '0') {
            return -1;
        }
        int bits = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            bits = bits * 10 + (c - '0');
        }
        return bits >= 8 && bits <= MAX_WINDOW_BITS ? bits : -1;
    }

    /** Whether the server resets its compression context after each message. */
    public boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    /** Whether the client was told to reset its context after each message (so the server's inflater does too). */
    public boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** The largest window the client said it compresses with (15 when it did not say). Informational. */
    public int clientMaxWindowBits() {
        return clientMaxWindowBits;
    }

    /** The {@link Deflater} level of this session's deflater. */
    public int compressionLevel() {
        return compressionLevel;
    }

    /** The {@code Sec-WebSocket-Extensions} value of the 101 response, e.g. {@code permessage-deflate; client_no_context_takeover}. */
    public String responseHeaderValue() {
        return responseHeaderValue;
    }

    /** A deflater for the messages this server sends; allocates no native memory until its first message. */
    public MessageDeflater newDeflater() {
        return new MessageDeflater(compressionLevel, serverNoContextTakeover);
    }

    /** An inflater for the messages the client sends; allocates no native memory until its first message. */
    public DeflateInflater newInflater() {
        return new DeflateInflater(clientNoContextTakeover);
    }

    @Override
    public String toString() {
        return responseHeaderValue;
    }

    /**
     * The server's permessage-deflate preferences. Immutable; the {@code with…} methods return copies.
     * {@link #DEFAULT}: the compression level {@link Deflater#DEFAULT_COMPRESSION}, context takeover
     * allowed in both directions (best compression, but each session keeps a compressor with its window
     * and hash tables, roughly 256 KiB of native memory, plus an inflater with a 32 KiB window, for its
     * whole life).
     */
    public static final class Settings {

        /** Level {@link Deflater#DEFAULT_COMPRESSION}, context takeover allowed both ways. */
        public static final Settings DEFAULT = new Settings(Deflater.DEFAULT_COMPRESSION, false, false);

        private final int compressionLevel;
        private final boolean serverNoContextTakeover;
        private final boolean clientNoContextTakeover;

        private Settings(int compressionLevel, boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
            this.compressionLevel = compressionLevel;
            this.serverNoContextTakeover = serverNoContextTakeover;
            this.clientNoContextTakeover = clientNoContextTakeover;
        }

        /** The {@link Deflater} level: 0-9, or {@link Deflater#DEFAULT_COMPRESSION} (-1). */
        public Settings withCompressionLevel(int level) {
            if (level < -1 || level > 9) {
                throw new IllegalArgumentException("compression level must be -1 (default) or 0-9: " + level);
            }
            return new Settings(level, serverNoContextTakeover, clientNoContextTakeover);
        }

        /** Whether to send {@code server_no_context_takeover} (reset the compressor after each message) even when not offered. */
        public Settings withServerNoContextTakeover(boolean enabled) {
            return new Settings(compressionLevel, enabled, clientNoContextTakeover);
        }

        /** Whether to send {@code client_no_context_takeover} (the client resets after each message) even when not offered. */
        public Settings withClientNoContextTakeover(boolean enabled) {
            return new Settings(compressionLevel, serverNoContextTakeover, enabled);
        }

        public int compressionLevel() {
            return compressionLevel;
        }

        public boolean serverNoContextTakeover() {
            return serverNoContextTakeover;
        }

        public boolean clientNoContextTakeover() {
            return clientNoContextTakeover;
        }

        @Override
        public String toString() {
            return "PerMessageDeflate.Settings[level=" + compressionLevel + ", serverNoContextTakeover="
                    + serverNoContextTakeover + ", clientNoContextTakeover=" + clientNoContextTakeover + "]";
        }
    }
}
