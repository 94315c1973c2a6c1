package io.sluice.bench.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket broadcast (fan-out) load generator on one {@code java.nio} selector thread:
 *
 * <pre>WebSocketBroadcastLoad HOST PORT PATH SESSIONS SECONDS [WINDOW] [PAYLOAD_BYTES]</pre>
 *
 * <p>The endpoint at {@code PATH} must send every text message it receives from any session to every
 * session connected to it, the sender included. The client opens {@code SESSIONS} sessions; the first
 * one also publishes. Each message carries its sequence number and send time (two 16-digit hex numbers,
 * padded to {@code PAYLOAD_BYTES}, default 32). The publisher keeps up to {@code WINDOW} (default 4)
 * messages outstanding: a message stops being outstanding once every session has received it (it has
 * <em>fanned out</em>), and its fan-out latency is the time from sending it to its last delivery.
 *
 * <p>Before measuring, the publisher sends join messages (sequence 0) until every session has received
 * one, so that all sessions are known to be in the server's broadcast set. From then on every session
 * must receive every message, in order: a skipped or repeated sequence number is an error, as is any
 * failed handshake, unexpected frame, close or I/O error. Prints a summary and one machine-readable
 * line: {@code RESULT deliveries=N rate=D fanouts=M fanout_rate=F p50_ms=A p99_ms=B errors=E}, where
 * the rates are per second and the percentiles are of fan-out latency.
 */
public final class WebSocketBroadcastLoad {

    private static final int HEADER_DIGITS = 32;
    private static final long JOIN_RESEND_NANOS = 100_000_000L;
    private static final long JOIN_TIMEOUT_NANOS = 10_000_000_000L;
    /** A server that delivers nothing for this long is stuck: stop instead of waiting forever. */
    private static final long STALL_NANOS = 10_000_000_000L;

    private final int window;
    private final byte[] payload;
    /** Per outstanding message, indexed by {@code sequence % window}. */
    private final long[] sentAt;
    private final int[] delivered;
    private final boolean[] damaged;
    /** 10 µs buckets up to 10 s. */
    private final LatencyHistogram fanOutLatencies = new LatencyHistogram(10, 1_000_000);
    private final List<Session> sessions = new ArrayList<>();
    private Session publisher;
    private int joined;
    private boolean measuring;
    /** Next sequence number to send, and the oldest one not yet fanned out. */
    private long next = 1;
    private long oldest = 1;
    private long deliveries;
    private long fanOuts;
    private long lastProgress;
    private int errors;

    private WebSocketBroadcastLoad(int window, int payloadSize) {
        this.window = window;
        this.payload = new byte[payloadSize];
        for (int i = HEADER_DIGITS; i < payloadSize; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        this.sentAt = new long[window];
        this.delivered = new int[window];
        this.damaged = new boolean[window];
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: WebSocketBroadcastLoad HOST PORT PATH SESSIONS SECONDS [WINDOW] [PAYLOAD_BYTES]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int sessions = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int window = args.length > 5 ? Integer.parseInt(args[5]) : 4;
        int payload = args.length > 6 ? Integer.parseInt(args[6]) : HEADER_DIGITS;
        if (sessions < 1 || window < 1 || payload < HEADER_DIGITS) {
            System.err.println("SESSIONS and WINDOW must be positive, PAYLOAD_BYTES at least " + HEADER_DIGITS);
            System.exit(2);
        }
        new WebSocketBroadcastLoad(window, payload).run(host, port, path, sessions, seconds);
    }

    private void run(String host, int port, String path, int count, int seconds) throws IOException {
        Selector selector = Selector.open();
        for (int i = 0; i < count; i++) {
            try {
                Session session = new Session(WebSocketClient.connect(host, port, path));
                session.key = session.channel.register(selector, SelectionKey.OP_READ, session);
                sessions.add(session);
            } catch (IOException e) {
                errors++;
                System.err.println("session " + i + ": " + e.getMessage());
            }
        }
        if (sessions.isEmpty()) {
            report(0, 0);
            return;
        }
        publisher = sessions.get(0);
        publisher.out = ByteBuffer.allocate(window * WebSocketClient.maskedFrameSize(payload.length)).flip();
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);

        if (join(selector, in)) {
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            measuring = true;
            lastProgress = start;
            sendWhileWindowOpen();
            while (true) {
                long now = System.nanoTime();
                if (now >= end) {
                    break;
                }
                if (now - lastProgress > STALL_NANOS) {
                    giveUpOnOutstanding();
                    break;
                }
                selector.select(key -> handle(key, in), Math.max(1, Math.min(end - now, STALL_NANOS) / 1_000_000));
                if (System.nanoTime() < end) {
                    sendWhileWindowOpen();
                }
            }
            measuring = false;
            report(sessions.size(), System.nanoTime() - start);
        } else {
            report(sessions.size(), 0);
        }
        for (Session session : sessions) {
            session.channel.close();
        }
        selector.close();
    }

    /** Sends join messages until every session has received one; false if some never did. */
    private boolean join(Selector selector, ByteBuffer in) throws IOException {
        long deadline = System.nanoTime() + JOIN_TIMEOUT_NANOS;
        long resendAt = 0;
        while (joined < sessions.size()) {
            long now = System.nanoTime();
            if (now >= deadline) {
                int missing = sessions.size() - joined;
                errors += missing;
                System.err.println(missing + " sessions never received a join message");
                return false;
            }
            if (now >= resendAt) {
                send(0, now);
                resendAt = now + JOIN_RESEND_NANOS;
            }
            selector.select(key -> handle(key, in), Math.max(1, (resendAt - now) / 1_000_000));
        }
        return true;
    }

