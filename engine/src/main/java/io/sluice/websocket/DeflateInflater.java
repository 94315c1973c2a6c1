package io.sluice.websocket;

import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decompresses the messages one session receives with permessage-deflate (RFC 7692 §7.2.2): the
 * compressed payload of a message arrives in any number of pieces (frames, or parts of frames as they
 * are read), and after the last piece {@code 00 00 FF FF} is appended before inflating.
 *
 * <p>Output is streamed to an {@link InflateOutput} in chunks of at most {@link #CHUNK_SIZE} bytes, so
 * the caller can count decompressed bytes and abort at its limit: the inflater never holds or produces
 * more than one chunk beyond what the sink has accepted. The chunk buffer is per thread, not per
 * session.
 *
 * <p>The native {@link Inflater} (raw DEFLATE, no zlib header) is created when the first compressed
 * byte arrives and freed by {@link #release()}, which the session must call when it closes. With
 * {@code client_no_context_takeover} it is reset after every message.
 *
 * <p>A peer may end a message's data with a DEFLATE block whose BFINAL bit is set (RFC 7692 §7.2.3.4).
 * The inflater then starts a new DEFLATE stream for any further data, and the appended
 * {@code 00 00 FF FF} is not needed. The sliding window does not survive that restart, so a later
 * back-reference into it fails with a {@link DataFormatException} rather than producing wrong data.
 *
 * <p>After an exception (from the data or from the sink) the message is broken: close the session.
 * Not thread-safe: one session, one thread at a time.
 */
public final class DeflateInflater implements MessageInflater {

    /** The largest chunk handed to the output at once. */
    public static final int CHUNK_SIZE = 8 * 1024;

    private static final byte[] TAIL = {0x00, 0x00, (byte) 0xFF, (byte) 0xFF};
    private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[CHUNK_SIZE]);

    private final boolean noContextTakeover;
    private Inflater inflater;
    /** Whether the current message has had any compressed byte. */
    private boolean messageStarted;
    /** Whether a BFINAL block ended the DEFLATE stream and nothing has followed it yet. */
    private boolean streamEnded;
    private boolean released;

    /** @param noContextTakeover whether to reset the context after each message ({@code client_no_context_takeover}) */
    public DeflateInflater(boolean noContextTakeover) {
        this.noContextTakeover = noContextTakeover;
    }

    /**
     * Inflates the next piece of a compressed message payload.
     *
     * @param lastOfMessage whether this piece ends the message (the final frame's last bytes); the
     *     piece may then be empty
     * @throws DataFormatException when the payload is not valid DEFLATE data
     * @throws IllegalStateException after {@link #release()}
     */
    public void inflate(byte[] in, int offset, int length, boolean lastOfMessage, InflateOutput out)
            throws DataFormatException {
        Objects.checkFromIndexSize(offset, length, in.length);
        if (released) {
            throw new IllegalStateException("inflater released");
        }
        if (length > 0) {
            messageStarted = true;
            feed(in, offset, length, false, out);
        }
        if (lastOfMessage) {
            if (messageStarted && !streamEnded) {
                feed(TAIL, 0, TAIL.length, true, out);
            }
            // An empty compressed payload is not valid DEFLATE (an empty message is 00); it is taken as an
            // empty message rather than fed, as the tail alone would leave the inflater mid-block.
            if (inflater != null && (noContextTakeover || streamEnded)) {
                inflater.reset();
            }
            messageStarted = false;
            streamEnded = false;
        }
    }

    private void feed(byte[] in, int offset, int length, boolean tail, InflateOutput out) throws DataFormatException {
        Inflater inf = inflater;
        if (inf == null) {
            inf = inflater = new Inflater(true);
        }
        byte[] scratch = SCRATCH.get();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (streamEnded) {
                if (tail) {
                    return; // the stream already ended with a final block: the tail is not DEFLATE data
                }
                inf.reset(); // data after a final block starts a new stream
                streamEnded = false;
            }
            inf.setInput(in, position, end - position);
            while (true) {
                int n = inf.inflate(scratch, 0, scratch.length);
                if (n > 0) {
                    out.write(scratch, 0, n);
                } else if (inf.finished() || inf.needsInput()) {
                    break;
                } else if (inf.needsDictionary()) {
                    throw new DataFormatException("DEFLATE data needs a preset dictionary");
                } else {
                    throw new DataFormatException("inflater made no progress");
                }
            }
            if (inf.finished()) {
                streamEnded = true;
                position = end - inf.getRemaining();
            } else {
                position = end;
            }
        }
        // Inflater keeps a reference to the input array; drop it, the caller may reuse that array.
        inf.setInput(TAIL, 0, 0);
    }

    /** Frees the native inflater. Idempotent; the inflater cannot be used afterwards. */
    public void release() {
        released = true;
        if (inflater != null) {
            inflater.end();
            inflater = null;
        }
    }

    /** Whether native memory is held (compressed data arrived and {@link #release()} not yet called). */
    public boolean isAllocated() {
        return inflater != null;
    }

    public boolean noContextTakeover() {
        return noContextTakeover;
    }
}
