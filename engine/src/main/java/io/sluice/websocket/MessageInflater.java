package io.sluice.websocket;

import java.util.zip.DataFormatException;

/**
 * Decompresses the payload of compressed messages (those whose first frame has RSV1 set, e.g. under
 * permessage-deflate, RFC 7692) for {@link MessageAssembler}. One instance belongs to one connection
 * and is only called from that connection's thread. {@link DeflateInflater} is the permessage-deflate
 * one.
 *
 * <p>The contract, per message:
 *
 * <ol>
 *   <li>{@link #inflate} is called with {@code lastOfMessage == false} for each piece of compressed
 *       payload (of every frame of the message, in order; pieces are never empty), as the bytes arrive.
 *       The input range is only valid during the call: an implementation that cannot consume it all
 *       at once must copy what is left.
 *   <li>Then {@code inflate} is called exactly once with {@code lastOfMessage == true}, after the last
 *       frame of the message ended. That call may carry input too (this assembler always passes
 *       {@code length == 0}, but an implementation should accept both). For permessage-deflate this
 *       is where the implementation appends the {@code 00 00 FF FF} tail the sender stripped
 *       (RFC 7692 §7.2.2), drains the output, and, without context takeover, resets its state.
 * </ol>
 *
 * <p>Decompressed bytes go to {@link InflateOutput#write} in bounded pieces as soon as they are
 * produced, not collected first: the assembler counts them against the message size limit, so a small
 * input that inflates to gigabytes (a "zip bomb") is stopped at the limit. When the message fails
 * (too big, invalid UTF-8), {@code write} throws an unchecked exception that the assembler catches
 * around its call to {@code inflate}: the implementation must let it propagate (no catch-all), and
 * thereby stops inflating at once. That is the only exception on this path, and it happens at most
 * once per connection, which is failed with it.
 *
 * <p>If the connection fails mid-message, no final call comes; the owner of the inflater releases it
 * when the connection closes.
 */
@FunctionalInterface
public interface MessageInflater {

    /**
     * Inflates {@code in[offset, offset + length)} into {@code out}.
     *
     * @throws DataFormatException when the input is not valid compressed data; the assembler fails
     *     the connection with {@link CloseCodes#INVALID_PAYLOAD} (1007). RFC 7692 only says to fail
     *     the connection; corrupt compressed data is message data "not consistent with the type of
     *     the message" (RFC 6455 §7.4.1), so 1007 rather than 1002, which is kept for framing errors.
     */
    void inflate(byte[] in, int offset, int length, boolean lastOfMessage, InflateOutput out)
            throws DataFormatException;
}
