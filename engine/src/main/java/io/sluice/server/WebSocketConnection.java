package io.sluice.server;

import io.sluice.api.WebSocketHandler;
import io.sluice.api.WebSocketMessage;
import io.sluice.api.WebSocketRoute;
import io.sluice.transport.CloseReason;
import io.sluice.transport.Connection;
import io.sluice.transport.Counters;
import io.sluice.transport.EventLoop;
import io.sluice.transport.Protocol;
import io.sluice.websocket.CloseCodes;
import io.sluice.websocket.FrameDecoder;
import io.sluice.websocket.FrameEncoder;
import io.sluice.websocket.MessageAssembler;
import io.sluice.websocket.DeflateInflater;
import io.sluice.websocket.MessageDeflater;
import io.sluice.websocket.MessageSink;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A WebSocket on a connection after the upgrade (RFC 6455): decodes client frames into messages,
 * answers pings, runs the close handshake, and writes the application's messages. Runs on the
 * connection's loop; the application talks to it through {@link ServerWebSocketSession}, which hands
 * work over from other threads.
 */
final class WebSocketConnection implements Protocol, MessageSink {

    private static final Logger log = LoggerFactory.getLogger(WebSocketConnection.class);
    static final int OPCODE_CONTINUATION = 0x0;
    static final int OPCODE_TEXT = 0x1;
    static final int OPCODE_BINARY = 0x2;
    static final int OPCODE_CLOSE = 0x8;
    static final int OPCODE_PING = 0x9;
    static final int OPCODE_PONG = 0xA;
    /** Messages smaller than this are sent uncompressed even when deflate is negotiated. */
    private static final int MIN_COMPRESS_SIZE = 64;

    private enum State { OPEN, CLOSE_SENT, CLOSE_RECEIVED, CLOSED }

    private final Connection connection;
    private final WebSocketOptions options;
    private final Counters counters;
    private final FrameDecoder decoder;
    private final MessageAssembler assembler;
    private final MessageDeflater deflater;
    private final DeflateInflater inflater;
    final ServerWebSocketSession session;
    private final ArrayDeque<PendingWrite> unwritten = new ArrayDeque<>();

    private State state = State.OPEN;
    private int closeCode = CloseCodes.ABNORMAL;
    /** A close frame came in, or we failed the connection with a code: {@link #closeCode} is final. */
    private boolean closeSettled;
    private String closeReason = "";
    private boolean inRead;
    private int batchDepth;
    private boolean pausedForOutput;
    private long pingSentAt;
    private final long pingIntervalMillis;

    /** A message handed to the connection, and the stage to complete when its last byte is written. */
    private record PendingWrite(long endPosition, int size, CompletableFuture<Void> done) {
    }

    WebSocketConnection(Connection connection, WebSocketRoute route, HttpRuntime runtime, Counters counters,
            ServerWebSocketSession.Handshake handshake) {
        WebSocketOptions options = runtime.webSocketOptions;
        this.connection = connection;
        this.options = options;
        this.counters = counters;
        this.deflater = handshake.deflater();
        this.inflater = handshake.inflater();
        this.decoder = new FrameDecoder(options.maxFrameSize(), inflater != null);
        this.assembler = new MessageAssembler(options.maxMessageSize(), inflater, this);
        this.session = new ServerWebSocketSession(this, route, handshake, runtime.workers, options,
                runtime.config.highWaterMark, runtime.config.lowWaterMark);
        this.pingIntervalMillis = options.pingInterval().toMillis();
    }

    EventLoop loop() {
        return connection.loop();
    }

    Connection connection() {
        return connection;
    }

    /** The 101 is written: the session is open. */
    void open() {
        counters.increment(HttpCounter.WS_OPENED);
        counters.increment(HttpCounter.WS_ACTIVE);
        armPing();
        session.dispatchOpen();
    }

    // ---------------------------------------------------------------- inbound

    @Override
    public void onRead(ByteBuffer in) {
        if (state == State.CLOSE_RECEIVED || state == State.CLOSED) {
            in.position(in.limit()); // nothing after the peer's close frame counts (RFC 6455 §5.5.1)
            return;
        }
        byte[] bytes = in.array();
        int offset = in.arrayOffset();
        inRead = true;
        try {
            int end = decoder.decode(bytes, offset + in.position(), offset + in.limit(), assembler);
            in.position(end - offset);
            if (decoder.isFailed()) {
                fail(decoder.closeCode(), decoder.failureReason());
            } else if (assembler.isFailed()) {
                fail(assembler.closeCode(), assembler.failureReason());
            } else if (!connection.isWritable()) {
                // The peer is not reading what we send (pongs, echoes): stop reading what it sends.
                pausedForOutput = true;
                connection.pauseReading();
            }
        } finally {
            inRead = false;
        }
        if (state == State.OPEN && pingIntervalMillis > 0 && pingSentAt == 0) {
            armPing();
        }
    }

