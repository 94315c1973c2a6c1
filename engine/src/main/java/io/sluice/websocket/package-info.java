/**
 * WebSocket (RFC 6455), server side: the upgrade handshake ({@link io.sluice.websocket.WebSocketHandshake}),
 * permessage-deflate (RFC 7692: {@link io.sluice.websocket.PerMessageDeflate},
 * {@link io.sluice.websocket.DeflateInflater}, {@link io.sluice.websocket.MessageDeflater}) and the
 * frame and message codec described here.
 *
 * <p>Reading: bytes from the socket go to a {@link io.sluice.websocket.FrameDecoder}, which validates
 * frame headers, unmasks payloads in place and passes frames to a
 * {@link io.sluice.websocket.MessageAssembler}, which applies the message rules (fragmentation,
 * UTF-8, close codes, size limits, decompression through a
 * {@link io.sluice.websocket.MessageInflater}) and delivers whole messages to a
 * {@link io.sluice.websocket.MessageSink}:
 *
 * <pre>{@code
 * int end = decoder.decode(bytes, from, to, assembler);   // messages delivered during the call
 * if (decoder.isFailed()) {
 *     fail(decoder.closeCode(), decoder.failureReason());
 * } else if (assembler.isFailed()) {
 *     fail(assembler.closeCode(), assembler.failureReason());
 * } else if (assembler.isCloseReceived()) {
 *     // answer the close; bytes after end are not read
 * }
 * }</pre>
 *
 * <p>Writing: {@link io.sluice.websocket.FrameEncoder} writes unmasked frame headers, so payloads go out
 * without being copied, and builds close payloads. Neither side throws on bad input from the peer:
 * a failure is a state carrying a {@link io.sluice.websocket.CloseCodes close code}.
 */
package io.sluice.websocket;