    private void handle(SelectionKey key, ByteBuffer in) {
        Session session = (Session) key.attachment();
        try {
            if (key.isWritable()) {
                flush(session);
            }
            if (key.isReadable() && !session.reader.read(session.channel, in, session)) {
                fail(session, "closed by the server");
            }
        } catch (IOException | RuntimeException e) {
            fail(session, e.toString());
        }
    }

    private void sendWhileWindowOpen() {
        try {
            while (next - oldest < window && publisher.channel.isOpen()) {
                long now = System.nanoTime();
                int slot = (int) (next % window);
                sentAt[slot] = now;
                send(next, now);
                next++;
            }
        } catch (IOException e) {
            fail(publisher, e.toString());
        }
    }

    /** Appends the message {@code sequence} to the publisher's output and writes what the socket takes. */
    private void send(long sequence, long now) throws IOException {
        putHex(payload, 0, sequence);
        putHex(payload, 16, now);
        ByteBuffer out = publisher.out.compact();
        WebSocketClient.putMaskedText(out, payload);
        out.flip();
        flush(publisher);
    }

    private static void flush(Session session) throws IOException {
        WebSocketClient.flush(session.channel, session.key, session.out);
    }

    /** One session received message {@code sequence} (or, if {@code missed}, is known to have skipped it). */
    private void arrived(long sequence, boolean missed) {
        if (sequence < oldest || sequence >= next) {
            return; // already given up on, or never sent: the session's order check has counted it
        }
        int slot = (int) (sequence % window);
        delivered[slot]++;
        if (missed) {
            damaged[slot] = true;
        } else {
            deliveries++;
            lastProgress = System.nanoTime();
        }
        if (delivered[slot] == sessions.size()) {
            // Every session receives in order, so messages fan out in order: this one is the oldest.
            if (!damaged[slot]) {
                fanOuts++;
                fanOutLatencies.record(System.nanoTime() - sentAt[slot]);
            }
            delivered[slot] = 0;
            damaged[slot] = false;
            oldest++;
        }
    }

    /** The server stalled: every delivery still missing is an error. */
    private void giveUpOnOutstanding() {
        long missing = 0;
        for (long sequence = oldest; sequence < next; sequence++) {
            missing += sessions.size() - delivered[(int) (sequence % window)];
        }
        errors += (int) missing;
        System.err.println("no delivery for " + STALL_NANOS / 1_000_000_000L + " s; " + missing + " deliveries missing");
    }

    private void fail(Session session, String why) {
        errors++;
        System.err.println("session error: " + why);
        session.key.cancel();
        try {
            session.channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    private void report(int open, long elapsedNanos) {
        double seconds = elapsedNanos / 1e9;
        double rate = seconds > 0 ? deliveries / seconds : 0;
        double fanOutRate = seconds > 0 ? fanOuts / seconds : 0;
        double p50 = fanOutLatencies.percentileMillis(0.50);
        double p99 = fanOutLatencies.percentileMillis(0.99);
        System.out.printf("%d sessions, window %d, %d-byte messages, %.2f s: %d deliveries (%.0f/s), %d messages fanned out "
                + "(%.1f/s), fan-out p50 %.3f ms, p99 %.3f ms, %d errors%n",
                open, window, payload.length, seconds, deliveries, rate, fanOuts, fanOutRate, p50, p99, errors);
        System.out.printf("RESULT deliveries=%d rate=%.2f fanouts=%d fanout_rate=%.2f p50_ms=%.3f p99_ms=%.3f errors=%d%n",
                deliveries, rate, fanOuts, fanOutRate, p50, p99, errors);
    }

    private static void putHex(byte[] target, int offset, long value) {
        for (int i = 15; i >= 0; i--) {
            int digit = (int) (value & 0xF);
            target[offset + i] = (byte) (digit < 10 ? '0' + digit : 'a' + digit - 10);
            value >>>= 4;
        }
    }

    private static long parseHex(ByteBuffer buffer, int offset) throws IOException {
        long value = 0;
        for (int i = 0; i < 16; i++) {
            int c = buffer.get(offset + i);
            int digit = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (digit < 0) {
                throw new IOException("not a broadcast message: byte " + c + " in its sequence number");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    /** One client connection; checks the order of what it receives. */
    private final class Session implements ServerFrameReader.FrameHandler {
        final SocketChannel channel;
        final ServerFrameReader reader = new ServerFrameReader();
        SelectionKey key;
        /** Only the publisher writes. */
        ByteBuffer out;
        boolean hasJoined;
        long expected = 1;

        Session(SocketChannel channel) {
            this.channel = channel;
        }

        @Override
        public void onFrame(int opcode, boolean fin, ByteBuffer buffer, int payloadStart, int length) throws IOException {
            if (opcode == 0x8) {
                throw new IOException("close frame from the server");
            }
            if (opcode != 0x1 || !fin) {
                if (opcode <= 0x2) {
                    throw new IOException("unexpected data frame (opcode " + opcode + ", fin " + fin + ")");
                }
                return; // ping or pong
            }
            if (length != payload.length) {
                throw new IOException("message of " + length + " bytes, not " + payload.length);
            }
            long sequence = parseHex(buffer, payloadStart);
            if (sequence == 0) {
                if (!hasJoined) {
                    hasJoined = true;
                    joined++;
                }
                return;
            }
            if (!measuring) {
                return;
            }
            if (sequence < expected) {
                errors++;
                System.err.println("session received message " + sequence + " after " + (expected - 1));
                return;
            }
            for (long skipped = expected; skipped < sequence; skipped++) {
                errors++;
                arrived(skipped, true);
            }
            if (sequence > expected) {
                System.err.println("session skipped messages " + expected + " to " + (sequence - 1));
            }
            expected = sequence + 1;
            arrived(sequence, false);
        }
    }
}