    @Override
    public void onText(String text) {
        if (state != State.OPEN && state != State.CLOSE_SENT) {
            return;
        }
        counters.increment(HttpCounter.WS_MESSAGES_IN);
        counters.add(HttpCounter.WS_BYTES_IN, assembler.lastMessageSize());
        session.dispatchText(text);
    }

    @Override
    public void onBinary(byte[] data) {
        if (state != State.OPEN && state != State.CLOSE_SENT) {
            return;
        }
        counters.increment(HttpCounter.WS_MESSAGES_IN + 1);
        counters.add(HttpCounter.WS_BYTES_IN + 1, data.length);
        session.dispatchBinary(data);
    }

    @Override
    public void onPing(byte[] payload) {
        if (state == State.OPEN) {
            writeFrame(OPCODE_PONG, payload, false, null);
        }
    }

    @Override
    public void onPong(byte[] payload) {
        pingSentAt = 0;
        if (state == State.OPEN) {
            session.dispatchPong(payload);
        }
    }

    @Override
    public void onClose(int code, String reason) {
        if (state == State.CLOSE_RECEIVED || state == State.CLOSED) {
            return;
        }
        closeCode = code;
        closeReason = reason;
        closeSettled = true;
        if (state == State.OPEN) {
            // Echo the peer's code (none when it sent none), then close TCP: the server closes first.
            writeFrame(OPCODE_CLOSE, code == CloseCodes.NO_STATUS ? new byte[0]
                    : FrameEncoder.closePayload(code, ""), false, null);
        }
        state = State.CLOSE_RECEIVED;
        session.closedForSending();
        connection.closeAfterFlush(CloseReason.COMPLETED);
    }

    /** Fails the connection (RFC 6455 §7.1.7): send our close code, then close without waiting. */
    private void fail(int code, String reason) {
        if (state == State.CLOSED || state == State.CLOSE_RECEIVED) {
            return;
        }
        log.debug("Failing WebSocket {}: {} {}", session.id(), code, reason);
        if (state == State.OPEN) {
            writeFrame(OPCODE_CLOSE, FrameEncoder.closePayload(code, reason), false, null);
        }
        closeCode = code;
        closeReason = reason;
        closeSettled = true;
        state = State.CLOSE_RECEIVED;
        session.closedForSending();
        session.dispatchError(new WebSocketProtocolException(code, reason));
        connection.closeAfterFlush(CloseReason.PROTOCOL_ERROR);
    }

    // ---------------------------------------------------------------- outbound (loop thread)

    /** Writes a data message for the application; completes {@code done} when written. */
    void writeMessage(WebSocketMessage message, CompletableFuture<Void> done) {
        if (state != State.OPEN) {
            session.released(message.data().length);
            done.completeExceptionally(new ClosedChannelException());
            return;
        }
        boolean text = message.isText();
        counters.increment(HttpCounter.WS_MESSAGES_OUT + (text ? 0 : 1));
        counters.add(HttpCounter.WS_BYTES_OUT + (text ? 0 : 1), message.data().length);
        writeFrame(text ? OPCODE_TEXT : OPCODE_BINARY, message.data(), true, done);
    }

    void writePing(byte[] payload, CompletableFuture<Void> done) {
        if (state != State.OPEN) {
            done.completeExceptionally(new ClosedChannelException());
            return;
        }
        writeFrame(OPCODE_PING, payload, false, done);
    }

    /** Starts the close handshake on the application's request. */
    void startClose(int code, String reason, CompletableFuture<Void> done) {
        if (state != State.OPEN) {
            done.complete(null);
            return;
        }
        closeCode = code;
        closeReason = reason;
        writeFrame(OPCODE_CLOSE, FrameEncoder.closePayload(code, reason), false, done);
        state = State.CLOSE_SENT;
        session.closedForSending();
        connection.setReadDeadline(loop().now() + options.closeTimeout().toMillis());
    }

    private void writeFrame(int opcode, byte[] payload, boolean mayCompress, CompletableFuture<Void> done) {
        byte[] body = payload;
        boolean compressed = false;
        if (mayCompress && deflater != null && payload.length >= MIN_COMPRESS_SIZE) {
            body = deflater.deflate(payload, 0, payload.length);
            compressed = true;
        }
        ByteBuffer header = connection.outputBuffer(FrameEncoder.MAX_HEADER_LENGTH);
        FrameEncoder.writeHeader(header, opcode, true, compressed, body.length);
        connection.write(body);
        if (done != null) {
            unwritten.add(new PendingWrite(connection.outputPosition(), mayCompress ? payload.length : 0, done));
        }
        if (!inRead && batchDepth == 0) {
            connection.flush();
        }
    }

