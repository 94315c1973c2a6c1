package io.sluice.transport;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One accepted socket, owned for its whole life by one {@link EventLoop}: every method runs on that
 * loop's thread. It moves bytes and leaves their meaning to its {@link Protocol}.
 *
 * <p>Reading: read interest stays on; bytes are read into the loop's shared buffer, and only what the
 * protocol leaves unconsumed (an incomplete message) is copied into a buffer of the connection's own.
 * Writing: output is gathered per event into the loop's {@link OutboundBatch} and written at once;
 * only what the socket does not take is queued here, and write interest is on only while it is.
 * Above the high-water mark of queued output the connection stops reading, which pushes back on a
 * peer that sends faster than it reads.
 */
public final class Connection {

    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    /** Reads per readiness event, so one busy connection cannot starve the rest of its loop. */
    private static final int MAX_READS_PER_EVENT = 16;
    /** Write syscalls per flush before waiting for write readiness. */
    private static final int MAX_WRITE_SPINS = 16;
    /** Larger writes are referenced and gathered instead of copied into the scratch buffer. */
    private static final int COPY_THRESHOLD = 1024;

    private enum State { OPEN, LINGERING, CLOSED }

    private final EventLoop loop;
    private final SocketChannel channel;
    private final TransportConfig config;
    private final ConnectionTimeout timeout = new ConnectionTimeout();
    private SelectionKey key;
    private Protocol protocol;
    private State state = State.OPEN;
    private CloseReason lingerReason;

    /** Unconsumed input, in write mode (data in [0, position)); null when there is none. */
    private ByteBuffer spill;
    private boolean readPaused;
    /** The protocol is inside {@link Protocol#onRead}. */
    private boolean delivering;
    private boolean resumedWhileDelivering;

    private ArrayDeque<ByteBuffer> pending;
    private long pendingBytes;
    private boolean unwritable;
    private CloseReason closeAfterFlush;

    /** Every byte written to the socket so far. */
    private long totalWritten;
    private long reportedWritten;
    private long readDeadline;
    private long writeDeadline;
    private InetSocketAddress remoteAddress;
    private InetSocketAddress localAddress;

    Connection(EventLoop loop, SocketChannel channel, TransportConfig config) {
        this.loop = loop;
        this.channel = channel;
        this.config = config;
    }

    void open(SelectionKey key, Protocol protocol) {
        this.key = key;
        this.protocol = protocol;
    }

    /** The selector was rebuilt: keep using the new key. */
    void rekey(SelectionKey moved) {
        this.key = moved;
    }

    public EventLoop loop() {
        return loop;
    }

    public boolean isOpen() {
        return state == State.OPEN;
    }

    /** Whether queued output is below the high-water mark (with hysteresis down to the low mark). */
    public boolean isWritable() {
        return !unwritable;
    }

    /**
     * The position in this connection's output stream just after everything handed to it so far
     * (written, queued, or batched): once {@code totalWritten} reaches it, all of that has left.
     */
    public long outputPosition() {
        OutboundBatch batch = loop.batch();
        long batched = batch.owner == this ? batch.batchedBytes() : 0;
        return totalWritten + pendingBytes + batched;
    }

    /**
     * Hands the connection to another protocol (an HTTP upgrade). Input the old protocol left
     * unconsumed goes to the new one, at once or, when called during a delivery, right after it.
     */
    public void switchProtocol(Protocol next) {
        this.protocol = next;
        if (!readPaused) {
            redeliverUnconsumed();
        }
    }

    /** Every byte written to the socket so far (compare with {@link #outputPosition()}). */
    public long bytesWritten() {
        return totalWritten;
    }

    /** Bytes queued because the socket did not take them yet. */
    public long pendingBytes() {
        return pendingBytes;
    }

    public InetSocketAddress remoteAddress() {
        if (remoteAddress == null) {
            remoteAddress = address(true);
        }
        return remoteAddress;
    }

    public InetSocketAddress localAddress() {
        if (localAddress == null) {
            localAddress = address(false);
        }
        return localAddress;
    }

