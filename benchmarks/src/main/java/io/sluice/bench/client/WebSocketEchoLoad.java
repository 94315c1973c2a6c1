package io.sluice.bench.client;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A WebSocket echo load generator on one {@code java.nio} selector thread (the WebSocket counterpart
 * of {@code wrk -t1}):
 *
 * <pre>WebSocketEchoLoad HOST PORT PATH SESSIONS SECONDS [PAYLOAD_BYTES]</pre>
 *
 * <p>Opens {@code SESSIONS} connections, upgrades each to WebSocket, then keeps one masked text message
 * of {@code PAYLOAD_BYTES} (default 32) in flight per session for {@code SECONDS}: every echoed message
 * is timed and answered with the next. Prints a summary and one machine-readable line:
 * {@code RESULT messages=N rate=M p50_ms=A p99_ms=B errors=E}. Any failed handshake, unexpected frame,
 * close or I/O error counts as an error (and a run with errors is not a result).
 */
public final class WebSocketEchoLoad {

    /** 1 µs buckets up to 1 s. */
    private final LatencyHistogram latencies = new LatencyHistogram(1, 1_000_000);
    private int errors;
    private long end;

    private WebSocketEchoLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: WebSocketEchoLoad HOST PORT PATH SESSIONS SECONDS [PAYLOAD_BYTES]");
            System.exit(2);
        }
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        String path = args[2];
        int sessions = Integer.parseInt(args[3]);
        int seconds = Integer.parseInt(args[4]);
        int payload = args.length > 5 ? Integer.parseInt(args[5]) : 32;
        new WebSocketEchoLoad().run(host, port, path, sessions, seconds, payload);
    }

    private void run(String host, int port, String path, int sessions, int seconds, int payloadSize) throws IOException {
        byte[] payload = new byte[payloadSize];
        for (int i = 0; i < payloadSize; i++) {
            payload[i] = (byte) ('a' + i % 26);
        }
        Selector selector = Selector.open();
        List<Session> all = new ArrayList<>();
        for (int i = 0; i < sessions; i++) {
            try {
                Session session = new Session(WebSocketClient.connect(host, port, path), WebSocketClient.maskedTextFrame(payload),
                        payload.length);
                session.key = session.channel.register(selector, SelectionKey.OP_READ, session);
                all.add(session);
            } catch (IOException e) {
                errors++;
                System.err.println("session " + i + ": " + e.getMessage());
            }
        }
        long start = System.nanoTime();
        end = start + seconds * 1_000_000_000L;
        for (Session session : all) {
            send(session);
        }
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        while (true) {
            long now = System.nanoTime();
            if (now >= end) {
                break;
            }
            selector.select(key -> {
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
            }, Math.max(1, (end - now) / 1_000_000));
        }
        long elapsed = System.nanoTime() - start;
        for (Session session : all) {
            session.channel.close();
        }
        selector.close();
        long messages = latencies.count();
        double rate = messages / (elapsed / 1e9);
        double p50 = latencies.percentileMillis(0.50);
        double p99 = latencies.percentileMillis(0.99);
        System.out.printf("%d sessions, %d messages of %d bytes in %.2f s: %.0f msg/s, p50 %.3f ms, p99 %.3f ms, %d errors%n",
                all.size(), messages, payloadSize, elapsed / 1e9, rate, p50, p99, errors);
        System.out.printf("RESULT messages=%d rate=%.2f p50_ms=%.3f p99_ms=%.3f errors=%d%n", messages, rate, p50, p99, errors);
    }

    private static void send(Session session) throws IOException {
        session.sentAt = System.nanoTime();
        session.out.clear();
        session.out.put(session.frame.duplicate()).flip();
        flush(session);
    }

    private static void flush(Session session) throws IOException {
        WebSocketClient.flush(session.channel, session.key, session.out);
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

    /** One client connection, its ready-made masked frame and its timing state; times each echo it reads. */
    private final class Session implements ServerFrameReader.FrameHandler {
        final SocketChannel channel;
        final ByteBuffer frame;
        final ByteBuffer out;
        final int payloadLength;
        final ServerFrameReader reader = new ServerFrameReader();
        SelectionKey key;
        long sentAt;

        Session(SocketChannel channel, ByteBuffer frame, int payloadLength) {
            this.channel = channel;
            this.frame = frame;
            this.payloadLength = payloadLength;
            this.out = ByteBuffer.allocate(frame.remaining());
        }

        @Override
        public void onFrame(int opcode, boolean fin, ByteBuffer buffer, int payloadStart, int length) throws IOException {
            if (opcode == 0x8) {
                throw new IOException("close frame from the server");
            }
            if (opcode == 0x1 && fin) {
                if (length != payloadLength) {
                    throw new IOException("echo of " + length + " bytes");
                }
                latencies.record(System.nanoTime() - sentAt);
                if (System.nanoTime() < end) {
                    send(this);
                }
            }
        }
    }
}
