package io.sluice.bench.client;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

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

    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
    /** Latency histogram: 1 µs buckets up to 1 s; slower ones land in the last bucket. */
    private static final int BUCKETS = 1_000_000;

    private final int[] histogram = new int[BUCKETS];
    private long messages;
    private int errors;
    private boolean running = true;

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
                Session session = Session.open(host, port, path, payload);
                session.key = session.channel.register(selector, SelectionKey.OP_READ, session);
                all.add(session);
            } catch (IOException e) {
                errors++;
                System.err.println("session " + i + ": " + e.getMessage());
            }
        }
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        for (Session session : all) {
            send(session);
        }
        ByteBuffer in = ByteBuffer.allocateDirect(256 * 1024);
        while (running) {
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
                    if (key.isReadable()) {
                        read(session, in, end);
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
        double rate = messages / (elapsed / 1e9);
        double p50 = percentile(0.50);
        double p99 = percentile(0.99);
        System.out.printf("%d sessions, %d messages of %d bytes in %.2f s: %.0f msg/s, p50 %.3f ms, p99 %.3f ms, %d errors%n",
                all.size(), messages, payloadSize, elapsed / 1e9, rate, p50, p99, errors);
        System.out.printf("RESULT messages=%d rate=%.2f p50_ms=%.3f p99_ms=%.3f errors=%d%n", messages, rate, p50, p99, errors);
    }

    private void send(Session session) throws IOException {
        session.sentAt = System.nanoTime();
        session.out.clear();
        session.out.put(session.frame.duplicate()).flip();
        flush(session);
    }

    private void flush(Session session) throws IOException {
        session.channel.write(session.out);
        int ops = SelectionKey.OP_READ | (session.out.hasRemaining() ? SelectionKey.OP_WRITE : 0);
        if (session.key.interestOps() != ops) {
            session.key.interestOps(ops);
        }
    }

    private void read(Session session, ByteBuffer in, long end) throws IOException {
        in.clear();
        if (session.pending != null) {
            in.put(session.pending);
            session.pending = null;
        }
        int n = session.channel.read(in);
        if (n < 0) {
            fail(session, "closed by the server");
            return;
        }
        in.flip();
        while (in.remaining() >= 2) {
            int start = in.position();
            int b0 = in.get(start) & 0xFF;
            int b1 = in.get(start + 1) & 0xFF;
            int opcode = b0 & 0x0F;
            long length = b1 & 0x7F;
            int header = 2;
            if ((b1 & 0x80) != 0) {
                fail(session, "masked frame from the server");
                return;
            }
            if (length == 126) {
                if (in.remaining() < 4) {
                    break;
                }
                length = in.getShort(start + 2) & 0xFFFF;
                header = 4;
            } else if (length == 127) {
                if (in.remaining() < 10) {
                    break;
                }
                length = in.getLong(start + 2);
                header = 10;
            }
            if (in.remaining() < header + length) {
                break;
            }
            in.position((int) (start + header + length));
            if (opcode == 0x8) {
                fail(session, "close frame from the server");
                return;
            }
            if (opcode == 0x1 && (b0 & 0x80) != 0) {
                if (length != session.payloadLength) {
                    fail(session, "echo of " + length + " bytes");
                    return;
                }
                long latency = (System.nanoTime() - session.sentAt) / 1000;
                histogram[(int) Math.min(BUCKETS - 1, latency)]++;
                messages++;
                if (System.nanoTime() < end) {
                    send(session);
                }
            }
        }
        if (in.hasRemaining()) {
            session.pending = ByteBuffer.allocate(in.remaining()).put(in).flip();
        }
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

    private double percentile(double p) {
        long target = (long) Math.ceil(messages * p);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += histogram[i];
            if (seen >= target && seen > 0) {
                return i / 1000.0;
            }
        }
        return 0;
    }

    /** One client connection, its ready-made masked frame and its timing state. */
    private static final class Session {
        final SocketChannel channel;
        final ByteBuffer frame;
        final ByteBuffer out;
        final int payloadLength;
        SelectionKey key;
        ByteBuffer pending;
        long sentAt;

        private Session(SocketChannel channel, ByteBuffer frame, int payloadLength) {
            this.channel = channel;
            this.frame = frame;
            this.payloadLength = payloadLength;
            this.out = ByteBuffer.allocate(frame.remaining());
        }

        static Session open(String host, int port, String path, byte[] payload) throws IOException {
            SocketChannel channel = SocketChannel.open(new InetSocketAddress(host, port));
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
            byte[] keyBytes = new byte[16];
            ThreadLocalRandom.current().nextBytes(keyBytes);
            String key = Base64.getEncoder().encodeToString(keyBytes);
            String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                    + "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n\r\n";
            ByteBuffer req = ByteBuffer.wrap(request.getBytes(StandardCharsets.US_ASCII));
            while (req.hasRemaining()) {
                channel.write(req);
            }
            // Read the handshake response byte by byte up to the blank line, so no frame byte is consumed.
            StringBuilder head = new StringBuilder();
            ByteBuffer one = ByteBuffer.allocate(1);
            while (!head.toString().endsWith("\r\n\r\n")) {
                one.clear();
                if (channel.read(one) < 0) {
                    throw new IOException("closed during the handshake");
                }
                head.append((char) one.get(0));
                if (head.length() > 8192) {
                    throw new IOException("handshake response too long");
                }
            }
            String response = head.toString();
            if (!response.startsWith("HTTP/1.1 101")) {
                throw new IOException("handshake refused: " + response.lines().findFirst().orElse(""));
            }
            String accept = accept(key);
            if (!response.toLowerCase().contains("sec-websocket-accept: " + accept.toLowerCase())) {
                throw new IOException("wrong Sec-WebSocket-Accept");
            }
            channel.configureBlocking(false);
            return new Session(channel, maskedTextFrame(payload), payload.length);
        }

        private static ByteBuffer maskedTextFrame(byte[] payload) {
            int lengthBytes = payload.length > 125 ? 2 : 0;
            ByteBuffer frame = ByteBuffer.allocate(2 + lengthBytes + 4 + payload.length);
            frame.put((byte) 0x81);
            if (payload.length > 125) {
                frame.put((byte) (0x80 | 126)).putShort((short) payload.length);
            } else {
                frame.put((byte) (0x80 | payload.length));
            }
            byte[] mask = new byte[4];
            ThreadLocalRandom.current().nextBytes(mask);
            frame.put(mask);
            for (int i = 0; i < payload.length; i++) {
                frame.put((byte) (payload[i] ^ mask[i & 3]));
            }
            return frame.flip().asReadOnlyBuffer();
        }

        private static String accept(String key) {
            try {
                MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
                return Base64.getEncoder().encodeToString(sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII)));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