    private InetSocketAddress address(boolean remote) {
        try {
            return (InetSocketAddress) (remote ? channel.getRemoteAddress() : channel.getLocalAddress());
        } catch (IOException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- reading

    void onReadable() {
        for (int i = 0; i < MAX_READS_PER_EVENT && state != State.CLOSED && !readPaused; i++) {
            ByteBuffer buffer = readTarget();
            int read;
            try {
                read = channel.read(buffer);
            } catch (IOException e) {
                close(CloseReason.IO_ERROR);
                return;
            }
            if (read < 0) {
                if (state == State.LINGERING) {
                    close(lingerReason);
                } else {
                    protocol.onInputClosed();
                }
                break;
            }
            if (read == 0) {
                break;
            }
            loop.counters().add(TransportCounter.BYTES_READ, read);
            if (state == State.LINGERING) {
                buffer.clear();
                continue;
            }
            buffer.flip();
            deliver(buffer);
            retainUnconsumed(buffer);
            if (buffer != spill && read < buffer.capacity()) {
                break; // a short read: the socket is drained
            }
        }
        redeliverAfterResume();
        flush();
    }

    /**
     * Reading was paused and resumed during one delivery: the bytes left unconsumed then may hold whole
     * requests that no socket event will bring back, so hand them over again now.
     */
    private void redeliverAfterResume() {
        while (resumedWhileDelivering && state == State.OPEN && !readPaused && spill != null) {
            resumedWhileDelivering = false;
            int before = spill.position();
            spill.flip();
            ByteBuffer held = spill;
            deliver(held);
            if (spill == held) {
                retainUnconsumed(held);
            }
            if (spill != null && spill.position() == before) {
                break; // nothing consumed: an incomplete message waits for more bytes
            }
        }
        resumedWhileDelivering = false;
    }

    private void deliver(ByteBuffer buffer) {
        delivering = true;
        try {
            protocol.onRead(buffer);
        } finally {
            delivering = false;
        }
    }

    private ByteBuffer readTarget() {
        if (spill == null) {
            return loop.readBuffer().clear();
        }
        if (!spill.hasRemaining()) {
            // The protocol bounds what it leaves unconsumed (header limits), so this stays small.
            ByteBuffer larger = ByteBuffer.allocate(spill.capacity() * 2);
            spill.flip();
            spill = larger.put(spill);
        }
        return spill;
    }

    private void retainUnconsumed(ByteBuffer buffer) {
        if (buffer == spill) {
            if (spill.hasRemaining()) {
                spill.compact();
            } else {
                spill = null;
            }
        } else if (buffer.hasRemaining() && state == State.OPEN) {
            int remaining = buffer.remaining();
            spill = ByteBuffer.allocate(Math.max(2 * remaining, 4096)).put(buffer);
        }
    }

    /** Stops reading from the socket; unconsumed input stays queued. */
    public void pauseReading() {
        if (!readPaused) {
            readPaused = true;
            updateInterest();
        }
    }

    /**
     * Resumes reading: hands the protocol any input it left unconsumed, then reads the socket again.
     * Safe to call from anywhere on the loop, including from within {@link Protocol#onRead}: there it
     * only lifts the pause, and the read in progress carries on with the unconsumed bytes.
     */
    public void resumeReading() {
        if (!readPaused || state != State.OPEN) {
            return;
        }
        readPaused = false;
        updateInterest();
        redeliverUnconsumed();
    }

    /**
     * Hands the protocol the input it left unconsumed: now, or, when called from within a delivery,
     * right after it (the delivery in progress must finish before its leftovers are known).
     */
    private void redeliverUnconsumed() {
        if (delivering) {
            resumedWhileDelivering = true;
        } else if (spill != null) {
            spill.flip();
            ByteBuffer held = spill;
            deliver(held);
            if (spill == held) {
                retainUnconsumed(held);
            }
            redeliverAfterResume();
        }
    }

    public boolean isReadPaused() {
        return readPaused;
    }

    /** Whether input the protocol left unconsumed is waiting. */
    public boolean hasUnconsumedInput() {
        return spill != null && spill.position() > 0;
    }

    /** Drops input the protocol left unconsumed. */
    public void discardUnconsumedInput() {
        spill = null;
    }

    // ---------------------------------------------------------------- writing

    /**
     * The loop's scratch buffer, positioned where this connection's next bytes go, with at least
     * {@code bytes} of room. Write into it and return; {@link #flush()} sends it.
     */
    public ByteBuffer outputBuffer(int bytes) {
        OutboundBatch batch = claimBatch();
        if (batch.scratch().remaining() < bytes || batch.isFull()) {
            flush();
            batch = claimBatch();
            if (batch.scratch().remaining() < bytes) {
                batch.growScratch(Math.max(bytes, batch.scratch().capacity() * 2));
            }
        }
        return batch.scratch();
    }

    /** Queues {@code bytes[offset, offset + length)}: copied when small, else referenced until written. */
    public void write(byte[] bytes, int offset, int length) {
        if (length <= COPY_THRESHOLD) {
            outputBuffer(length).put(bytes, offset, length);
        } else {
            write(ByteBuffer.wrap(bytes, offset, length));
        }
    }

    public void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Queues {@code buffer} by reference: it must not change until written. */
    public void write(ByteBuffer buffer) {
        if (!buffer.hasRemaining()) {
            return;
        }
        OutboundBatch batch = claimBatch();
        if (batch.isFull()) {
            flush();
            batch = claimBatch();
        }
        batch.add(buffer);
    }

    private OutboundBatch claimBatch() {
        OutboundBatch batch = loop.batch();
        if (batch.owner != this) {
            if (batch.owner != null) {
                batch.owner.flush();
            }
            batch.owner = this;
        }
        return batch;
    }

    /**
     * Writes what this connection batched. What the socket does not take is copied to the
     * connection's queue and written when the socket is writable again.
     */
    public void flush() {
        OutboundBatch batch = loop.batch();
        if (batch.owner != this) {
            return;
        }
        if (batch.isEmpty()) {
            batch.reset();
            return;
        }
        int count = batch.prepareWrite();
        ByteBuffer[] buffers = batch.buffers;
        if (state != State.OPEN) {
            batch.reset();
            return;
        }
        int first = 0;
        if (pending == null || pending.isEmpty()) {
            first = writeGathering(buffers, 0, count);
            if (first < 0) {
                batch.reset();
                return;
            }
        }
        for (int i = first; i < count; i++) {
            ByteBuffer rest = buffers[i];
            if (rest.hasRemaining()) {
                enqueue(batch.isScratch(rest) ? copyOf(rest) : rest);
            }
        }
        batch.reset();
        afterWrite();
    }

    /**
     * Writes {@code buffers[from, to)} with at most {@link #MAX_WRITE_SPINS} syscalls.
     *
     * @return the index of the first buffer not fully written, or -1 if the connection failed
     */
    private int writeGathering(ByteBuffer[] buffers, int from, int to) {
        int first = from;
        for (int spin = 0; spin < MAX_WRITE_SPINS && first < to; spin++) {
            long written;
            try {
                written = to - first == 1 ? channel.write(buffers[first]) : channel.write(buffers, first, to - first);
            } catch (IOException e) {
                close(CloseReason.IO_ERROR);
                return -1;
            }
            if (written > 0) {
                loop.counters().add(TransportCounter.BYTES_WRITTEN, written);
                totalWritten += written;
            }
            while (first < to && !buffers[first].hasRemaining()) {
                first++;
            }
            if (written == 0) {
                break;
            }
        }
        return first;
    }

    private static ByteBuffer copyOf(ByteBuffer rest) {
        ByteBuffer copy = ByteBuffer.allocate(rest.remaining());
        copy.put(rest).flip();
        return copy;
    }

    private void enqueue(ByteBuffer buffer) {
        if (pending == null) {
            pending = new ArrayDeque<>(4);
        }
        pending.add(buffer);
        pendingBytes += buffer.remaining();
    }

    /** Write readiness: drain the queue. */
    void onWritable() {
        if (pending == null || pending.isEmpty()) {
            afterWrite();
            return;
        }
        OutboundBatch batch = loop.batch();
        if (batch.owner != null) {
            batch.owner.flush();
        }
        ByteBuffer[] buffers = batch.buffers;
        int count = 0;
        for (ByteBuffer buffer : pending) {
            if (count == OutboundBatch.MAX_BUFFERS) {
                break;
            }
            buffers[count++] = buffer;
        }
        long before = pendingBytes;
        int first = writeGathering(buffers, 0, count);
        java.util.Arrays.fill(buffers, 0, count, null);
        if (first < 0) {
            return;
        }
        long remaining = 0;
        for (int i = 0; i < first; i++) {
            pending.poll();
        }
        for (ByteBuffer buffer : pending) {
            remaining += buffer.remaining();
        }
        pendingBytes = remaining;
        if (remaining < before) {
            writeDeadline = 0; // progress: afterWrite() re-arms the stall timer if still blocked
        }
        afterWrite();
    }

    /** Interest, timers and watermarks after any write. */
    private void afterWrite() {
        if (state == State.CLOSED) {
            return;
        }
        if (totalWritten != reportedWritten) {
            reportedWritten = totalWritten;
            protocol.onOutputWritten(totalWritten);
            if (state == State.CLOSED) {
                return;
            }
        }
        boolean blocked = pendingBytes > 0;
        if (blocked) {
            if (writeDeadline == 0) {
                writeDeadline = loop.now() + config.writeTimeoutMillis();
                rescheduleTimeout();
            }
            if (!unwritable && pendingBytes > config.highWaterMark()) {
                unwritable = true;
            }
        } else if (writeDeadline != 0) {
            writeDeadline = 0;
            rescheduleTimeout();
        }
        updateInterest();
        if (unwritable && pendingBytes < config.lowWaterMark()) {
            unwritable = false;
            updateInterest();
            protocol.onWritable();
        }
        if (!blocked && closeAfterFlush != null && state == State.OPEN) {
            CloseReason reason = closeAfterFlush;
            closeAfterFlush = null;
            finishClose(reason);
        }
    }

    private void updateInterest() {
        if (state == State.CLOSED || !key.isValid()) {
            return;
        }
        boolean reading = state == State.LINGERING || (!readPaused && !unwritable);
        int ops = (reading ? SelectionKey.OP_READ : 0) | (pendingBytes > 0 ? SelectionKey.OP_WRITE : 0);
        if (key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    // ---------------------------------------------------------------- timeouts

    /** Sets (or with 0 clears) the protocol's read deadline, in {@link EventLoop#now()} milliseconds. */
    public void setReadDeadline(long deadlineMillis) {
        readDeadline = deadlineMillis;
        rescheduleTimeout();
    }

    private void rescheduleTimeout() {
        if (state == State.CLOSED) {
            return;
        }
        long deadline = earliest(readDeadline, writeDeadline);
        if (deadline == 0) {
            loop.timers().cancel(timeout);
        } else {
            loop.timers().schedule(timeout, deadline);
        }
    }

    private static long earliest(long a, long b) {
        if (a == 0) {
            return b;
        }
        return b == 0 ? a : Math.min(a, b);
    }

    private final class ConnectionTimeout extends TimerWheel.Timeout {
        @Override
        protected void onTimeout(long now) {
            if (state == State.CLOSED) {
                return;
            }
            if (writeDeadline != 0 && now >= writeDeadline) {
                close(CloseReason.WRITE_TIMEOUT);
            } else if (readDeadline != 0 && now >= readDeadline) {
                readDeadline = 0;
                if (state == State.LINGERING) {
                    close(lingerReason);
                } else {
                    protocol.onReadTimeout();
                    flush();
                }
                rescheduleTimeout();
            } else {
                rescheduleTimeout();
            }
        }
    }

    // ---------------------------------------------------------------- closing

    /**
     * Closes once everything queued is written. Unless the peer already closed its side, the output is
     * shut down first and input drained for a short linger time: a peer still sending (a body we
     * refused, pipelined requests we will not answer) would otherwise get a reset that can destroy
     * the last response before it is read (RFC 9112 §9.6).
     */
    public void closeAfterFlush(CloseReason reason) {
        if (state != State.OPEN) {
            return;
        }
        flush();
        if (state != State.OPEN) {
            return;
        }
        if (pendingBytes == 0) {
            finishClose(reason);
        } else {
            closeAfterFlush = reason;
        }
    }

    private void finishClose(CloseReason reason) {
        if (reason == CloseReason.PEER_CLOSED || config.lingerMillis() <= 0) {
            close(reason);
            return;
        }
        try {
            channel.shutdownOutput();
        } catch (IOException e) {
            close(reason);
            return;
        }
        state = State.LINGERING;
        lingerReason = reason;
        spill = null;
        readPaused = false;
        updateInterest();
        setReadDeadline(loop.now() + config.lingerMillis());
    }

    /** Closes now, dropping queued output. Idempotent. */
    public void close(CloseReason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        loop.timers().cancel(timeout);
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            log.debug("Error closing {}", channel, e);
        }
        OutboundBatch batch = loop.batch();
        if (batch.owner == this) {
            batch.reset();
        }
        pending = null;
        pendingBytes = 0;
        spill = null;
        loop.onClosed(this, reason);
        if (protocol != null) {
            try {
                protocol.onClosed(reason);
            } catch (RuntimeException e) {
                log.warn("Protocol failed while closing {}", this, e);
            }
        }
    }

    /** Called by the loop for a graceful shutdown. */
    void drain() {
        if (state == State.OPEN) {
            protocol.onDrain();
            flush();
        }
    }

    @Override
    public String toString() {
        InetSocketAddress remote = remoteAddress();
        return "Connection[" + (remote == null ? "?" : remote) + ", " + state + "]";
    }
}
