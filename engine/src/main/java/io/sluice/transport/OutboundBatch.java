package io.sluice.transport;

import java.nio.ByteBuffer;

/**
 * The loop-wide buffer that responses are encoded into before one (gathering) write per connection
 * and batch. Small pieces are copied into a shared scratch buffer; large bodies are referenced, not
 * copied, and written with the scratch slices around them in a single {@code writev}.
 *
 * <p>Only one connection batches at a time (the loop handles one event at a time), and every batch is
 * written or moved to its connection's own queue before the event ends, so the scratch can be shared
 * by all connections of the loop: an idle connection holds no output buffer.
 */
final class OutboundBatch {

    static final int MAX_BUFFERS = 1024;

    private ByteBuffer scratch;
    final ByteBuffer[] buffers = new ByteBuffer[MAX_BUFFERS];
    int count;
    private int sliceStart;
    private long referencedBytes;
    Connection owner;

    OutboundBatch(int scratchSize) {
        this.scratch = ByteBuffer.allocate(scratchSize);
    }

    ByteBuffer scratch() {
        return scratch;
    }

    boolean isEmpty() {
        return count == 0 && scratch.position() == 0;
    }

    boolean isScratch(ByteBuffer buffer) {
        return buffer.hasArray() && buffer.array() == scratch.array();
    }

    /** Whether the gathered buffer list is full and must be written before more are added. */
    boolean isFull() {
        return count >= MAX_BUFFERS - 2;
    }

    /** Ends the current scratch slice so a referenced buffer can follow it. */
    void sealSlice() {
        int position = scratch.position();
        if (position > sliceStart) {
            buffers[count++] = scratch.slice(sliceStart, position - sliceStart);
            sliceStart = position;
        }
    }

    void add(ByteBuffer referenced) {
        sealSlice();
        buffers[count++] = referenced;
        referencedBytes += referenced.remaining();
    }

    /** Bytes in this batch: the scratch's plus the referenced buffers'. */
    long batchedBytes() {
        return scratch.position() + referencedBytes;
    }

    /**
     * Prepares the batch for writing and returns the number of buffers; when nothing was referenced
     * the scratch alone is returned in {@code buffers[0]}, without slicing.
     */
    int prepareWrite() {
        if (count == 0) {
            scratch.flip();
            buffers[0] = scratch;
            return 1;
        }
        sealSlice();
        return count;
    }

    /** Empties the batch; the scratch may be reused by the next connection. */
    void reset() {
        for (int i = 0; i < MAX_BUFFERS && buffers[i] != null; i++) {
            buffers[i] = null;
        }
        count = 0;
        sliceStart = 0;
        referencedBytes = 0;
        scratch.clear();
        owner = null;
    }

    /** Replaces an empty scratch with a larger one, for a response head that would not fit. */
    void growScratch(int capacity) {
        if (scratch.position() != 0 || count != 0) {
            throw new IllegalStateException("scratch in use");
        }
        scratch = ByteBuffer.allocate(capacity);
    }
}