    /**
     * Whether a write made now goes out with a flush that is already coming: the connection is delivering
     * what it read (the transport flushes after that) or inside {@link #beginBatch()}.
     */
    boolean flushesLater() {
        return inRead || batchDepth > 0;
    }

    /** Sends until {@link #endBatch()} are written with one flush. */
    void beginBatch() {
        batchDepth++;
    }

    void endBatch() {
        if (--batchDepth == 0 && !inRead) {
            connection.flush();
        }
    }

    @Override
    public void onOutputWritten(long totalWritten) {
        PendingWrite head;
        long released = 0;
        while ((head = unwritten.peek()) != null && head.endPosition() <= totalWritten) {
            unwritten.poll();
            released += head.size();
            head.done().complete(null);
        }
        if (released > 0) {
            session.released(released);
        }
    }

    // ---------------------------------------------------------------- flow control and timers

    void pauseReading() {
        connection.pauseReading();
    }

    void resumeReading() {
        if ((state == State.OPEN || state == State.CLOSE_SENT) && !pausedForOutput && !session.inboundBacklogged()) {
            connection.resumeReading();
            connection.flush();
        }
    }

    @Override
    public void onWritable() {
        // Application writability is tracked by the session from its own byte count; this only lifts
        // the read pause taken while the socket's output was backed up.
        if (pausedForOutput) {
            pausedForOutput = false;
            resumeReading();
        }
    }

    private void armPing() {
        if (pingIntervalMillis > 0) {
            connection.setReadDeadline(loop().now() + pingIntervalMillis);
        } else {
            connection.setReadDeadline(0);
        }
    }

    @Override
    public void onReadTimeout() {
        long now = loop().now();
        if (state == State.CLOSE_SENT) {
            // The peer did not answer our close frame in time.
            connection.close(CloseReason.COMPLETED);
            return;
        }
        if (state != State.OPEN || pingIntervalMillis <= 0) {
            return;
        }
        if (pingSentAt != 0 && now - pingSentAt >= options.pongTimeout().toMillis()
                && (connection.isReadPaused() || !connection.isWritable())) {
            // We are not reading (the application is behind) or our ping is stuck behind our own output:
            // the pong may well be waiting unread, so the peer is not to blame. Wait again from now.
            pingSentAt = now;
        } else if (pingSentAt != 0 && now - pingSentAt >= options.pongTimeout().toMillis()) {
            log.debug("WebSocket {} did not answer a ping in time; dropping it", session.id());
            closeCode = CloseCodes.ABNORMAL;
            connection.close(CloseReason.IDLE_TIMEOUT);
            return;
        }
        if (pingSentAt == 0) {
            pingSentAt = now;
            writeFrame(OPCODE_PING, new byte[0], false, null);
        }
        long next = Math.min(pingSentAt + options.pongTimeout().toMillis(), now + pingIntervalMillis);
        connection.setReadDeadline(Math.max(next, now + 1));
    }

    @Override
    public void onInputClosed() {
        // TCP closed without a close frame: abnormal closure (1006).
        connection.close(CloseReason.PEER_CLOSED);
    }

    @Override
    public void onDrain() {
        if (state == State.OPEN) {
            startClose(CloseCodes.GOING_AWAY, "Server shutting down", new CompletableFuture<>());
        }
    }

    @Override
    public void onClosed(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        if (!closeSettled) {
            // No close frame from the peer (it dropped TCP, or never answered ours): 1006 (RFC 6455 §7.1.5).
            closeCode = CloseCodes.ABNORMAL;
            closeReason = "";
        }
        state = State.CLOSED;
        counters.decrement(HttpCounter.WS_ACTIVE);
        counters.increment(HttpCounter.webSocketClosed(closeCode));
        ClosedChannelException closed = new ClosedChannelException();
        PendingWrite pending;
        while ((pending = unwritten.poll()) != null) {
            pending.done().completeExceptionally(closed);
        }
        if (deflater != null) {
            deflater.release();
        }
        if (inflater != null) {
            inflater.release();
        }
        session.dispatchClose(closeCode, closeReason);
    }

    /** Why a session failed with a protocol-level close code. */
    static final class WebSocketProtocolException extends Exception {
        private final int code;

        WebSocketProtocolException(int code, String reason) {
            super(code + " " + reason);
            this.code = code;
        }

        int code() {
            return code;
        }
    }

    WebSocketHandler handler() {
        return session.handler();
    }
}
